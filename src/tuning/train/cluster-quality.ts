/**
 * Per-cluster quality of each model: the mean score of the model on the cluster's prompts, shrunk
 * toward the model's overall mean with `shrinkage` pseudo-prompts, so a cluster of five prompts does
 * not claim a model is perfect or useless: q = (sum + shrinkage * mean) / (n + shrinkage).
 */
export function clusterQuality(
  scores: readonly Readonly<Record<string, number>>[],
  assignments: Int32Array,
  k: number,
  models: readonly string[],
  shrinkage: number,
): { quality: number[][]; mean: number[] } {
  const n = scores.length;
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[assignments[i] as number]! += 1;
  const quality: number[][] = [];
  const mean: number[] = [];
  for (const m of models) {
    const sums = new Float64Array(k);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const s = (scores[i] as Readonly<Record<string, number>>)[m] ?? 0;
      sums[assignments[i] as number]! += s;
      total += s;
    }
    const mu = n > 0 ? total / n : 0;
    mean.push(round6(mu));
    const q: number[] = [];
    for (let c = 0; c < k; c++) q.push(round6(((sums[c] as number) + shrinkage * mu) / ((counts[c] as number) + shrinkage)));
    quality.push(q);
  }
  return { quality, mean };
}

/** Rounds for a stable, compact JSON artifact (quality beyond 1e-6 is noise). */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
