import { GatewayError } from '../errors/gateway-error.js';
import type { ProviderId } from '../types/provider-id.js';
import type { Bucket } from '../types/routing-decision.js';
import { createHashedEmbedder } from './embedding/hashed-embedder.js';
import type { Embedder } from '../types/embedder.js';
import type { ParsedArtifact } from './router-artifact.js';
import type { BucketReasoningDefault, ModelReasoningCaps, RouterModel, RouterState, RouterTuning } from './router-state.js';

/** Where an artifact model is served: which provider, under which of its model ids. */
export interface ModelBinding {
  readonly provider: ProviderId;
  readonly providerModel: string;
}

/** What the catalog knows about a provider model. */
export interface CatalogFacts {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly contextWindowTokens: number;
  readonly reasoning: ModelReasoningCaps;
  /** Absent when the catalog does not say: the model is then assumed to accept tools. */
  readonly tools?: boolean;
  /** Absent when the catalog does not say: the model is then assumed to accept images. */
  readonly vision?: boolean;
}

/** Config-side settings that override or complete the artifact's. */
export interface RouterOverrides {
  readonly alpha?: number;
  readonly thresholds?: { readonly cheap?: number; readonly hard?: number };
  readonly topP?: number;
  readonly clusterTemperature?: number;
  readonly penalties?: { readonly ctxOver80pct?: number; readonly latencySd?: number };
  readonly expectedOutputTokens?: Partial<Record<Bucket, number>>;
  readonly bucketDefaults?: Partial<Record<Bucket, BucketReasoningDefault>>;
  readonly maxPriceUsdPerRequest?: number;
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
  readonly candidatesPerBucket?: number;
}

export interface BuildRouterStateInput {
  readonly artifact: ParsedArtifact;
  readonly bind: (artifactModelName: string) => ModelBinding | undefined;
  readonly catalog: (provider: ProviderId, providerModel: string) => CatalogFacts | undefined;
  readonly overrides?: RouterOverrides;
  /** Replaces the artifact's local embedder (tests, or a shared cached wrapper around it). */
  readonly embedder?: Embedder;
}

/**
 * Combines an artifact with model bindings, catalog facts and config overrides into the immutable
 * state the hot path reads. Prices and context windows come from the catalog when it knows the
 * model (current prices), else from the artifact; a model with neither is a load error, never free.
 */
export function buildRouterState(input: BuildRouterStateInput): RouterState {
  const a = input.artifact;
  const o = input.overrides ?? {};
  const models: RouterModel[] = a.models.map((m, index) => {
    const binding = input.bind(m.name);
    if (!binding) {
      throw new GatewayError('gateway_config_invalid', `artifact model "${m.name}" has no provider mapping: add it under \`models\` in the config`);
    }
    const facts = input.catalog(binding.provider, binding.providerModel);
    const inputPerMTok = facts?.inputPerMTok ?? m.inputPerMTok;
    const outputPerMTok = facts?.outputPerMTok ?? m.outputPerMTok;
    const contextWindowTokens = facts?.contextWindowTokens ?? m.contextWindowTokens;
    if (!Number.isFinite(inputPerMTok) || !Number.isFinite(outputPerMTok)) {
      throw new GatewayError('gateway_config_invalid', `model "${m.name}" has no price`);
    }
    if (contextWindowTokens === undefined) {
      throw new GatewayError(
        'gateway_config_invalid',
        `model "${m.name}" (${binding.provider}/${binding.providerModel}) has no known context window: add it to the catalog`,
      );
    }
    return {
      index,
      name: m.name,
      id: `${binding.provider}/${binding.providerModel}`,
      provider: binding.provider,
      providerModel: binding.providerModel,
      inputPerMTok,
      outputPerMTok,
      contextWindowTokens,
      quality: m.quality,
      reasoning: facts?.reasoning ?? { kind: 'none' },
      // A model the catalog does not describe keeps every request it was routed before: refusing it
      // on a guess would break configs that serve models the bundled catalog does not list.
      tools: facts?.tools ?? true,
      vision: facts?.vision ?? true,
    };
  });
  const indexOf = new Map(models.map((m) => [m.name, m.index]));
  const bucketIndices = (b: Bucket): Int32Array => Int32Array.from(a.buckets[b].map((n) => indexOf.get(n) as number));
  const r = a.router;
  const tuning: RouterTuning = {
    alpha: o.alpha ?? r.alpha,
    thresholds: { cheap: o.thresholds?.cheap ?? r.thresholds.cheap, hard: o.thresholds?.hard ?? r.thresholds.hard },
    topP: Math.min(a.k, o.topP ?? r.topP),
    clusterTemperature: o.clusterTemperature ?? r.clusterTemperature,
    penalties: {
      ctxOver80pct: o.penalties?.ctxOver80pct ?? r.penalties.ctxOver80pct,
      latencySd: o.penalties?.latencySd ?? r.penalties.latencySd,
    },
    expectedOutputTokens: {
      cheap: o.expectedOutputTokens?.cheap ?? r.expectedOutputTokens.cheap,
      mid: o.expectedOutputTokens?.mid ?? r.expectedOutputTokens.mid,
      hard: o.expectedOutputTokens?.hard ?? r.expectedOutputTokens.hard,
    },
    bucketDefaults: {
      cheap: o.bucketDefaults?.cheap ?? {},
      mid: o.bucketDefaults?.mid ?? {},
      hard: o.bucketDefaults?.hard ?? {},
    },
    ...(o.maxPriceUsdPerRequest !== undefined ? { maxPriceUsdPerRequest: o.maxPriceUsdPerRequest } : {}),
    ...(o.allow ? { allow: o.allow } : {}),
    ...(o.deny ? { deny: o.deny } : {}),
    ...(o.candidatesPerBucket !== undefined ? { candidatesPerBucket: o.candidatesPerBucket } : {}),
  };
  return {
    version: a.version,
    embedder: input.embedder ?? createHashedEmbedder(a.embedder),
    k: a.k,
    dim: a.dim,
    centroids: a.centroids,
    gbdt: a.gbdt,
    featureNames: a.featureNames,
    featureSources: a.featureSources,
    models,
    buckets: { cheap: bucketIndices('cheap'), mid: bucketIndices('mid'), hard: bucketIndices('hard') },
    tuning,
  };
}
