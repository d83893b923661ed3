import { createClusterMatch, nearestClusters } from '../../core/clustering/nearest-clusters.js';
import { aiq, type CurvePoint } from '../eval/cost-quality-curve.js';
import { ALPHA_SWEEP, alphaChoices } from '../eval/sweep-routers.js';
import { kmeans } from '../kmeans/kmeans.js';

/** Prompts with their per-model scores and costs, `n x m` row-major. */
export interface ScoredSet {
  readonly emb: Float32Array;
  readonly n: number;
  readonly scores: Float64Array;
  /** USD cost the router expects (its token estimate + assumed output). */
  readonly expectedCosts: Float64Array;
  /** USD cost charged when evaluating (exact tokens + assumed output, or measured). */
  readonly costs: Float64Array;
}

/** Values tried for each clustering knob that is not fixed by the caller. */
export interface ClusterSearchSpace {
  readonly k: readonly number[];
  readonly topP: readonly number[];
  readonly clusterTemperature: readonly number[];
  readonly shrinkage: readonly number[];
}

export interface ClusterParams {
  readonly k: number;
  readonly topP: number;
  readonly clusterTemperature: number;
  readonly shrinkage: number;
}

export interface ClusterSearchResult extends ClusterParams {
  /** Validation AIQ of every combination tried, best first. */
  readonly table: readonly (ClusterParams & { readonly aiq: number; readonly maxAccuracy: number })[];
}

/**
 * Per-cluster mean score per model, shrunk toward the model's overall mean by `shrinkage`
 * pseudo-prompts: `q[c][j] = (sum + shrinkage * mean_j) / (n_c + shrinkage)`. Returned `k x m`.
 */
export function shrunkClusterMeans(scores: Float64Array, n: number, m: number, assignments: Int32Array, k: number, shrinkage: number): Float64Array {
  const sums = new Float64Array(k * m);
  const counts = new Float64Array(k);
  const mean = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const c = assignments[i] as number;
    counts[c]! += 1;
    for (let j = 0; j < m; j++) {
      sums[c * m + j]! += scores[i * m + j] as number;
      mean[j]! += (scores[i * m + j] as number) / n;
    }
  }
  const q = new Float64Array(k * m);
  for (let c = 0; c < k; c++) for (let j = 0; j < m; j++) q[c * m + j] = ((sums[c * m + j] as number) + shrinkage * (mean[j] as number)) / ((counts[c] as number) + shrinkage);
  return q;
}

/**
 * Chooses k, top_p, the cluster temperature and the shrinkage by how well the clusters route the
 * validation prompts: for each k, spherical k-means++ on the fitting prompts; for each knob setting,
 * the quality each model gets by mixing its cluster means over the top_p nearest clusters (the
 * served computation, `nearestClusters`), the alpha sweep of the served alpha-score, and the AIQ of
 * the resulting accuracy-cost curve. The best AIQ wins (ties: the earlier, simpler setting).
 * Choosing by routing quality rather than by a geometric criterion (silhouette) picks the
 * granularity at which the models' strengths actually differ.
 */
export function fitClusterParams(fit: ScoredSet, val: ScoredSet, m: number, dim: number, space: ClusterSearchSpace, seed: number): ClusterSearchResult {
  const singleCosts = Array.from({ length: m }, (_, j) => {
    let s = 0;
    for (let i = 0; i < val.n; i++) s += val.costs[i * m + j] as number;
    return s;
  });
  const cMin = Math.min(...singleCosts);
  const cMax = Math.max(...singleCosts);
  const table: (ClusterParams & { aiq: number; maxAccuracy: number })[] = [];
  const maxTop = Math.max(...space.topP);
  const match = createClusterMatch(maxTop);
  for (const k of [...space.k].sort((a, b) => a - b)) {
    if (k < 1 || k > fit.n) continue;
    const km = kmeans(fit.emb, fit.n, dim, k, { seed });
    for (const shrinkage of space.shrinkage) {
      const q = shrunkClusterMeans(fit.scores, fit.n, m, km.assignments, k, shrinkage);
      for (const topP of space.topP) {
        if (topP > k) continue;
        for (const clusterTemperature of topP === 1 ? space.clusterTemperature.slice(0, 1) : space.clusterTemperature) {
          const quality = new Float64Array(val.n * m);
          for (let i = 0; i < val.n; i++) {
            nearestClusters(val.emb.subarray(i * dim, (i + 1) * dim), km.centroids, k, topP, clusterTemperature, match);
            for (let t = 0; t < match.count; t++) {
              const w = match.weights[t] as number;
              const c = match.indices[t] as number;
              for (let j = 0; j < m; j++) quality[i * m + j]! += w * Math.fround(q[c * m + j] as number);
            }
          }
          const points: CurvePoint[] = alphaChoices(quality, val.expectedCosts, val.n, m, ALPHA_SWEEP).map((choice) => {
            let cost = 0;
            let score = 0;
            for (let i = 0; i < val.n; i++) {
              cost += val.costs[i * m + (choice[i] as number)] as number;
              score += val.scores[i * m + (choice[i] as number)] as number;
            }
            return [cost, score / val.n];
          });
          table.push({ k, topP, clusterTemperature, shrinkage, aiq: aiq(points, cMin, cMax), maxAccuracy: Math.max(...points.map((p) => p[1])) });
        }
      }
    }
  }
  if (table.length === 0) throw new RangeError(`no usable cluster count among ${space.k.join(', ')} for ${fit.n} prompts`);
  // Stable sort: among equal AIQs the first tried (smaller k, shrinkage, top_p) stays first.
  const ranked = [...table].sort((a, b) => b.aiq - a.aiq);
  const best = ranked[0] as ClusterParams;
  return { k: best.k, topP: best.topP, clusterTemperature: best.clusterTemperature, shrinkage: best.shrinkage, table: ranked };
}
