/**
 * Overhead of the shared-state paths per request: in-process vs Redis (loopback, a private
 * redis-server). Prints figures; asserts nothing. Run: `npx tsx test/redis/bench-shared-state.ts`.
 */
import { createRateLimiter } from '../../src/limits/rate-limiter.js';
import { createSharedState } from '../../src/state/create-shared-state.js';
import { createMemorySharedState } from '../../src/state/memory-shared-state.js';
import type { SharedState } from '../../src/state/shared-state.js';
import { startRedisServer } from './redis-server.js';

const N = 5_000;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function sequential(label: string, op: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 500; i++) await op(i); // warm-up (JIT, script cache)
  const t: number[] = [];
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    await op(i);
    t.push((performance.now() - s) * 1000);
  }
  t.sort((a, b) => a - b);
  console.log(`${label.padEnd(48)} p50 ${pct(t, 0.5).toFixed(1).padStart(7)} µs   p99 ${pct(t, 0.99).toFixed(1).padStart(7)} µs`);
}

async function concurrent(label: string, op: (i: number) => Promise<unknown>, inFlight = 64): Promise<void> {
  const total = N * 4;
  let next = 0;
  const s = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) await op(next++);
    }),
  );
  const secs = (performance.now() - s) / 1000;
  console.log(`${label.padEnd(48)} ${Math.round(total / secs).toLocaleString('en-US').padStart(9)} ops/s with ${inFlight} in flight`);
}

async function suite(name: string, state: SharedState): Promise<void> {
  const limits = new Map([['team', { rpm: 1e9, tpm: 1e12, budgetUsd: 1e6 }]]);
  const limiter = createRateLimiter({ counters: state.counters, limits });
  const policy = { failureThreshold: 5, coolOffMs: 30_000, windowMs: 60_000, probeLeaseMs: 10_000 };
  await state.kv.set('bench', JSON.stringify({ artifactVersion: 'v', bucket: 'mid', candidates: [], explanation: {} }), 600_000);
  await sequential(`${name}: limiter reserve (rpm+tpm+budget)`, () => limiter.reserve('team', { tokens: 500, costUsd: 0.001 }));
  await sequential(`${name}: limiter reserve + settle`, async () => {
    const r = await limiter.reserve('team', { tokens: 500, costUsd: 0.001 });
    if (r) await limiter.settle(r, { tokens: 420, costUsd: 0.0008 });
  });
  await sequential(`${name}: decision cache get (hit)`, () => state.kv.get('bench'));
  await sequential(`${name}: circuit recordFailure`, (i) => state.circuits.recordFailure(`t${i % 50}`, policy));
  await concurrent(`${name}: limiter reserve`, () => limiter.reserve('team', { tokens: 500, costUsd: 0.001 }));
}

const server = await startRedisServer();
try {
  await suite('memory', createMemorySharedState());
  const redis = await createSharedState({ redisUrl: server.url, prefix: 'bench:' });
  await suite('redis (resilient)', redis);
  console.log(JSON.stringify({ health: redis.health() }));
  await redis.close();
} finally {
  await server.stop();
}
