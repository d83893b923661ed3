import type { IncomingMessage, ServerResponse } from 'node:http';
import { createApiKeyAuthenticator } from '../auth/api-key-authenticator.js';
import { loadBundledCatalog } from '../catalog/load-bundled-catalog.js';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import type { Config } from '../config/config-schema.js';
import { createCircuitBreakers, type CircuitBreakers } from '../engine/circuit-breaker.js';
import { createClientCooldowns } from '../engine/client-cooldowns.js';
import type { DispatchDeps } from '../engine/dispatch.js';
import { createLatencyStats, type LatencyStats } from '../engine/latency-stats.js';
import { planRequest } from '../engine/plan-request.js';
import { createCredentialResolver, type CredentialResolver } from '../engine/request-credentials.js';
import { createRequestHandler } from '../http/create-request-handler.js';
import type { GatewayServices } from '../http/gateway-services.js';
import { createLogger, type GatewayLogger } from '../obs/create-logger.js';
import { createBaselineCost } from '../obs/baseline-cost.js';
import { createGatewayMetrics, type GatewayMetrics } from '../obs/gateway-metrics.js';
import { createProviderWiring, type ProviderWiring } from './create-provider-wiring.js';
import { createRoutingRuntime, type RoutingRuntime } from './create-routing-runtime.js';
import { warmUp } from './warm-up.js';

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  readonly catalog?: ModelCatalog;
  readonly logger?: GatewayLogger;
  /** Circuit breaker tuning (defaults: 5 consecutive failures open a target for 30 s). */
  readonly circuit?: { readonly failureThreshold?: number; readonly coolOffMs?: number };
  /** Static log and metric labels (the cluster worker id). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A gateway: the request handler plus what it runs on. */
export interface Gateway {
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  readonly services: GatewayServices;
  readonly routing: RoutingRuntime;
  readonly breakers: CircuitBreakers;
  readonly latency: LatencyStats;
  readonly log: GatewayLogger;
  /** Swaps in a new configuration (routing state, keys, providers); throws and keeps the old one if invalid. */
  applyConfig(next: Config): void;
  /** Runs the warm-up (if not done) and marks the gateway ready. */
  warmUp(): { decisions: number; ms: number };
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
  const catalog = options.catalog ?? loadBundledCatalog();
  const log = options.logger ?? createLogger({ level: config.logging.level, ...(options.labels ? { base: options.labels } : {}) });
  const latency = createLatencyStats();
  const cooldowns = createClientCooldowns();
  let metrics: GatewayMetrics | undefined;
  const breakers = createCircuitBreakers({
    failureThreshold: options.circuit?.failureThreshold ?? 5,
    coolOffMs: options.circuit?.coolOffMs ?? 30_000,
    onStateChange: (key, state) => {
      metrics?.circuit(key, state);
      log.warn({ target: key, state }, 'circuit breaker changed state');
    },
  });
  // The runtime's latency source needs the runtime's own state: filled in right after creation.
  const holder: { runtime?: RoutingRuntime } = {};
  const runtime = await createRoutingRuntime(config, {
    catalog,
    log: (level, message, fields) => log[level](fields ?? {}, message),
    observed: () => (holder.runtime === undefined ? undefined : latency.observed(holder.runtime.state())),
  });
  holder.runtime = runtime;
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
  }
  const m = metrics;
  const observer: DispatchDeps['observer'] =
    m === undefined
      ? undefined
      : {
          upstream: (t, status, ms) => m.upstream(t.provider, t.providerModel, status, ms / 1000),
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

  const services: GatewayServices = {
    log,
    metrics,
    catalog,
    config: () => wiring.config,
    credentials: () => wiring.credentials,
    plan: (request, creds) => planRequest({ router: runtime.router, state: runtime.state, catalog, models: () => wiring.config.models }, request, creds),
    dispatchDeps: () => wiring.deps,
    aliases: aliasNames,
    artifactVersion: () => runtime.state().version,
    isReady: () => ready,
    isDraining: () => draining,
  };

  return {
    handler: createRequestHandler(services),
    services,
    routing: runtime,
    breakers,
    latency,
    log,
    applyConfig(next) {
      const nextWiring = wire(next);
      try {
        runtime.applyConfig(next);
      } catch (err) {
        void nextWiring.providers.close();
        throw err;
      }
      const old = wiring;
      wiring = nextWiring;
      // Calls already running on the old pools finish there; the pools close once idle.
      setTimeout(() => void old.providers.close(), next.server.shutdown_grace).unref();
    },
    warmUp() {
      const result = warmUp(runtime.router, wiring.config.server.warmup_decisions);
      ready = true;
      log.info({ ...result, artifact: runtime.state().version }, 'warm-up done; ready');
      return result;
    },
    startDraining() {
      draining = true;
    },
    async close() {
      draining = true;
      runtime.close();
      metrics?.close();
      await wiring.providers.close();
      log.flush();
    },
  };
}
