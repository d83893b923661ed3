import type { RedisSharedState } from './redis-shared-state.js';
import type { SharedState } from './shared-state.js';

/** Counters and flags describing how the shared state is being served. */
export interface SharedStateHealth {
  /** `up`: calls go to Redis; `down`: to the in-process fallback. */
  readonly redis: 'up' | 'down';
  /** Calls Redis answered. */
  readonly redisCalls: number;
  /** Calls served in-process because Redis was down or failed. */
  readonly fallbackCalls: number;
  /** Redis calls that failed (each was then served in-process). */
  readonly redisErrors: number;
  /** Times Redis went from up to down, and back. */
  readonly outages: number;
  readonly recoveries: number;
  readonly lastError?: string;
}

/** Shared state that survives Redis outages. */
export interface ResilientSharedState extends SharedState {
  health(): SharedStateHealth;
  /** Called with `true` when Redis comes back, `false` when it is lost. Returns an unsubscribe function. */
  onHealthChange(listener: (up: boolean) => void): () => void;
  /** Resolves once Redis is `up` (or `down`): for tests and readiness probes, no polling. */
  waitFor(redis: 'up' | 'down'): Promise<void>;
}

/** Options of {@link createResilientSharedState}. */
export interface ResilientSharedStateOptions {
  /** Epoch-ms clock (default `Date.now`). */
  readonly now?: () => number;
  /** After a failed call on a connection that still looks alive (a timeout), try Redis again after this long. Default 1 s. */
  readonly retryAfterMs?: number;
}

type AsyncFn = (...args: never[]) => Promise<unknown>;

/**
 * Serves every call from Redis while it is reachable and from `local` (in-process) while it is
 * not: the gateway keeps routing, limiting and breaking circuits during an outage, each replica on
 * its own. Redis is `down` from the first failed call or the client's `close` event, and `up`
 * again on its `ready` event (the client reconnects by itself). State written in-process during an
 * outage is not copied to Redis: counters restart from what Redis held.
 */
export function createResilientSharedState(redis: RedisSharedState, local: SharedState, options: ResilientSharedStateOptions = {}): ResilientSharedState {
  const now = options.now ?? Date.now;
  const retryAfter = options.retryAfterMs ?? 1_000;
  let up = redis.isConnected();
  let retryAt = 0;
  let redisCalls = 0;
  let fallbackCalls = 0;
  let redisErrors = 0;
  let outages = 0;
  let recoveries = 0;
  let lastError: string | undefined;
  const listeners = new Set<(up: boolean) => void>();

  const setUp = (value: boolean): void => {
    if (value === up) return;
    up = value;
    if (value) recoveries++;
    else outages++;
    for (const l of [...listeners]) l(value);
  };
  const onReady = (): void => setUp(true);
  const onClose = (): void => setUp(false);
  redis.client.on('ready', onReady);
  redis.client.on('close', onClose);
  redis.client.on('end', onClose);

  const useRedis = (): boolean => {
    if (up) return true;
    // A timeout marked Redis down although the connection stayed open: probe it again later.
    if (redis.isConnected() && now() >= retryAt) {
      setUp(true);
      return true;
    }
    return false;
  };

  const wrap = <F extends AsyncFn>(primary: F, fallback: F): F =>
    (async (...args: Parameters<F>) => {
      if (useRedis()) {
        try {
          const result = await primary(...args);
          redisCalls++;
          return result;
        } catch (err) {
          redisErrors++;
          lastError = err instanceof Error ? err.message : String(err);
          retryAt = now() + retryAfter;
          setUp(false);
        }
      }
      fallbackCalls++;
      return fallback(...args);
    }) as F;

  const onHealthChange = (listener: (up: boolean) => void): (() => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const r = redis;
  const l = local;
  return {
    backend: () => (useRedis() ? 'redis' : 'memory'),
    kv: { get: wrap(r.kv.get, l.kv.get), set: wrap(r.kv.set, l.kv.set), delete: wrap(r.kv.delete, l.kv.delete) },
    cooldowns: {
      setCooldown: wrap(r.cooldowns.setCooldown, l.cooldowns.setCooldown),
      cooldownRemainingMs: wrap(r.cooldowns.cooldownRemainingMs, l.cooldowns.cooldownRemainingMs),
      isCoolingDown: wrap(r.cooldowns.isCoolingDown, l.cooldowns.isCoolingDown),
    },
    circuits: {
      tryAcquire: wrap(r.circuits.tryAcquire, l.circuits.tryAcquire),
      recordSuccess: wrap(r.circuits.recordSuccess, l.circuits.recordSuccess),
      recordFailure: wrap(r.circuits.recordFailure, l.circuits.recordFailure),
      release: wrap(r.circuits.release, l.circuits.release),
      read: wrap(r.circuits.read, l.circuits.read),
    },
    counters: { consume: wrap(r.counters.consume, l.counters.consume), adjust: wrap(r.counters.adjust, l.counters.adjust) },
    health: () => ({ redis: up ? 'up' : 'down', redisCalls, fallbackCalls, redisErrors, outages, recoveries, ...(lastError === undefined ? {} : { lastError }) }),
    onHealthChange,
    waitFor(target) {
      if ((target === 'up') === up) return Promise.resolve();
      return new Promise((resolve) => {
        const off = onHealthChange((value) => {
          if ((target === 'up') === value) {
            off();
            resolve();
          }
        });
      });
    },
    async close() {
      redis.client.off('ready', onReady);
      redis.client.off('close', onClose);
      redis.client.off('end', onClose);
      listeners.clear();
      await Promise.all([redis.close(), local.close()]);
    },
  };
}
