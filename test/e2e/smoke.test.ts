import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion, openaiStream } from './helpers/fake-responses.js';
import { startTestGateway, type TestGateway } from './helpers/start-test-gateway.js';

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream(async (req, res) => {
    const body = req.body as { model: string; stream?: boolean };
    if (body.stream === true) await res.sseData(openaiStream(body.model, ['Hel', 'lo']));
    else res.json(200, openaiCompletion(body.model, 'Hello'));
  });
  gw = await startTestGateway({
    models: {
      'tiny-small': { provider: 'openai', model: 'gpt-4o-mini' },
      'tiny-medium': { provider: 'openai', model: 'gpt-4.1-mini' },
      'tiny-large': { provider: 'openai', model: 'gpt-4.1' },
    },
    providers: { openai: { api_key: 'sk-test-configured', base_url: `${upstream.url}/v1` } },
  });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('smoke', () => {
  it('serves a routed request', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'not-a-provider-key', maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello');
    expect(response.headers.get('x-heimdall-provider')).toBe('openai');
    const stream = await client.chat.completions.create({ model: 'auto', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello');
  });
});
