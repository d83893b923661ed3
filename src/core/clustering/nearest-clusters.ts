import { GatewayError } from '../../errors/gateway-error.js';
import { clusterSimilarities } from '../triage/cluster-similarities.js';

/** The `count` most similar centroids, best first, with softmax weights that sum to 1. */
export interface ClusterMatch {
  indices: Int32Array;
  similarities: Float32Array;
  weights: Float32Array;
  count: number;
}

/** Allocates a {@link ClusterMatch} able to hold `capacity` clusters (reuse it across calls). */
export function createClusterMatch(capacity: number): ClusterMatch {
  const size = Math.max(1, capacity | 0);
  return { indices: new Int32Array(size), similarities: new Float32Array(size), weights: new Float32Array(size), count: 0 };
}

/**
 * Finds the `topP` centroids most cosine-similar to `vec` (centroids are L2-normalised rows of a
 * `k x d` row-major matrix, so the dot product is the cosine; `vec` is expected unit-norm too).
 * Selection keeps a small sorted buffer instead of sorting all k; ties go to the lower index.
 * Weights are `softmax(similarity / temperature)` over the selected clusters.
 * `topP` is clamped to `[1, k]`. Throws `routing_artifact_invalid` when the shapes do not agree
 * or `temperature` is not a positive finite number.
 * Allocation-free when `out` has room for `topP` clusters.
 */
export function nearestClusters(
  vec: Float32Array,
  centroids: Float32Array,
  k: number,
  topP: number,
  temperature: number,
  out?: ClusterMatch,
): ClusterMatch {
  const d = vec.length;
  if (!Number.isInteger(k) || k < 1 || d < 1 || centroids.length !== k * d) {
    throw new GatewayError(
      'routing_artifact_invalid',
      `centroid matrix of ${centroids.length} values does not fit k=${k} clusters of dimension ${d}`,
    );
  }
  if (simScratch.length < k) simScratch = new Float32Array(k);
  const sims = simScratch.subarray(0, k);
  clusterSimilarities(vec, centroids, k, d, sims);
  return selectNearestClusters(sims, topP, temperature, out);
}

// Reused across calls by nearestClusters.
let simScratch = new Float32Array(64);

/**
 * The selection half of {@link nearestClusters}, over similarities already computed (the router
 * computes them once for the triage features and reuses them here). Same tie rule, same weights.
 */
export function selectNearestClusters(sims: Float32Array, topP: number, temperature: number, out?: ClusterMatch): ClusterMatch {
  const k = sims.length;
  if (k < 1) throw new GatewayError('routing_artifact_invalid', 'no centroids to match against');
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new GatewayError('routing_artifact_invalid', `cluster temperature must be a positive number, got ${temperature}`);
  }
  const p = Math.min(k, Math.max(1, Number.isFinite(topP) ? Math.floor(topP) : 1));
  const match = out !== undefined && out.indices.length >= p ? out : createClusterMatch(p);
  const idx = match.indices;
  const best = match.similarities;
  let count = 0;
  for (let c = 0; c < k; c++) {
    const s = sims[c] as number;
    // Strictly greater: an equal similarity never displaces an earlier (lower) index.
    if (count === p && !(s > (best[p - 1] as number))) continue;
    let pos = count < p ? count++ : p - 1;
    while (pos > 0 && s > (best[pos - 1] as number)) {
      best[pos] = best[pos - 1] as number;
      idx[pos] = idx[pos - 1] as number;
      pos--;
    }
    best[pos] = s;
    idx[pos] = c;
  }
  const weights = match.weights;
  const top = best[0] as number;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const w = Math.exp(((best[i] as number) - top) / temperature);
    weights[i] = w;
    total += w;
  }
  for (let i = 0; i < count; i++) weights[i] = (weights[i] as number) / total;
  match.count = count;
  return match;
}
