/**
 * A separate gateway-like process for the multi-process limit test: connects to Redis, says
 * `ready`, waits for `go` on stdin (so both processes fire together), then makes `attempts`
 * concurrent reservations against one key and prints how many were allowed, as JSON.
 *
 * argv: redisUrl prefix keyName rpm attempts nowMs
 */
import { createRateLimiter } from '../../src/limits/rate-limiter.js';
import { connectRedis } from '../../src/state/connect-redis.js';
import { createRedisSharedState } from '../../src/state/redis-shared-state.js';

const [url, prefix, keyName, rpm, attempts, nowMs] = process.argv.slice(2);
if (url === undefined || prefix === undefined || keyName === undefined || rpm === undefined || attempts === undefined || nowMs === undefined) {
  throw new Error('usage: limit-worker redisUrl prefix keyName rpm attempts nowMs');
}
const now = Number(nowMs);
const client = await connectRedis(url, { commandTimeoutMs: 5_000 });
const state = createRedisSharedState(client, { now: () => now, prefix });
const limiter = createRateLimiter({ counters: state.counters, limits: new Map([[keyName, { rpm: Number(rpm), tpm: 1_000_000 }]]), now: () => now });

process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  process.stdin.on('data', (d: Buffer) => {
    if (d.toString().includes('go')) resolve();
  });
});
const results = await Promise.allSettled(Array.from({ length: Number(attempts) }, () => limiter.reserve(keyName, { tokens: 10, costUsd: 0 })));
const allowed = results.filter((r) => r.status === 'fulfilled').length;
const codes = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as { code?: string }).code)] : []));
process.stdout.write(`${JSON.stringify({ allowed, refusedCodes: [...new Set(codes)] })}\n`);
await state.close();
process.stdin.destroy();
