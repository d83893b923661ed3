import type { ModelListSource } from '../catalog/sync/fetch-model-list.js';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import type { Config } from '../config/config-schema.js';
import { createCircuitBreakers, type CircuitBreakers, type CircuitState } from '../engine/circuit-breaker.js';
import { createClientCooldowns, type ClientCooldowns } from '../engine/client-cooldowns.js';
import { createSessionTracker, type SessionTracker } from '../engine/sessions.js';
import { createRateLimiter, limitsFromConfig, type RateLimiter } from '../limits/index.js';
import { createDecisionLogger, type DecisionLogger } from '../logs/create-decision-logger.js';
import { startDecisionRetention } from '../logs/decision-retention.js';
import type { GatewayLogger } from '../obs/create-logger.js';
import { createSharedCircuitBreakers } from '../state/shared-circuit-breakers.js';
import { createSharedClientCooldowns } from '../state/shared-client-cooldowns.js';
import { createSharedState, type GatewaySharedState } from '../state/create-shared-state.js';
import { openStore, type OpenStoreOptions } from '../store/open-store.js';
import { primaryStoreDriver } from './cluster-store.js';
import type { Store } from '../store/store.js';
import { PROVIDER_IDS } from '../types/provider-id.js';

/** What {@link createOperations} may be given instead of building it from the config (tests, embedders). */
export interface OperationsOptions {
  /** Use this store instead of opening `storage.url`; `null`: run without a store. The gateway does not close an injected store. */
  readonly store?: Store | null;
  /** Use this shared state instead of `redis.url` (the gateway does not close it). */
  readonly sharedState?: GatewaySharedState;
  readonly log: GatewayLogger;
  readonly circuit?: { readonly failureThreshold?: number; readonly coolOffMs?: number };
  readonly onCircuitChange?: (key: string, state: CircuitState) => void;
  /** The router's embedder, so decision records keep the routing text's embedding (built when the record is logged, after the answer was sent; normally a cache hit). */
  readonly embed?: (text: string) => Float32Array | undefined;
  /** Prices usage for records whose cost the request path did not compute. */
  readonly catalog?: () => ModelCatalog;
  /** Runs the store's periodic jobs (decision retention); one process of a cluster does (default true). */
  readonly scheduledJobs?: boolean;
}

/** The gateway's operational machinery: durable store, shared state and what is built on them. */
export interface Operations {
  /** Undefined when nothing needs a store (decision logs off, no registry, no catalog refresh). */
  readonly store: Store | undefined;
  readonly shared: GatewaySharedState;
  /** True when breakers, cooldowns, limits and sessions go through Redis. */
  readonly redis: boolean;
  readonly breakers: CircuitBreakers;
  readonly cooldowns: ClientCooldowns;
  /** Undefined when `decision_log.enabled` is false or there is no store. */
  readonly decisionLog: DecisionLogger | undefined;
  /** Per gateway key rpm / tpm / budget; limits are read from the config in service on each request. */
  readonly limiter: RateLimiter;
  /** Undefined when `sessions.enabled` is false. */
  readonly sessions: SessionTracker | undefined;
  /** Settles writes in flight (breakers, cooldowns, sessions) and flushes the decision log. */
  flush(): Promise<void>;
  /** Flushes, then releases what it opened itself (store, Redis). */
  close(): Promise<void>;
}

/**
 * The model lists the gateway refreshes on its own: only providers with a configured key. Without
 * any key a fresh install makes no network call at start (OpenRouter's public list is fetched only
 * by `heimdall catalog refresh` then).
 */
export function scheduledCatalogSources(config: Config, all: (config: Config) => ModelListSource[]): ModelListSource[] {
  return all(config).filter((s) => s.apiKey !== undefined);
}

/** True when some provider has a key configured on the gateway. */
export function hasProviderKeys(config: Config): boolean {
  return PROVIDER_IDS.some((id) => config.providers[id].enabled && config.providers[id].api_key !== undefined);
}

function storeOptions(): OpenStoreOptions {
  const sqliteDriver = primaryStoreDriver();
  return sqliteDriver === undefined ? {} : { sqliteDriver };
}

/**
 * Opens the store (when something needs it) and the shared state, and builds the decision logger,
 * the rate limiter, the session tracker and the circuit breakers and cooldowns on them: in-process
 * without `redis.url`, shared through Redis with it (breakers and cooldowns answer from an
 * in-process mirror, so the request path does no Redis round trip for them).
 * @throws GatewayError `gateway_unavailable` naming the database or Redis when either is unreachable at start.
 */
export async function createOperations(config: Config, getConfig: () => Config, options: OperationsOptions): Promise<Operations> {
  const log = options.log;
  const needsStore = config.decision_log.enabled || config.artifact.registry === true || hasProviderKeys(config);
  const ownStore = options.store === undefined && needsStore;
  const store = options.store === undefined ? (needsStore ? await openStore(config.storage.url, storeOptions()) : undefined) : (options.store ?? undefined);
  let shared: GatewaySharedState;
  try {
    shared =
      options.sharedState ??
      (await createSharedState({
        redisUrl: config.redis.url,
        onError: (err) => log.warn({ err: err.message }, 'redis connection error'),
      }));
  } catch (err) {
    if (ownStore) await store?.close().catch(() => undefined);
    throw err;
  }
  const redis = shared.resilient !== undefined;
  if (store !== undefined) log.info({ storage: store.description }, 'store opened');
  if (redis) log.info('shared state: redis');

  const failureThreshold = options.circuit?.failureThreshold ?? 5;
  const coolOffMs = options.circuit?.coolOffMs ?? 30_000;
  const onStateChange = options.onCircuitChange;
  const sharedBreakers = redis
    ? createSharedCircuitBreakers(shared.circuits, {
        policy: { failureThreshold, coolOffMs, windowMs: Math.max(60_000, coolOffMs), probeLeaseMs: Math.max(coolOffMs, 10_000) },
        ...(onStateChange === undefined ? {} : { onStateChange }),
        onError: (err) => log.debug({ err: String(err) }, 'shared circuit state unavailable; using the local mirror'),
      })
    : undefined;
  const breakers = sharedBreakers ?? createCircuitBreakers({ failureThreshold, coolOffMs, ...(onStateChange === undefined ? {} : { onStateChange }) });
  const sharedCooldowns = redis ? createSharedClientCooldowns(shared.cooldowns, { onError: (err) => log.debug({ err: String(err) }, 'shared cooldowns unavailable') }) : undefined;
  const cooldowns = sharedCooldowns ?? createClientCooldowns();

  const decisionLog =
    store !== undefined && config.decision_log.enabled
      ? createDecisionLogger(store, {
          batchSize: config.decision_log.batch_size,
          flushMs: config.decision_log.flush,
          maxQueue: config.decision_log.max_queue,
          storePrompts: config.logging.store_prompts,
          ...(options.embed === undefined ? {} : { embed: options.embed }),
          ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
          onError: (err) => log.warn({ err: err.message, storage: store.description }, 'decision log flush failed; records stay queued'),
        })
      : undefined;

  const limiter = createRateLimiter({ counters: shared.counters, limits: memoLimits(getConfig) });
  const sessions = config.sessions.enabled
    ? createSessionTracker({ kv: shared.kv, ttlMs: config.sessions.ttl, onError: (err) => log.debug({ err: String(err) }, 'session store unavailable') })
    : undefined;

  const retention =
    store !== undefined && options.scheduledJobs !== false
      ? startDecisionRetention({
          decisions: store.decisions,
          retentionMs: () => getConfig().decision_log.retention,
          onPass: (r) =>
            r.error === undefined
              ? log.info({ deleted: r.deleted, before: new Date(r.before).toISOString() }, 'decision records past retention deleted')
              : log.warn({ err: r.error.message, deleted: r.deleted, storage: store.description }, 'decision retention failed; retrying at the next pass'),
        })
      : undefined;

  const flush = async (): Promise<void> => {
    await Promise.all([sharedBreakers?.flush(), sharedCooldowns?.flush(), sessions?.flush(), decisionLog?.flush()]);
  };
  return {
    store,
    shared,
    redis,
    breakers,
    cooldowns,
    decisionLog,
    limiter,
    sessions,
    flush,
    async close() {
      await retention?.stop();
      await Promise.all([sharedBreakers?.flush(), sharedCooldowns?.flush(), sessions?.flush()]).catch(() => undefined);
      await decisionLog?.close();
      const stats = decisionLog?.stats();
      if (stats !== undefined && (stats.queued > 0 || stats.dropped > 0)) log.warn({ ...stats }, 'decision log closed with records not written');
      if (options.sharedState === undefined) await shared.close().catch(() => undefined);
      if (ownStore) await store?.close().catch(() => undefined);
    },
  };
}

/** Limits by key name, recomputed only when the config object in service changes. */
function memoLimits(getConfig: () => Config): () => ReturnType<typeof limitsFromConfig> {
  let seen: Config | undefined;
  let limits = limitsFromConfig([]);
  return () => {
    const c = getConfig();
    if (c !== seen) {
      seen = c;
      limits = limitsFromConfig(c.auth.gateway_keys);
    }
    return limits;
  };
}
