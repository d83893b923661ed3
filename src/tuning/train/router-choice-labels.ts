import { createClusterMatch, nearestClusters } from '../../core/clustering/nearest-clusters.js';
import type { Bucket } from '../../types/routing-decision.js';
import { BUCKET_CLASS } from './bucket-labels.js';

/** Model indices per bucket (cheap, mid, hard order). */
export function bucketMembers(buckets: Readonly<Record<Bucket, readonly string[]>>, models: readonly string[]): Int32Array[] {
  return (['cheap', 'mid', 'hard'] as const).map((b) => Int32Array.from(buckets[b].map((name) => models.indexOf(name))));
}

/**
 * Triage labels by what the router would do: for each prompt, the quality of each model mixed over
 * its top_p clusters (as served), the best model of each bucket by that quality (ties: cheaper),
 * and the label is the cheapest bucket whose choice scores at least as well as the choice of the
 * most inclusive bucket (the last one). So the triage learns where escalating changes the outcome,
 * not merely whether some cheap model happens to answer.
 */
export function routerChoiceLabels(
  emb: Float32Array,
  n: number,
  dim: number,
  centroids: Float32Array,
  k: number,
  topP: number,
  temperature: number,
  clusterMeans: Float64Array,
  scores: Float64Array,
  m: number,
  members: readonly Int32Array[],
  expectedCosts: Float64Array,
): number[] {
  const match = createClusterMatch(topP);
  const q = new Float64Array(m);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    nearestClusters(emb.subarray(i * dim, (i + 1) * dim), centroids, k, topP, temperature, match);
    q.fill(0);
    for (let t = 0; t < match.count; t++) {
      const w = match.weights[t] as number;
      const c = match.indices[t] as number;
      for (let j = 0; j < m; j++) q[j]! += w * (clusterMeans[c * m + j] as number);
    }
    const choiceScore = members.map((mem) => {
      let best = -1;
      for (const j of mem) {
        if (best < 0 || (q[j] as number) > (q[best] as number) + 1e-12 || (Math.abs((q[j] as number) - (q[best] as number)) <= 1e-12 && (expectedCosts[i * m + j] as number) < (expectedCosts[i * m + best] as number))) best = j;
      }
      return best < 0 ? -Infinity : (scores[i * m + best] as number);
    });
    const top = choiceScore[choiceScore.length - 1] as number;
    let label = BUCKET_CLASS.hard;
    for (let b = 0; b < choiceScore.length; b++) {
      if ((choiceScore[b] as number) >= top - 1e-9) {
        label = b;
        break;
      }
    }
    labels.push(label);
  }
  return labels;
}
