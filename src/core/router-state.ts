import type { Embedder } from '../types/embedder.js';
import type { ProviderId } from '../types/provider-id.js';
import type { ReasoningEffort } from '../types/chat.js';
import type { Bucket } from '../types/routing-decision.js';
import type { GbdtModel } from './gbdt/gbdt-model.js';

/** How a model takes a reasoning setting, from the catalog. */
export interface ModelReasoningCaps {
  readonly kind: 'none' | 'effort' | 'budget';
  readonly minBudget?: number;
  readonly maxBudget?: number;
}

/** A model the router can choose, resolved against config and catalog. */
export interface RouterModel {
  /** Position in `RouterState.models` (and in per-model statistics arrays). */
  readonly index: number;
  /** The artifact's name for it (what quality was learned under). */
  readonly name: string;
  readonly id: string;
  readonly provider: ProviderId;
  readonly providerModel: string;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly contextWindowTokens: number;
  /** Learned quality per cluster, in [0, 1]; length k. */
  readonly quality: Float32Array;
  readonly reasoning: ModelReasoningCaps;
  /** Accepts tool definitions and tool calls/results in the history (catalog `capabilities.tools`). */
  readonly tools: boolean;
  /** Accepts images (catalog `capabilities.vision`). */
  readonly vision: boolean;
}

/** Reasoning the router applies by default for a bucket, when the client set none. */
export interface BucketReasoningDefault {
  readonly effort?: ReasoningEffort;
  readonly budgetTokens?: number;
}

/** The knobs of the alpha-score and the bucket rules. */
export interface RouterTuning {
  readonly alpha: number;
  readonly thresholds: { readonly cheap: number; readonly hard: number };
  readonly topP: number;
  readonly clusterTemperature: number;
  readonly penalties: { readonly ctxOver80pct: number; readonly latencySd: number };
  readonly expectedOutputTokens: Readonly<Record<Bucket, number>>;
  readonly bucketDefaults: Readonly<Record<Bucket, BucketReasoningDefault>>;
  /** Requests whose expected cost is above this are never sent to that model (undefined: no cap). */
  readonly maxPriceUsdPerRequest?: number;
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
  /** At most this many candidates taken from each bucket into the decision (undefined: all). */
  readonly candidatesPerBucket?: number;
}

/**
 * Everything the hot path needs, built once off the hot path from an artifact, the config and the
 * catalog, then shared read-only by every request until the next reload swaps it.
 */
export interface RouterState {
  readonly version: string;
  readonly embedder: Embedder;
  readonly k: number;
  readonly dim: number;
  /** k x dim, row-major, L2-normalised. */
  readonly centroids: Float32Array;
  readonly gbdt: GbdtModel;
  readonly featureNames: readonly string[];
  /** Compiled feature sources, one per feature name (see `compileFeatureSchema`). */
  readonly featureSources: Int32Array;
  readonly models: readonly RouterModel[];
  /** Model indices per bucket. */
  readonly buckets: Readonly<Record<Bucket, Int32Array>>;
  readonly tuning: RouterTuning;
}
