import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGate, startFakeUpstream, type FakeUpstream, type Gate } from '../helpers/fake-upstream.js';
import { startTestGateway, TINY_OPENAI_MODELS, type TestGateway } from './helpers/start-test-gateway.js';

/**
 * `server.request_timeout` through the whole path: the shared deadline sweeper aborts the request's
 * `Cancellation`, undici drops the upstream call, and the client gets an answer instead of waiting
 * on an upstream that never answers (the provider's own timeout here is far longer).
 */
let upstream: FakeUpstream;
let gw: TestGateway;
const gate: Gate = createGate();
let upstreamClosed = 0;

beforeAll(async () => {
  upstream = await startFakeUpstream(async (_req, res) => {
    res.raw.on('close', () => upstreamClosed++);
    await res.waitFor(gate);
  });
  gw = await startTestGateway({
    models: TINY_OPENAI_MODELS,
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1`, timeout: '60s' } },
    server: { request_timeout: '300ms' },
  });
});
afterAll(async () => {
  gate.open();
  await gw.close();
  await upstream.close();
});

describe('server.request_timeout', () => {
  it('aborts the upstream call of a request past its deadline and answers it in the API error shape', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
    });
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    expect(res.status).toBe(504);
    expect(body.error?.code).toBe('provider_timeout');
    // Every upstream call the request made was dropped, not left waiting on the gate.
    expect(upstream.requests.length).toBeGreaterThan(0);
    await expect.poll(() => upstreamClosed).toBe(upstream.requests.length);
    // The gateway keeps serving.
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
  });
});
