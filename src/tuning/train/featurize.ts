import { embedInto } from '../../core/embedding/hashed-embedder.js';
import type { HashedEmbedderParams } from '../../core/embedding/hashed-embedder-params.js';
import { extractFeatures } from '../../core/features/extract-features.js';
import { clusterSimilarities } from '../../core/triage/cluster-similarities.js';
import { fillFeatureVector } from '../../core/triage/feature-schema.js';

/** Embeds every text with the serving embedder code: n x dim, row-major. */
export function embedAll(texts: readonly string[], params: HashedEmbedderParams): Float32Array {
  const out = new Float32Array(texts.length * params.dim);
  const row = new Float32Array(params.dim);
  texts.forEach((t, i) => {
    embedInto(t, params, row);
    out.set(row, i * params.dim);
  });
  return out;
}

/**
 * Builds the triage feature matrix through exactly the functions the router calls per request
 * (extractFeatures, clusterSimilarities, fillFeatureVector), so train-time and serve-time vectors
 * of the same prompt are identical.
 */
export function featureMatrix(
  texts: readonly string[],
  embeddings: Float32Array,
  dim: number,
  centroids: Float32Array,
  k: number,
  sources: Int32Array,
): Float32Array {
  const f = sources.length;
  const x = new Float32Array(texts.length * f);
  const sims = new Float32Array(k);
  const row = new Float64Array(f);
  texts.forEach((t, i) => {
    const emb = embeddings.subarray(i * dim, (i + 1) * dim);
    clusterSimilarities(emb, centroids, k, dim, sims);
    fillFeatureVector(sources, extractFeatures(t), emb, sims, row);
    for (let j = 0; j < f; j++) x[i * f + j] = row[j] as number;
  });
  return x;
}
