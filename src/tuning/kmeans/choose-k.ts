import { createSeededRng } from '../../core/math/seeded-rng.js';
import { kmeans, normalizedRows, type KMeansOptions } from './kmeans.js';

/** Largest sample {@link chooseK} scores silhouettes on. */
export const SILHOUETTE_SAMPLE = 2000;

/** Result of {@link chooseK}: the chosen k and the mean silhouette of every candidate. */
export interface ChooseKResult {
  readonly k: number;
  readonly scores: { readonly k: number; readonly silhouette: number }[];
}

/**
 * Picks the number of clusters by the **mean silhouette** (cosine distance `1 - cos`) of a seeded
 * uniform sample of at most {@link SILHOUETTE_SAMPLE} points: for each candidate k, spherical
 * {@link kmeans} runs on all points; for each sampled point, `a` = mean distance to sampled points of
 * its own cluster, `b` = smallest mean distance to the sampled points of another cluster, and
 * `s = (b - a) / max(a, b)` (0 for points alone in their cluster in the sample). The candidate with
 * the highest mean `s` wins; ties go to the smaller k. Candidates outside `[2, n - 1]` are skipped.
 */
export function chooseK(vectors: Float32Array, n: number, d: number, candidates: readonly number[], options: KMeansOptions): ChooseKResult {
  const valid = [...new Set(candidates.map((c) => Math.floor(c)))].filter((c) => c >= 2 && c < n).sort((a, b) => a - b);
  if (valid.length === 0) throw new RangeError(`chooseK: no candidate k in [2, ${n - 1}] among ${candidates.join(', ')}`);

  const rng = createSeededRng((options.seed ^ 0x5bd1e995) >>> 0);
  const order = Array.from({ length: n }, (_, i) => i);
  const s = Math.min(n, SILHOUETTE_SAMPLE);
  for (let i = 0; i < s; i++) {
    // Partial Fisher-Yates: the first s slots become a uniform sample without replacement.
    const j = i + rng.int(n - i);
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  const sample = order.slice(0, s).sort((a, b) => a - b);
  const x = normalizedRows(vectors, n, d);
  const dist = new Float32Array(s * s);
  for (let i = 0; i < s; i++) {
    const oi = (sample[i] as number) * d;
    for (let j = i + 1; j < s; j++) {
      const oj = (sample[j] as number) * d;
      let dot = 0;
      for (let t = 0; t < d; t++) dot += (x[oi + t] as number) * (x[oj + t] as number);
      dist[i * s + j] = 1 - dot;
      dist[j * s + i] = 1 - dot;
    }
  }

  const scores: { k: number; silhouette: number }[] = [];
  let bestK = valid[0] as number;
  let bestScore = -Infinity;
  for (const k of valid) {
    const { assignments } = kmeans(vectors, n, d, k, options);
    const labels = sample.map((i) => assignments[i] as number);
    const sums = new Float64Array(k);
    const sizes = new Int32Array(k);
    for (const label of labels) sizes[label]!++;
    let total = 0;
    for (let i = 0; i < s; i++) {
      sums.fill(0);
      for (let j = 0; j < s; j++) if (j !== i) sums[labels[j] as number]! += dist[i * s + j] as number;
      const own = labels[i] as number;
      const ownSize = (sizes[own] as number) - 1;
      if (ownSize === 0) continue;
      const a = (sums[own] as number) / ownSize;
      let b = Infinity;
      for (let m = 0; m < k; m++) {
        if (m === own || sizes[m] === 0) continue;
        const mean = (sums[m] as number) / (sizes[m] as number);
        if (mean < b) b = mean;
      }
      if (b === Infinity) continue;
      const denom = Math.max(a, b);
      total += denom > 0 ? (b - a) / denom : 0;
    }
    const silhouette = total / s;
    scores.push({ k, silhouette });
    if (silhouette > bestScore) {
      bestScore = silhouette;
      bestK = k;
    }
  }
  return { k: bestK, scores };
}
