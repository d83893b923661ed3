import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGate, startFakeUpstream, type FakeUpstream } from '../../../test/helpers/fake-upstream.js';
import { createCachedAsyncEmbedder, createCachedEmbedder } from '../../engine/cached-embedder.js';
import { createUndiciHttpClient, type PooledHttpClient } from '../shared/http-client.js';
import { createRemoteEmbedder } from './create-remote-embedder.js';

let upstream: FakeUpstream;
let http: PooledHttpClient;
beforeAll(async () => {
  upstream = await startFakeUpstream((_req, res) => res.json(200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [3, 4, 0] }] }));
  http = createUndiciHttpClient({ connectTimeoutMs: 1_000, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000, keepAliveTimeoutMs: 1_000 });
});
afterAll(async () => {
  await http.close();
  await upstream.close();
});

const embedder = (over: { timeoutMs?: number; dim?: number } = {}) =>
  createRemoteEmbedder({ baseUrl: `${upstream.url}/v1/`, model: 'text-embedding-3-small', apiKey: 'sk-test-123', timeoutMs: over.timeoutMs ?? 2_000, dim: over.dim ?? 3, httpClient: http });

describe('createRemoteEmbedder', () => {
  it('posts to /embeddings and returns an L2-normalised vector', async () => {
    const v = await embedder().embed('hello');
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 0]);
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe('/v1/embeddings');
    expect(sent?.headers['authorization']).toBe('Bearer sk-test-123');
    expect(sent?.body).toEqual({ model: 'text-embedding-3-small', input: 'hello' });
  });

  it('rejects a vector of the wrong dimension', async () => {
    await expect(embedder({ dim: 8 }).embed('hello')).rejects.toMatchObject({ code: 'provider_bad_response' });
  });

  it('maps upstream errors to provider codes without echoing the key', async () => {
    upstream.setHandler((_req, res) => res.json(401, { error: { message: 'Incorrect API key provided: sk-test-123', type: 'invalid_request_error' } }));
    const err = await embedder().embed('hello').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider_auth_failed' });
    expect((err as Error).message).not.toContain('sk-test-123');
  });

  it('gives up at its deadline', async () => {
    const gate = createGate();
    upstream.setHandler(async (_req, res) => {
      await res.waitFor(gate);
      res.json(200, { data: [{ embedding: [1, 0, 0] }] });
    });
    const err = await embedder({ timeoutMs: 50 }).embed('slow').catch((e: unknown) => e);
    gate.open();
    expect(err).toMatchObject({ code: 'provider_timeout' });
  });
});

describe('embedding caches', () => {
  it('count hits and misses and stay bounded', () => {
    let calls = 0;
    const cached = createCachedEmbedder({ id: 'x', dim: 1, embed: (t) => (calls++, Float32Array.of(t.length)) }, 2);
    cached.embed('a');
    cached.embed('a');
    cached.embed('bb');
    cached.embed('ccc');
    cached.embed('a');
    expect(calls).toBe(4);
    expect(cached.stats()).toEqual({ hits: 1, misses: 4, size: 2, evictions: 2 });
  });

  it('do not cache failures of a remote embedder', async () => {
    let fail = true;
    const cached = createCachedAsyncEmbedder({ id: 'r', dim: 1, embed: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(Float32Array.of(1))) }, 10);
    await expect(cached.embed('q')).rejects.toThrow('down');
    fail = false;
    await expect(cached.embed('q')).resolves.toEqual(Float32Array.of(1));
    expect(cached.stats().hits).toBe(0);
    await cached.embed('q');
    expect(cached.stats().hits).toBe(1);
  });
});
