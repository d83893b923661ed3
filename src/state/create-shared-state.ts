import type { ConnectRedisOptions } from './connect-redis.js';
import { createMemorySharedState } from './memory-shared-state.js';
import { createRedisSharedState } from './redis-shared-state.js';
import { createResilientSharedState, type ResilientSharedState, type SharedStateHealth } from './resilient-shared-state.js';
import type { SharedState } from './shared-state.js';

/** Options of {@link createSharedState}. */
export interface CreateSharedStateOptions extends ConnectRedisOptions {
  /** `redis.url` from the config; absent: in-process state only. */
  readonly redisUrl?: string | undefined;
  readonly now?: () => number;
  /** Key prefix in Redis (default `heimdall:`). */
  readonly prefix?: string;
  /** Bound on each in-process map (default 100,000). */
  readonly maxEntries?: number;
}

/** Shared state plus its health (`undefined` when running in-process only, without Redis). */
export type GatewaySharedState = SharedState & { health(): SharedStateHealth | undefined; readonly resilient?: ResilientSharedState };

/**
 * The gateway's shared state: in-process when no Redis URL is configured; otherwise Redis with an
 * in-process fallback for outages while running.
 *
 * Start-up policy: when `redisUrl` is set and Redis does not answer at start, this REJECTS (the
 * gateway must not start): silently running alone would let each replica allow the whole limit.
 *
 * @throws GatewayError `gateway_unavailable` naming Redis and its redacted URL.
 */
export async function createSharedState(options: CreateSharedStateOptions = {}): Promise<GatewaySharedState> {
  const local = createMemorySharedState({ ...(options.now ? { now: options.now } : {}), ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }) });
  if (options.redisUrl === undefined || options.redisUrl === '') return { ...local, health: () => undefined };
  // ioredis costs ~20 MB of RSS once loaded: only a gateway that uses Redis pays for it.
  const { connectRedis } = await import('./connect-redis.js');
  const client = await connectRedis(options.redisUrl, options);
  const redis = createRedisSharedState(client, { ...(options.now ? { now: options.now } : {}), ...(options.prefix === undefined ? {} : { prefix: options.prefix }) });
  const resilient = createResilientSharedState(redis, local, options.now ? { now: options.now } : {});
  return { ...resilient, resilient };
}
