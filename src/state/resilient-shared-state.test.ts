import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedisServer, type TestRedisServer } from '../../test/redis/redis-server.js';
import { isGatewayError } from '../errors/gateway-error.js';
import { createSharedState } from './create-shared-state.js';
import type { CounterSpec } from './shared-state.js';

let server: TestRedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

const rpm = (limit: number): CounterSpec => ({ key: 'rpm:outage', limit, cost: 1, window: { kind: 'sliding', ms: 60_000 } });

describe('createSharedState', () => {
  it('without a Redis URL serves everything in-process', async () => {
    const s = await createSharedState();
    expect(s.backend()).toBe('memory');
    expect(s.health()).toBeUndefined();
    await s.cooldowns.setCooldown('k', 1_000);
    expect(await s.cooldowns.isCoolingDown('k')).toBe(true);
    await s.close();
  });

  it('refuses to start when the configured Redis is unreachable, naming it without its password', async () => {
    const port = await freePort();
    const err: unknown = await createSharedState({ redisUrl: `redis://user:hunter2@127.0.0.1:${port}`, connectTimeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(isGatewayError(err)).toBe(true);
    if (!isGatewayError(err)) return;
    expect(err.code).toBe('gateway_unavailable');
    expect(err.message).toContain(`Redis at redis://[redacted]:[redacted]@127.0.0.1:${port}`);
    expect(err.message).toContain('unreachable at start');
    expect(err.message).not.toContain('hunter2');
  });

  it('falls back to in-process state when Redis dies, and goes back to Redis when it returns', async () => {
    const t = 1_700_000_040_000;
    const s = await createSharedState({ redisUrl: server.url, now: () => t, prefix: 'outage:', maxReconnectDelayMs: 100 });
    expect(s.backend()).toBe('redis');
    expect((await s.counters.consume([rpm(2)])).allowed).toBe(true);
    await s.cooldowns.setCooldown('oauth', 60_000);
    expect(s.health()).toMatchObject({ redis: 'up', redisCalls: 2, fallbackCalls: 0 });

    const down = s.resilient?.waitFor('down');
    await server.kill();
    await down;
    // Routing goes on: every store answers from the in-process fallback.
    expect(s.backend()).toBe('memory');
    expect((await s.counters.consume([rpm(2)])).allowed).toBe(true);
    expect((await s.counters.consume([rpm(2)])).allowed).toBe(true);
    expect((await s.counters.consume([rpm(2)])).allowed).toBe(false);
    expect(await s.circuits.tryAcquire('a/b', { failureThreshold: 1, coolOffMs: 1_000, windowMs: 1_000, probeLeaseMs: 1_000 })).toBe(true);
    await s.kv.set('d', 'x', 1_000);
    expect(await s.kv.get('d')).toBe('x');
    expect(s.health()).toMatchObject({ redis: 'down', outages: 1, fallbackCalls: 6 });

    const up = s.resilient?.waitFor('up');
    await server.restart();
    await up;
    expect(s.backend()).toBe('redis');
    // The restarted server is empty (no persistence): the counter starts again from Redis's view.
    expect((await s.counters.consume([rpm(2)])).allowed).toBe(true);
    expect((await s.counters.consume([rpm(2)])).allowed).toBe(true);
    expect((await s.counters.consume([rpm(2)])).allowed).toBe(false);
    expect(s.health()).toMatchObject({ redis: 'up', outages: 1, recoveries: 1, redisCalls: 5 });
    await s.close();
  });
});
