import { createUndiciHttpClient, type PooledHttpClient } from '../providers/shared/http-client.js';
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bundledArtifactPath } from '../artifact/load-artifact.js';
import { createApiKeyAuthenticator } from '../auth/api-key-authenticator.js';
import { loadBundledCatalog } from '../catalog/load-bundled-catalog.js';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import { createCatalogSync, loadStoredCatalog, type CatalogRefreshReport, type CatalogSync } from '../catalog/sync/catalog-sync.js';
import { catalogSources } from '../cli/commands/catalog.js';
import type { Config } from '../config/config-schema.js';
import { castToError } from '../errors/gateway-error.js';
import { createCanarySelector } from '../engine/canary.js';
import type { CircuitBreakers } from '../engine/circuit-breaker.js';
import type { DispatchDeps } from '../engine/dispatch.js';
import { decideAsyncWithFloor, decideWithFloor } from '../engine/sessions.js';
import { createLatencyStats, type LatencyStats } from '../engine/latency-stats.js';
import { planRequest } from '../engine/plan-request.js';
import { createCredentialResolver, type CredentialResolver } from '../engine/request-credentials.js';
import { createRequestHandler } from '../http/create-request-handler.js';
import type { GatewayServices, PlanHints } from '../http/gateway-services.js';
import { toRecord } from '../logs/create-decision-logger.js';
import { recordFeedback } from '../logs/record-feedback.js';
import { createLogger, type GatewayLogger, type LoggerOptions } from '../obs/create-logger.js';
import { createBaselineCost } from '../obs/baseline-cost.js';
import { connectClusterMetrics } from '../obs/cluster-metrics.js';
import { createGatewayMetrics, type GatewayMetrics } from '../obs/gateway-metrics.js';
import { createSharedDecisionCache } from '../state/shared-decision-cache.js';
import type { GatewaySharedState } from '../state/create-shared-state.js';
import { createStoreArtifactSource } from '../registry/artifact-registry.js';
import type { Store } from '../store/store.js';
import { createOperations, scheduledCatalogSources, type Operations } from './create-operations.js';
import { registerOperationsMetrics } from './operations-metrics.js';
import { createProviderWiring, type ProviderWiring } from './create-provider-wiring.js';
import { createRoutingRuntime, type RoutingRuntime } from './create-routing-runtime.js';
import { warmUp } from './warm-up.js';
import { warmUpHttp } from './warm-up-http.js';
import { warmUpWire } from './warm-up-wire.js';

/** `server` settings a running gateway cannot change; a reload that changes them says so. */
const START_ONLY_SERVER_KEYS = ['host', 'port', 'workers', 'heap'] as const;

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  readonly catalog?: ModelCatalog;
  readonly logger?: GatewayLogger;
  /** Circuit breaker tuning (defaults: 5 consecutive failures open a target for 30 s). */
  readonly circuit?: { readonly failureThreshold?: number; readonly coolOffMs?: number };
  /** Static log and metric labels (the cluster worker id). */
  readonly labels?: Readonly<Record<string, string>>;
  /** A store to use instead of opening `storage.url` (not closed by the gateway); `null` runs without one. */
  readonly store?: Store | null;
  /** Shared state to use instead of `redis.url` (not closed by the gateway). */
  readonly sharedState?: GatewaySharedState;
}

/** What the warm-up did, as logged with "warm-up done; ready". */
export interface WarmUpReport {
  readonly decisions: number;
  readonly wireRounds: number;
  readonly requests: number;
  /** The loopback requests' answers by HTTP status. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly ms: number;
}

/** A gateway: the request handler plus what it runs on. */
export interface Gateway {
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  readonly services: GatewayServices;
  readonly routing: RoutingRuntime;
  readonly breakers: CircuitBreakers;
  readonly latency: LatencyStats;
  readonly log: GatewayLogger;
  /** Store, shared state, decision log, limiter, sessions. */
  readonly operations: Operations;
  /** The runtime serving the canary artifact (`artifact.canary`), if any. */
  readonly canary: RoutingRuntime | undefined;
  /** The catalog in service (bundled, with the stored refreshes over it). */
  catalog(): ModelCatalog;
  /**
   * Downloads the providers' model lists now (those with a configured key) and, when prices or
   * limits moved, rebuilds the routing state so costs are recomputed without a restart.
   * Resolves undefined when no provider key is configured (nothing to refresh).
   */
  refreshCatalog(): Promise<CatalogRefreshReport | undefined>;
  /** Swaps in a new configuration (routing state, keys, providers); throws and keeps the old one if invalid. */
  applyConfig(next: Config): void;
  /**
   * Warms the request path (routing decisions and their records, translation of sample answers
   * and streams, requests to itself over loopback) and marks the gateway ready. Never rejects: a
   * warm-up that fails ends early with a warning and the gateway serves anyway.
   */
  warmUp(): Promise<WarmUpReport>;
  /** Stops accepting work: `/ready` turns 503 and responses close their connections. */
  startDraining(): void;
  /** Releases pools and timers (after the server drained). */
  close(): Promise<void>;
}

interface Wiring {
  readonly config: Config;
  readonly providers: ProviderWiring;
  readonly credentials: CredentialResolver;
  readonly deps: DispatchDeps;
}

/**
 * Builds the gateway from a configuration: routing runtime (artifact with hot reload), provider
 * adapters, credential resolution, dispatch with retries, fallbacks and circuit breakers, metrics
 * and logs. Needs no API keys to start; requests then fail clearly until a key is configured or sent.
 */
export async function createGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const bundled = options.catalog ?? loadBundledCatalog();
  const log = options.logger ?? createLogger({ level: config.logging.level, ...(options.labels ? { base: options.labels } : {}) });
  const latency = createLatencyStats();
  let metrics: GatewayMetrics | undefined;
  const holder: { runtime?: RoutingRuntime; canary?: RoutingRuntime } = {};
  // The limiter reads the limits of the config in service: `wiring` is assigned below, before any request.
  const ops = await createOperations(config, () => wiring.config, {
    log,
    // The state's embedder caches by text: the vector the decision just used is a cache hit here.
    embed: (text) => holder.runtime?.state().embedder.embed(text),
    catalog: () => catalog,
    // Under node:cluster the first worker alone prunes the store; the others would only repeat it.
    scheduledJobs: options.labels?.['worker'] === undefined || options.labels['worker'] === '0',
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.sharedState === undefined ? {} : { sharedState: options.sharedState }),
    ...(options.circuit === undefined ? {} : { circuit: options.circuit }),
    onCircuitChange: (key, state) => {
      metrics?.circuit(key, state);
      log.warn({ target: key, state }, 'circuit breaker changed state');
    },
  });
  const { breakers, cooldowns, store } = ops;
  let catalog = bundled;
  let catalogSync: CatalogSync | undefined;
  let catalogRefreshedAt: number | undefined;
  let catalogTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let runtime: RoutingRuntime;
  let canary: RoutingRuntime | undefined;
  let embeddingHttp: PooledHttpClient | undefined;
  try {
    if (store !== undefined) {
      // Refreshes stored by `heimdall catalog refresh` or another replica: no network here.
      catalog = await loadStoredCatalog(store, bundled);
      const sources = scheduledCatalogSources(config, catalogSources);
      if (sources.length > 0) {
        catalogSync = createCatalogSync({
          store,
          bundled,
          sources,
          intervalMs: 0,
          threshold: config.catalog_sync.change_threshold,
          onError: (provider, err) => log.warn({ provider, err: err.message }, 'catalog refresh failed; keeping the stored figures'),
        });
      }
    }
    const artifactSource =
      config.artifact.registry === true && store !== undefined
        ? createStoreArtifactSource(store, { description: store.description, fallback: () => readFileSync(config.artifact.path ?? bundledArtifactPath(), 'utf8') })
        : undefined;
    // With Redis, decisions are shared by every replica (a local LRU stays in front of it).
    const sharedCache = ops.redis ? createSharedDecisionCache(ops.shared.kv, { ttlMs: config.cache.decisions.ttl }) : undefined;
    // The remote embedder has its own pool, bounded by the embedding timeout, apart from the providers'.
    embeddingHttp =
      config.embedding.kind === 'remote'
        ? createUndiciHttpClient({
            connectTimeoutMs: config.timeouts.connect,
            headersTimeoutMs: config.timeouts.embedding,
            bodyTimeoutMs: config.timeouts.embedding,
            keepAliveTimeoutMs: config.timeouts.idle,
            ...(config.embedding.remote?.proxy === undefined ? {} : { proxyUrl: config.embedding.remote.proxy }),
          })
        : undefined;
    // The runtime's latency source needs the runtime's own state: filled in right after creation.
    runtime = await createRoutingRuntime(config, {
      catalog,
      log: (level, message, fields) => log[level](fields ?? {}, message),
      observed: () => (holder.runtime === undefined ? undefined : latency.observed(holder.runtime.state())),
      ...(artifactSource === undefined ? {} : { source: artifactSource }),
      ...(sharedCache === undefined ? {} : { sharedCache }),
      ...(embeddingHttp === undefined ? {} : { httpClient: embeddingHttp }),
    });
    holder.runtime = runtime;
    if (config.artifact.canary !== undefined) {
      canary = await createRoutingRuntime(canaryConfig(config), {
        catalog,
        log: (level, message, fields) => log[level]({ ...fields, canary: true }, message),
        observed: () => (holder.canary === undefined ? undefined : latency.observed(holder.canary.state())),
      });
      holder.canary = canary;
      log.info({ artifact: canary.state().version, percent: config.artifact.canary.percent }, 'canary artifact loaded');
    }
  } catch (err) {
    await ops.close();
    throw err;
  }
  // Replaced on reload: the canary's share can change (or drop to nothing) without a restart.
  let selector = config.artifact.canary === undefined ? undefined : createCanarySelector({ percent: config.artifact.canary.percent });
  if (config.metrics.enabled) {
    const routing = runtime;
    metrics = createGatewayMetrics({
      cacheStats: runtime.router.cacheStats,
      ...(options.labels ? { defaultLabels: options.labels } : {}),
      embeddingCacheStats: () => routing.embeddingCacheStats(),
      circuits: breakers,
      catalogSnapshotAt: () => Date.parse(catalog.snapshotDate),
      baseline: createBaselineCost({ state: () => routing.state(), artifact: () => routing.artifacts.current() }),
    });
    registerOperationsMetrics(metrics.registry, {
      ...(ops.decisionLog === undefined ? {} : { decisionLog: ops.decisionLog.stats }),
      ...(ops.redis ? { sharedState: ops.shared.health } : {}),
      ...(catalogSync === undefined ? {} : { catalogRefreshedAt: () => catalogRefreshedAt }),
    });
  }
  const applyCatalog = (next: ModelCatalog): void => {
    try {
      runtime.applyCatalog(next);
      canary?.applyCatalog(next);
      catalog = next;
      log.info({ models: next.list().length }, 'catalog changed; routing costs recomputed');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'refreshed catalog rejected; keeping the previous one');
    }
  };
  const refreshCatalog = async (): Promise<CatalogRefreshReport | undefined> => {
    if (catalogSync === undefined) return undefined;
    const report = await catalogSync.refresh();
    if (report.providers.some((p) => p.ok)) catalogRefreshedAt = report.at;
    for (const c of report.changes) log.info({ model: c.modelId, field: c.field, from: c.oldValue, to: c.newValue }, 'catalog change');
    if (report.catalog !== catalog && report.providers.some((p) => p.ok && (p.added.length > 0 || p.updated.length > 0))) applyCatalog(report.catalog);
    return report;
  };
  if (catalogSync !== undefined && config.catalog_sync.refresh > 0) {
    const every = config.catalog_sync.refresh;
    const tick = (): void => void refreshCatalog().catch((err: unknown) => log.warn({ err: String(err) }, 'catalog refresh failed'));
    // Never at start (no network while starting, and replicas restarting together do not all download the lists):
    // the first refresh comes when the stored figures are one period old, and at least a few minutes after start.
    const schedule = (delayMs: number): void => {
      catalogTimer = setTimeout(() => {
        tick();
        schedule(every);
      }, delayMs);
      catalogTimer.unref();
    };
    void store
      ?.catalog.listRefreshes()
      .then((rs) => {
        const last = Math.max(0, ...rs.filter((r) => r.ok).map((r) => r.refreshedAt));
        if (last > 0) catalogRefreshedAt = last;
        if (!closed) schedule(Math.max(CATALOG_FIRST_REFRESH_MS, last + every - Date.now()));
      })
      .catch(() => undefined);
  }
  const m = metrics;
  const recordUpstream = (gm: GatewayMetrics, provider: string, model: string, status: string, seconds: number): void => gm.upstream(provider, model, status, seconds);
  const observer: DispatchDeps['observer'] =
    m === undefined
      ? undefined
      : {
          // After the current chain of promise callbacks, i.e. once the answer is written: the
          // histogram's label lookup and bucket search are not the client's wait.
          upstream: (t, status, ms) => process.nextTick(recordUpstream, m, t.provider, t.providerModel, status, ms / 1000),
          fallback: (_t, reason) => m.fallback(reason),
        };

  const wire = (cfg: Config): Wiring => {
    const providers = createProviderWiring(cfg);
    const credentials = createCredentialResolver({
      authenticator: createApiKeyAuthenticator(
        cfg.auth.gateway_keys.map((k) => ({
          key: k.key,
          name: k.name,
          ...(k.models === undefined ? {} : { models: k.models }),
          ...(k.max_price_usd_per_request === undefined ? {} : { maxPriceUsdPerRequest: k.max_price_usd_per_request }),
        })),
      ),
      configured: providers.configured,
      enabledProviders: providers.enabled,
      acceptedKinds: cfg.auth.adapters,
      cooldowns,
    });
    const deps: DispatchDeps = {
      registry: providers.registry,
      breakers,
      latency,
      cooldowns,
      retry: { maxRetries: cfg.retry.max_retries, baseDelayMs: cfg.retry.base_delay, maxDelayMs: cfg.retry.max_delay, maxRetryAfterMs: cfg.retry.max_retry_after },
      fallbacksEnabled: cfg.fallbacks.enabled,
      maxAttempts: cfg.fallbacks.max_attempts,
      anthropicOAuthCooldownMs: cfg.auth.anthropic_oauth_cooldown,
      ...(observer === undefined ? {} : { observer }),
    };
    return { config: cfg, providers, credentials, deps };
  };

  let wiring = wire(config);
  let ready = false;
  let draining = false;
  const aliasNames = (): string[] => ['auto', ...Object.keys(wiring.config.router.aliases)];

  // A scrape reaches one worker of a cluster (they share the port); it answers with every worker's metrics.
  const clusterMetrics = metrics !== undefined && cluster.isWorker ? connectClusterMetrics(metrics.registry) : undefined;
  const budgeted = (keyName: string): boolean => ops.limiter.limitsFor(keyName)?.budgetUsd !== undefined;
  const services: GatewayServices = {
    log,
    metrics,
    ...(clusterMetrics === undefined ? {} : { scrapeMetrics: clusterMetrics.scrape }),
    catalog,
    config: () => wiring.config,
    credentials: () => wiring.credentials,
    plan: (request, creds, hints?: PlanHints) => {
      let rt = runtime;
      if (canary !== undefined && selector !== undefined) {
        const sticky = hints?.sessionId ?? (creds.principal.anonymous ? request.user : creds.principal.name) ?? hints?.requestId;
        if (sticky !== undefined && selector.inCanary(sticky)) rt = canary;
      }
      const floor = hints?.floor;
      const router = floor === undefined ? rt.router : { ...rt.router, decide: decideWithFloor(rt.router, floor), decideAsync: decideAsyncWithFloor(rt.router, floor) };
      return planRequest({ router, state: rt.state, catalog, models: () => wiring.config.models, unlisted: () => wiring.config.unlisted_models, budgeted }, request, creds);
    },
    dispatchDeps: () => wiring.deps,
    aliases: aliasNames,
    artifactVersion: () => runtime.state().version,
    isReady: () => ready,
    isDraining: () => draining,
    ops: {
      ...(ops.decisionLog === undefined ? {} : { decisionLog: ops.decisionLog }),
      limiter: ops.limiter,
      ...(ops.sessions === undefined ? {} : { sessions: ops.sessions }),
      ...(store === undefined || ops.decisionLog === undefined ? {} : { feedback: (body: unknown) => recordFeedback(store, body, { logger: ops.decisionLog as NonNullable<typeof ops.decisionLog> }) }),
    },
  };
  // The catalog is swapped by refreshes; readers get the one in service.
  Object.defineProperty(services, 'catalog', { get: () => catalog, enumerable: true });

  return {
    handler: createRequestHandler(services),
    services,
    routing: runtime,
    breakers,
    latency,
    log,
    operations: ops,
    canary,
    catalog: () => catalog,
    refreshCatalog,
    applyConfig(next) {
      const nextWiring = wire(next);
      try {
        runtime.applyConfig(next);
        if (next.artifact.canary !== undefined) canary?.applyConfig(canaryConfig(next));
      } catch (err) {
        void nextWiring.providers.close();
        throw err;
      }
      const nextCanary = next.artifact.canary;
      if (nextCanary === undefined) selector = undefined;
      else if (canary !== undefined) selector = createCanarySelector({ percent: nextCanary.percent });
      else log.warn({ percent: nextCanary.percent }, 'artifact.canary was added by a reload; the canary artifact is loaded at the next start');
      // The listening socket, the worker count and V8's heap are fixed when the process starts.
      const atStart = START_ONLY_SERVER_KEYS.filter((k) => JSON.stringify(wiring.config.server[k]) !== JSON.stringify(next.server[k]));
      if (atStart.length > 0) log.warn({ keys: atStart.map((k) => `server.${k}`) }, 'changed by a reload; takes effect at the next start');
      const old = wiring;
      wiring = nextWiring;
      // Calls already running on the old pools finish there; the pools close once idle.
      setTimeout(() => void old.providers.close(), next.server.shutdown_grace).unref();
    },
    async warmUp() {
      const started = performance.now();
      const cfg = wiring.config;
      let report: Omit<WarmUpReport, 'ms'> = { decisions: 0, wireRounds: 0, requests: 0, statuses: {} };
      let failed: Error | undefined;
      // The loopback requests run the real edge and handlers but report to a scratch registry and a
      // discarded log: they are not traffic, and /metrics and the access log must not count them.
      const scratchMetrics = metrics === undefined ? undefined : createGatewayMetrics({ processMetrics: false });
      try {
        const decisionLog = ops.decisionLog;
        const routing = warmUp(
          runtime.router,
          cfg.server.warmup_decisions,
          decisionLog === undefined
            ? undefined
            : (request, decision, i) => {
                // Built and dropped: the record's code gets compiled, the store sees nothing.
                toRecord(
                  { requestId: `warm-up-${i}`, createdAt: Date.now(), request, decision, latencyMs: 20, usage: { inputTokens: 24, outputTokens: 9 } },
                  { storePrompts: cfg.logging.store_prompts, catalog: () => catalog, embed: (text) => runtime.state().embedder.embed(text) },
                );
              },
        );
        report = { ...report, decisions: routing.decisions };
        const wire = await warmUpWire(cfg.server.warmup_requests);
        report = { ...report, wireRounds: wire.rounds };
        const handler = createRequestHandler({
          ...services,
          metrics: scratchMetrics,
          log: createLogger({ level: log.level as LoggerOptions['level'], destination: { write: () => undefined } }),
          // Synchronous decisions only: the async path would ask a remote embedder or Redis once per
          // warm-up request, i.e. hundreds of calls to outside services at every start.
          plan: (request, creds) =>
            planRequest({ router: { ...runtime.router, prefersAsync: false }, state: runtime.state, catalog, models: () => cfg.models, unlisted: () => cfg.unlisted_models }, request, creds),
        });
        const key = cfg.auth.gateway_keys[0]?.key;
        const http = await warmUpHttp(handler, cfg.server.warmup_requests, { stop: () => draining, ...(key === undefined ? {} : { headers: { authorization: `Bearer ${key}` } }) });
        report = { ...report, requests: http.requests, statuses: http.statuses };
        failed = wire.error ?? http.error;
      } catch (err) {
        failed = castToError(err);
      } finally {
        scratchMetrics?.close();
        // A gateway that could not warm up still serves, only slower at first.
        ready = true;
      }
      if (failed !== undefined) log.warn({ err: failed.message }, 'warm-up ended early; serving anyway');
      const result: WarmUpReport = { ...report, ms: performance.now() - started };
      log.info({ ...result, artifact: runtime.state().version }, 'warm-up done; ready');
      return result;
    },
    startDraining() {
      draining = true;
    },
    async close() {
      draining = true;
      runtime.close();
      canary?.close();
      metrics?.close();
      clusterMetrics?.close();
      catalogSync?.close();
      closed = true;
      if (catalogTimer !== undefined) clearTimeout(catalogTimer);
      await wiring.providers.close();
      await embeddingHttp?.close();
      // Last: the decision records of the requests just drained are written before the store closes.
      await ops.close();
      log.flush();
    },
  };
}

/** Earliest scheduled catalog refresh after start. */
const CATALOG_FIRST_REFRESH_MS = 5 * 60_000;

/** The config the canary runtime serves: the candidate artifact file, everything else as configured. */
function canaryConfig(config: Config): Config {
  const canary = config.artifact.canary;
  if (canary === undefined) return config;
  const { url: _url, registry: _registry, canary: _canary, ...artifact } = config.artifact;
  return { ...config, artifact: { ...artifact, path: canary.path } };
}
