import { createArtifactStore, type ArtifactSource, type ArtifactStore } from '../artifact/artifact-store.js';
import { bundledArtifactPath } from '../artifact/load-artifact.js';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import { buildRouterState, type RouterOverrides } from '../core/build-router-state.js';
import type { RoutePolicy } from '../core/route.js';
import type { ParsedArtifact } from '../core/router-artifact.js';
import type { RouterState } from '../core/router-state.js';
import type { Config } from '../config/config-schema.js';
import { createRouter, type DecisionCacheBackend, type HeimdallRouter } from '../engine/create-router.js';
import { createCachedAsyncEmbedder, createCachedEmbedder, type EmbeddingCacheStats } from '../engine/cached-embedder.js';
import { createHashedEmbedder } from '../core/embedding/hashed-embedder.js';
import { windowTextKey } from '../core/hash/text-key.js';
import { createRemoteEmbedder } from '../providers/embeddings/create-remote-embedder.js';
import type { HttpClient } from '../providers/shared/http-client.js';
import type { ObservedStats } from '../core/route.js';
import type { ProviderId } from '../types/provider-id.js';
import type { Bucket } from '../types/routing-decision.js';

/** The routing half of a gateway: artifact, state, router, and how they are kept current. */
export interface RoutingRuntime {
  readonly router: HeimdallRouter;
  /** The state in service now. */
  state(): RouterState;
  readonly artifacts: ArtifactStore;
  /** Rebuilds the state for a new config (same artifact); throws and keeps the old one if invalid. */
  applyConfig(config: Config): void;
  /** Rebuilds the state with new catalog prices and limits (a catalog refresh); throws and keeps the old one if invalid. */
  applyCatalog(catalog: ModelCatalog): void;
  /** Hit/miss counters of the embedding cache in service (local, and remote when configured). */
  embeddingCacheStats(): { local: EmbeddingCacheStats; remote?: EmbeddingCacheStats };
  close(): void;
}

export interface RoutingRuntimeOptions {
  readonly catalog: ModelCatalog;
  /** Logger for reloads; the gateway passes its structured logger. */
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  readonly observed?: () => ObservedStats | undefined;
  /** Needed when `embedding.kind` is `remote`. */
  readonly httpClient?: HttpClient;
  /** Where the artifact comes from instead of `artifact.url` / `artifact.path` (the artifact registry). */
  readonly source?: ArtifactSource;
  /** Second-level decision cache shared by replicas (consulted by `decideAsync` only). */
  readonly sharedCache?: DecisionCacheBackend;
}

/**
 * Builds the router state from config + artifact + catalog and keeps it current: a new artifact
 * (hot reload) or a new config rebuilds the state off to the side and swaps it in one assignment;
 * a failure leaves the previous state serving.
 */
export async function createRoutingRuntime(config: Config, options: RoutingRuntimeOptions): Promise<RoutingRuntime> {
  const log = options.log ?? (() => {});
  let cfg = config;
  let catalog = options.catalog;
  let state: RouterState | undefined;
  const artifacts = await createArtifactStore({
    source: options.source ?? (cfg.artifact.url ? { kind: 'url', url: cfg.artifact.url } : { kind: 'file', path: cfg.artifact.path ?? bundledArtifactPath() }),
    reloadSeconds: cfg.artifact.reload_seconds,
    onChange: (a) => {
      try {
        state = routerStateFromConfig(a, cfg, catalog);
        log('info', 'artifact reloaded', { version: a.version });
      } catch (err) {
        log('error', 'new artifact rejected; keeping the previous one', { error: (err as Error).message });
      }
    },
    onError: (err) => log('error', 'artifact reload failed; keeping the previous one', { error: err.message }),
  });
  state = routerStateFromConfig(artifacts.current(), cfg, catalog);
  let aliases = aliasPolicies(cfg);
  const remoteCfg = cfg.embedding.kind === 'remote' ? cfg.embedding.remote : undefined;
  const remote =
    remoteCfg && options.httpClient
      ? createCachedAsyncEmbedder(
          createRemoteEmbedder({
            baseUrl: remoteCfg.url,
            model: remoteCfg.model,
            ...(remoteCfg.api_key !== undefined ? { apiKey: remoteCfg.api_key } : {}),
            timeoutMs: remoteCfg.timeout,
            dim: remoteCfg.dim ?? artifacts.current().dim,
            httpClient: options.httpClient,
          }),
          Math.max(1, cfg.cache.embeddings.max_entries),
        )
      : undefined;
  const router = createRouter({
    state: () => state as RouterState,
    cache: { enabled: cfg.cache.decisions.enabled, maxEntries: Math.max(1, cfg.cache.decisions.max_entries), ttlMs: cfg.cache.decisions.ttl, admission: cfg.cache.decisions.admission },
    aliases: () => aliases,
    ...(options.observed ? { observed: options.observed } : {}),
    ...(options.sharedCache ? { sharedCache: options.sharedCache } : {}),
    ...(remote ? { remoteEmbedder: remote, onEmbedderFallback: (e: unknown) => log('warn', 'remote embedder failed; used the local one', { error: (e as Error).message }) } : {}),
  });
  return {
    router,
    state: () => state as RouterState,
    artifacts,
    applyConfig(next) {
      const s = routerStateFromConfig(artifacts.current(), next, catalog);
      cfg = next;
      aliases = aliasPolicies(next);
      state = s;
    },
    applyCatalog(next) {
      state = routerStateFromConfig(artifacts.current(), cfg, next);
      catalog = next;
      // Same artifact version, new costs: cached decisions would keep the old prices until their TTL.
      router.clearCache();
    },
    embeddingCacheStats: () => {
      const local = (state?.embedder as Partial<{ stats(): EmbeddingCacheStats }> | undefined)?.stats?.() ?? { hits: 0, misses: 0, size: 0, evictions: 0 };
      return remote ? { local, remote: remote.stats() } : { local };
    },
    close: () => artifacts.close(),
  };
}

/** Combines one artifact with the config's bindings and overrides and the catalog's facts. */
export function routerStateFromConfig(artifact: ParsedArtifact, config: Config, catalog: ModelCatalog): RouterState {
  const r = config.router;
  const bd = (b: Bucket) => {
    const d = r.bucket_defaults[b];
    return { ...(d.reasoning_effort !== undefined ? { effort: d.reasoning_effort } : {}), ...(d.thinking_budget !== undefined ? { budgetTokens: d.thinking_budget } : {}) };
  };
  const eot = (b: Bucket): number | undefined => r.bucket_defaults[b].expected_output_tokens ?? r.expected_output_tokens;
  const expected: Partial<Record<Bucket, number>> = {};
  for (const b of ['cheap', 'mid', 'hard'] as const) {
    const v = eot(b);
    if (v !== undefined) expected[b] = v;
  }
  // Retired models answer with errors: never route to them.
  const retired = catalog.list().filter((m) => m.status === 'retired').map((m) => m.id);
  const overrides: RouterOverrides = {
    ...(r.alpha !== undefined ? { alpha: r.alpha } : {}),
    thresholds: { ...(r.thresholds.cheap !== undefined ? { cheap: r.thresholds.cheap } : {}), ...(r.thresholds.hard !== undefined ? { hard: r.thresholds.hard } : {}) },
    ...(r.top_p !== undefined ? { topP: r.top_p } : {}),
    ...(r.cluster_temperature !== undefined ? { clusterTemperature: r.cluster_temperature } : {}),
    penalties: {
      ...(r.penalties.ctx_over_80pct !== undefined ? { ctxOver80pct: r.penalties.ctx_over_80pct } : {}),
      ...(r.penalties.latency_sd !== undefined ? { latencySd: r.penalties.latency_sd } : {}),
    },
    expectedOutputTokens: expected,
    bucketDefaults: { cheap: bd('cheap'), mid: bd('mid'), hard: bd('hard') },
    ...(r.max_price_usd_per_request !== undefined ? { maxPriceUsdPerRequest: r.max_price_usd_per_request } : {}),
    allow: r.allow,
    deny: [...r.deny, ...retired],
    candidatesPerBucket: r.candidates_per_bucket,
  };
  return buildRouterState({
    artifact,
    bind: (name) => {
      const t = config.models[name];
      return t ? { provider: t.provider, providerModel: t.model } : undefined;
    },
    catalog: (provider: ProviderId, model: string) => {
      const m = catalog.findByProviderModel(provider, model);
      if (!m) return undefined;
      return {
        inputPerMTok: m.inputPerMTok,
        outputPerMTok: m.outputPerMTok,
        contextWindowTokens: m.contextWindowTokens,
        tools: m.capabilities.tools,
        vision: m.capabilities.vision,
        reasoning: {
          kind: m.reasoning.kind,
          ...(m.reasoning.minBudget !== undefined ? { minBudget: m.reasoning.minBudget } : {}),
          ...(m.reasoning.maxBudget !== undefined ? { maxBudget: m.reasoning.maxBudget } : {}),
        },
      };
    },
    overrides,
    // A bounded LRU in front of the artifact's embedder; rebuilt with the state, so vectors never outlive their parameters.
    embedder: createCachedEmbedder(
      createHashedEmbedder(artifact.embedder),
      Math.max(1, config.cache.embeddings.max_entries),
      (t) => windowTextKey(t, artifact.embedder.maxChars),
      config.cache.embeddings.admission,
    ),
  });
}

function aliasPolicies(config: Config): Record<string, RoutePolicy> {
  const out: Record<string, RoutePolicy> = {};
  for (const [name, entry] of Object.entries(config.router.aliases)) {
    const a = entry as { readonly alpha?: number; readonly allow?: readonly string[]; readonly deny?: readonly string[]; readonly bucket?: Bucket };
    out[name] = {
      ...(a.alpha !== undefined ? { alpha: a.alpha } : {}),
      ...(a.allow ? { allow: a.allow } : {}),
      ...(a.deny ? { deny: a.deny } : {}),
      ...(a.bucket ? { bucket: a.bucket } : {}),
    };
  }
  return out;
}
