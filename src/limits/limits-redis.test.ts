import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../../test/redis/redis-server.js';
import { isGatewayError } from '../errors/gateway-error.js';
import { connectRedis } from '../state/connect-redis.js';
import { createSharedState } from '../state/create-shared-state.js';
import { createRedisSharedState } from '../state/redis-shared-state.js';
import { createRateLimiter } from './rate-limiter.js';

const NOW = 1_700_000_040_000;
let server: TestRedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.stop();
});

describe('rate limits shared through Redis', () => {
  it('lets N concurrent clients (separate connections) take exactly the limit, never more', async () => {
    const replicas = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const client = await connectRedis(server.url, { commandTimeoutMs: 5_000 });
        clients.push(client);
        const state = createRedisSharedState(client, { now: () => NOW, prefix: 'atomic:' });
        return createRateLimiter({ counters: state.counters, limits: new Map([['team', { rpm: 37, tpm: 3_700, budgetUsd: 100 }]]), now: () => NOW });
      }),
    );
    const attempts = replicas.flatMap((limiter) => Array.from({ length: 25 }, () => limiter.reserve('team', { tokens: 100, costUsd: 0.01 })));
    const results = await Promise.allSettled(attempts);
    const allowed = results.filter((r) => r.status === 'fulfilled');
    expect(allowed).toHaveLength(37);
    for (const r of results) {
      if (r.status === 'rejected') expect(isGatewayError(r.reason) && r.reason.code === 'policy_rate_limited' && r.reason.status === 429).toBe(true);
    }
    // All or nothing: tokens were charged for exactly the allowed requests (37 * 100 = the tpm limit).
    const probe = replicas[0];
    if (probe === undefined) throw new Error('no replica');
    const err: unknown = await probe.reserve('team', { tokens: 1, costUsd: 0 }).catch((e: unknown) => e);
    // Sliding window: the full minute, then until the 37 carried over weigh 36 (1/37 of a minute): 61.6 s.
    expect(err).toMatchObject({ code: 'policy_rate_limited', retryAfterSeconds: 62 });
  });

  it('shares one limit between two separate Node processes', async () => {
    const worker = fileURLToPath(new URL('../../test/redis/limit-worker.ts', import.meta.url));
    const run = (): { ready: Promise<void>; go: () => void; done: Promise<{ allowed: number; refusedCodes: string[] }> } => {
      const child = spawn(process.execPath, ['--import', 'tsx', worker, server.url, 'procs:', 'shared', '50', '40', String(NOW)], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let onReady: () => void = () => undefined;
      const ready = new Promise<void>((resolve) => (onReady = resolve));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready\n')) onReady();
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const done = new Promise<{ allowed: number; refusedCodes: string[] }>((resolve, reject) => {
        child.on('exit', (code) => {
          if (code !== 0) return reject(new Error(`worker exited with ${code}: ${err}`));
          const last = out.trim().split('\n').at(-1) ?? '';
          resolve(JSON.parse(last) as { allowed: number; refusedCodes: string[] });
        });
      });
      return { ready, go: () => child.stdin.write('go\n'), done };
    };
    const a = run();
    const b = run();
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    const [ra, rb] = await Promise.all([a.done, b.done]);
    // 80 attempts against a limit of 50: together exactly 50, whatever the split.
    expect(ra.allowed + rb.allowed).toBe(50);
    expect(ra.allowed).toBeGreaterThan(0);
    expect(rb.allowed).toBeGreaterThan(0);
    expect([...new Set([...ra.refusedCodes, ...rb.refusedCodes])]).toEqual(['policy_rate_limited']);
  });

  it('keeps limiting in-process while Redis is down, and uses Redis again once it is back', async () => {
    const state = await createSharedState({ redisUrl: server.url, now: () => NOW, prefix: 'outage-limits:', maxReconnectDelayMs: 100 });
    const limiter = createRateLimiter({ counters: state.counters, limits: new Map([['k', { rpm: 2 }]]), now: () => NOW });
    await limiter.reserve('k', { tokens: 0, costUsd: 0 });
    const down = state.resilient?.waitFor('down');
    await server.kill();
    await down;
    await limiter.reserve('k', { tokens: 0, costUsd: 0 });
    await limiter.reserve('k', { tokens: 0, costUsd: 0 });
    await expect(limiter.reserve('k', { tokens: 0, costUsd: 0 })).rejects.toMatchObject({ code: 'policy_rate_limited' });
    const up = state.resilient?.waitFor('up');
    await server.restart();
    await up;
    await limiter.reserve('k', { tokens: 0, costUsd: 0 });
    expect(state.health()).toMatchObject({ redis: 'up', outages: 1, recoveries: 1 });
    await state.close();
  });
});
