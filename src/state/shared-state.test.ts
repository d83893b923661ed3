import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../../test/redis/redis-server.js';
import { connectRedis } from './connect-redis.js';
import { createMemorySharedState } from './memory-shared-state.js';
import { createRedisSharedState } from './redis-shared-state.js';
import type { CircuitPolicy, CounterSpec, SharedState } from './shared-state.js';

/** A clock the test moves by hand. */
interface Clock {
  t: number;
  readonly now: () => number;
}
/** The start of a minute window (a multiple of 60 s). */
const BASE = 1_700_000_040_000;
const clock = (t = BASE): Clock => {
  const c = { t, now: () => c.t };
  return c;
};

const POLICY: CircuitPolicy = { failureThreshold: 3, coolOffMs: 10_000, windowMs: 60_000, probeLeaseMs: 5_000 };

let server: TestRedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.stop();
});

let ns = 0;
const backends: Record<string, (c: Clock) => Promise<SharedState>> = {
  memory: (c) => Promise.resolve(createMemorySharedState({ now: c.now })),
  redis: async (c) => {
    const client = await connectRedis(server.url);
    clients.push(client);
    // A fresh key prefix per test: tests share the server, never each other's keys.
    return createRedisSharedState(client, { now: c.now, prefix: `t${++ns}:` });
  },
};

describe.each(Object.keys(backends))('SharedState contract: %s', (name) => {
  const make = backends[name] as (c: Clock) => Promise<SharedState>;

  it('stores values with a time to live', async () => {
    const c = clock();
    const s = await make(c);
    expect(await s.kv.get('a')).toBeUndefined();
    await s.kv.set('a', '{"x":1}', 60_000);
    expect(await s.kv.get('a')).toBe('{"x":1}');
    await s.kv.delete('a');
    expect(await s.kv.get('a')).toBeUndefined();
  });

  it('keeps cooldowns until their deadline on the injected clock', async () => {
    const c = clock();
    const s = await make(c);
    expect(await s.cooldowns.isCoolingDown('client')).toBe(false);
    await s.cooldowns.setCooldown('client', 240_000);
    expect(await s.cooldowns.isCoolingDown('client')).toBe(true);
    c.t += 100_000;
    expect(await s.cooldowns.cooldownRemainingMs('client')).toBe(140_000);
    c.t += 140_000;
    expect(await s.cooldowns.isCoolingDown('client')).toBe(false);
    expect(await s.cooldowns.cooldownRemainingMs('client')).toBe(0);
  });

  it('opens a breaker after consecutive failures, admits one probe after the cool-off, closes on its success', async () => {
    const c = clock();
    const s = await make(c);
    const cb = s.circuits;
    expect(await cb.tryAcquire('openai/gpt', POLICY)).toBe(true);
    await cb.recordFailure('openai/gpt', POLICY);
    await cb.recordFailure('openai/gpt', POLICY);
    // A success in between resets the count: failures must be consecutive.
    expect(await cb.recordSuccess('openai/gpt', POLICY)).toMatchObject({ state: 'closed', failures: 0 });
    await cb.recordFailure('openai/gpt', POLICY);
    await cb.recordFailure('openai/gpt', POLICY);
    const opened = await cb.recordFailure('openai/gpt', POLICY);
    expect(opened).toMatchObject({ state: 'open', failures: 3, openUntil: c.t + 10_000, changed: true });
    expect(await cb.tryAcquire('openai/gpt', POLICY)).toBe(false);
    c.t += 10_000;
    expect((await cb.read('openai/gpt')).state).toBe('half-open');
    expect(await cb.tryAcquire('openai/gpt', POLICY)).toBe(true);
    // Only one probe at a time.
    expect(await cb.tryAcquire('openai/gpt', POLICY)).toBe(false);
    expect(await cb.recordSuccess('openai/gpt', POLICY)).toMatchObject({ state: 'closed', failures: 0, openUntil: 0 });
    expect(await cb.tryAcquire('openai/gpt', POLICY)).toBe(true);
  });

  it('re-opens on a failed probe, frees released or abandoned probe slots, forgets old failures', async () => {
    const c = clock();
    const s = await make(c);
    const cb = s.circuits;
    for (let i = 0; i < 3; i++) await cb.recordFailure('t', POLICY);
    c.t += 10_000;
    expect(await cb.tryAcquire('t', POLICY)).toBe(true);
    expect(await cb.recordFailure('t', POLICY)).toMatchObject({ state: 'open', openUntil: c.t + 10_000 });
    c.t += 10_000;
    expect(await cb.tryAcquire('t', POLICY)).toBe(true);
    await cb.release('t');
    expect(await cb.tryAcquire('t', POLICY)).toBe(true);
    // The probe's replica never reported back: the lease runs out and another probe may go.
    c.t += 5_000;
    expect(await cb.tryAcquire('t', POLICY)).toBe(true);

    await cb.recordFailure('w', POLICY);
    await cb.recordFailure('w', POLICY);
    c.t += 60_000;
    expect(await cb.recordFailure('w', POLICY)).toMatchObject({ state: 'closed', failures: 1 });
  });

  it('charges every counter or none, and refuses past the limit with a retry time', async () => {
    const c = clock(BASE + 40_000); // 40 s into a minute window
    const s = await make(c);
    const rpm: CounterSpec = { key: 'rpm:k', limit: 3, cost: 1, window: { kind: 'sliding', ms: 60_000 } };
    const tpm = (cost: number): CounterSpec => ({ key: 'tpm:k', limit: 1_000, cost, window: { kind: 'sliding', ms: 60_000 } });
    expect((await s.counters.consume([rpm, tpm(600)])).allowed).toBe(true);
    // Tokens would go over: refused, and the request counter is not charged either.
    const refused = await s.counters.consume([rpm, tpm(600)]);
    expect(refused).toMatchObject({ allowed: false, refusedIndex: 1 });
    // The current window alone is too full (600 + 600 > 1000): the rest of this window (20 s), then until
    // the 600 carried over weigh at most 400 (another 20 s).
    expect(refused.retryAfterMs).toBe(40_000);
    expect((await s.counters.consume([rpm, tpm(100)])).allowed).toBe(true);
    expect((await s.counters.consume([rpm, tpm(100)])).allowed).toBe(true);
    const overRpm = await s.counters.consume([rpm, tpm(0)]);
    expect(overRpm).toMatchObject({ allowed: false, refusedIndex: 0 });
    // Next minute: 3 requests in the previous window weigh 3 * (60-t)/60; at t=0 that is still 3.
    c.t = BASE + 60_000;
    expect((await s.counters.consume([rpm])).allowed).toBe(false);
    // A third of the way in, the previous window weighs 2: one more fits.
    c.t = BASE + 80_000;
    expect((await s.counters.consume([rpm])).allowed).toBe(true);
    expect((await s.counters.consume([rpm])).allowed).toBe(false);
  });

  it('computes the same sliding retry time on both backends', async () => {
    const c = clock(BASE + 10_000); // 10 s into the window
    const s = await make(c);
    const spec: CounterSpec = { key: 'r', limit: 10, cost: 1, window: { kind: 'sliding', ms: 60_000 } };
    for (let i = 0; i < 10; i++) expect((await s.counters.consume([spec])).allowed).toBe(true);
    c.t = BASE + 70_000; // next window, 10 s in: previous (10) weighs 10 * 50/60
    let allowed = 0;
    while ((await s.counters.consume([spec])).allowed) allowed++;
    expect(allowed).toBe(1);
    const r = await s.counters.consume([spec]);
    // used = 10*(60000-10000)/60000 + 1; room for 1 more when 10*(50000-t)/60000 <= 8: t = 2000.
    expect(r.retryAfterMs).toBe(2_000);
  });

  it('keeps fixed-window budgets until the window ends, and settles with adjust', async () => {
    const c = clock(1_000);
    const s = await make(c);
    const budget = (cost: number): CounterSpec => ({ key: 'usd:k', limit: 1_000_000, cost, window: { kind: 'fixed', start: 0, end: 86_400_000 } });
    const first = await s.counters.consume([budget(900_000)]);
    expect(first.allowed).toBe(true);
    expect(await s.counters.consume([budget(200_000)])).toMatchObject({ allowed: false, retryAfterMs: 86_399_000 });
    // The request actually cost less: give the difference back.
    const slot = first.slots[0];
    if (slot === undefined) throw new Error('no slot');
    await s.counters.adjust([{ slot, delta: -300_000 }]);
    expect((await s.counters.consume([budget(200_000)])).allowed).toBe(true);
    // Spent 800k: an unknown-cost (0) request still passes; once at the limit it does not.
    await s.counters.adjust([{ slot, delta: 10_000_000 }]);
    expect((await s.counters.consume([budget(0)])).allowed).toBe(false);
    await s.counters.adjust([{ slot, delta: -99_000_000 }]);
    expect((await s.counters.consume([budget(1_000_000)])).allowed).toBe(true);
    c.t = 86_400_000;
    const nextDay: CounterSpec = { key: 'usd:k', limit: 1_000_000, cost: 1_000_000, window: { kind: 'fixed', start: 86_400_000, end: 172_800_000 } };
    expect((await s.counters.consume([nextDay])).allowed).toBe(true);
  });
});
