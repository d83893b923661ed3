import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PROVIDERS, buildTestState, TOPIC_PROMPTS } from '../../test/helpers/test-artifact.js';
import { startRedisServer, type TestRedisServer } from '../../test/redis/redis-server.js';
import { createRouter, type DecisionCacheBackend } from '../engine/create-router.js';
import type { ChatRequest } from '../types/chat.js';
import { connectRedis } from './connect-redis.js';
import { createMemorySharedState } from './memory-shared-state.js';
import { createRedisSharedState } from './redis-shared-state.js';
import { createSharedDecisionCache } from './shared-decision-cache.js';

const routerState = buildTestState();
const request = (text: string): ChatRequest => ({ format: 'openai', model: 'auto', system: [], messages: [{ role: 'user', content: [{ type: 'text', text }] }], stream: false });

/** Wraps a backend to count calls and let the test await the router's fire-and-forget writes. */
function observed(inner: DecisionCacheBackend) {
  const stats = { gets: 0, hits: 0, sets: 0 };
  let pending: Promise<void> = Promise.resolve();
  const backend: DecisionCacheBackend = {
    async get(key) {
      stats.gets++;
      const v = await inner.get(key);
      if (v !== undefined) stats.hits++;
      return v;
    },
    set(key, decision) {
      stats.sets++;
      pending = inner.set(key, decision);
      return pending;
    },
  };
  return { backend, stats, written: () => pending };
}

let server: TestRedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.stop();
});

describe('shared decision cache', () => {
  it('lets one replica reuse the decision another replica made (through Redis)', async () => {
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const client = await connectRedis(server.url);
        clients.push(client);
        const o = observed(createSharedDecisionCache(createRedisSharedState(client, { prefix: 'dc-test:' }).kv));
        return { ...o, router: createRouter({ state: () => routerState, sharedCache: o.backend }) };
      }),
    );
    const [a, b] = replicas;
    if (a === undefined || b === undefined) throw new Error('replicas missing');
    const req = request(TOPIC_PROMPTS.code[0]);
    const first = await a.router.decideAsync(req, { providers: ALL_PROVIDERS });
    await a.written();
    expect(a.stats).toEqual({ gets: 1, hits: 0, sets: 1 });
    const second = await b.router.decideAsync(req, { providers: ALL_PROVIDERS });
    expect(b.stats).toEqual({ gets: 1, hits: 1, sets: 0 });
    expect(second).toEqual(first);
    // The second call on B is served by its in-process LRU, without asking Redis again.
    await b.router.decideAsync(req, { providers: ALL_PROVIDERS });
    expect(b.stats.gets).toBe(1);
    // Another credential set is another key: decided afresh.
    await b.router.decideAsync(req, { providers: new Set(['openai', 'anthropic']) });
    expect(b.stats).toMatchObject({ gets: 2, hits: 1, sets: 1 });
  });

  it('ignores a decision of another artifact version, corrupt values and a failing backend', async () => {
    const kv = createMemorySharedState().kv;
    const corrupt: string[] = [];
    const cache = createSharedDecisionCache(kv, { onCorrupt: (k) => corrupt.push(k) });
    const req = request(TOPIC_PROMPTS.math[0]);
    const writer = observed(cache);
    const old = createRouter({ state: () => ({ ...routerState, version: 'old-artifact' }), sharedCache: writer.backend });
    const stale = await old.decideAsync(req, { providers: ALL_PROVIDERS });
    await writer.written();
    expect(stale.artifactVersion).toBe('old-artifact');
    // The router's key holds the version, so the new artifact never even finds the old entry.
    const fresh = await createRouter({ state: () => routerState, sharedCache: cache }).decideAsync(req, { providers: ALL_PROVIDERS });
    expect(fresh.artifactVersion).toBe(routerState.version);

    const stored = `dc:${createHash('sha256').update('x').digest('base64url')}`;
    await kv.set(stored, '{not json', 60_000);
    expect(await cache.get('x')).toBeUndefined();
    await kv.set(stored, '{"artifactVersion":"v"}', 60_000);
    expect(await cache.get('x')).toBeUndefined();
    expect(corrupt).toEqual([stored, stored]);

    const broken: DecisionCacheBackend = { get: () => Promise.reject(new Error('redis down')), set: () => Promise.reject(new Error('redis down')) };
    const d = await createRouter({ state: () => routerState, sharedCache: broken }).decideAsync(req, { providers: ALL_PROVIDERS });
    expect(d.candidates.length).toBeGreaterThan(0);
  });
});
