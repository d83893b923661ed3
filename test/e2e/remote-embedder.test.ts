import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { startTestGateway, type TestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

let upstream: FakeUpstream;
let embeddings: FakeUpstream;
let gw: TestGateway;
let dim = 0;
let failEmbeddings = false;

beforeAll(async () => {
  upstream = await startFakeUpstream((req, res) => res.json(200, openaiCompletion((req.body as { model: string }).model, 'ok')));
  embeddings = await startFakeUpstream((_req, res) => {
    if (failEmbeddings) return res.serverError(500, 'embedding backend down');
    // A unit vector along the first axis: a real vector of the artifact's dimension.
    return res.json(200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: Array.from({ length: dim }, (_, i) => (i === 0 ? 1 : 0)) }] });
  });
  gw = await startTestGateway({
    models: TINY_OPENAI_MODELS,
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
    embedding: { kind: 'remote', remote: { url: `${embeddings.url}/v1`, model: 'text-embedding-3-small', timeout: '2s' } },
  });
  dim = gw.gateway.routing.state().dim;
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
  await embeddings.close();
});

const chat = (content: string) =>
  fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content }] }) });

describe('remote embedder on the gateway', () => {
  it('embeds routed prompts through the configured /v1/embeddings endpoint', async () => {
    const res = await chat('what is the boiling point of water at sea level?');
    expect(res.status).toBe(200);
    await res.json();
    const sent = embeddings.requests.at(-1);
    expect(sent?.url).toBe('/v1/embeddings');
    expect(sent?.body).toEqual({ model: 'text-embedding-3-small', input: 'what is the boiling point of water at sea level?' });
    expect(gw.gateway.routing.embeddingCacheStats().remote?.misses).toBeGreaterThan(0);
  });

  it('keeps routing with the local embedder when the remote one fails', async () => {
    failEmbeddings = true;
    const before = embeddings.requests.length;
    const res = await chat('name three prime numbers greater than one hundred');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-heimdall-model')).not.toBeNull();
    await res.json();
    expect(embeddings.requests.length).toBeGreaterThan(before);
    expect(gw.logs.some((l) => String(l['msg']).includes('remote embedder failed'))).toBe(true);
  });
});
