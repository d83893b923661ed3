import type { Bucket } from '../types/routing-decision.js';
import type { HashedEmbedderParams } from './embedding/hashed-embedder-params.js';
import type { GbdtModel } from './gbdt/gbdt-model.js';

/** A model as the artifact learned it. */
export interface ArtifactModel {
  readonly name: string;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly contextWindowTokens?: number;
  readonly quality: Float32Array;
  readonly meanQuality?: number;
}

/** The router knobs an artifact was fitted with. */
export interface ArtifactRouterParams {
  readonly alpha: number;
  readonly thresholds: { readonly cheap: number; readonly hard: number };
  readonly topP: number;
  readonly clusterTemperature: number;
  readonly penalties: { readonly ctxOver80pct: number; readonly latencySd: number };
  readonly expectedOutputTokens: Readonly<Record<Bucket, number>>;
}

/** A validated artifact with its arrays decoded, ready to be combined with config and catalog. */
export interface ParsedArtifact {
  readonly version: string;
  readonly embedder: HashedEmbedderParams;
  readonly k: number;
  readonly dim: number;
  readonly centroids: Float32Array;
  readonly models: readonly ArtifactModel[];
  readonly buckets: Readonly<Record<Bucket, readonly string[]>>;
  readonly featureNames: readonly string[];
  readonly featureSources: Int32Array;
  readonly gbdt: GbdtModel;
  readonly router: ArtifactRouterParams;
  readonly training: Readonly<Record<string, unknown>>;
}
