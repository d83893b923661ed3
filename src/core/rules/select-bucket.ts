import type { Bucket } from '../../types/routing-decision.js';

/** Class probabilities of the triage model, in bucket order. */
export interface BucketProbabilities {
  readonly cheap: number;
  readonly mid: number;
  readonly hard: number;
}

/**
 * Picks the bucket from the triage probabilities. `hard` is checked first so that a prompt the
 * model is fairly sure is hard never lands in `cheap`, whatever `cheap`'s own probability.
 */
export function selectBucket(p: BucketProbabilities, thresholds: { readonly cheap: number; readonly hard: number }): Bucket {
  if (p.hard >= thresholds.hard) return 'hard';
  if (p.cheap >= thresholds.cheap) return 'cheap';
  return 'mid';
}

/**
 * Maps any supported GBDT output onto three bucket probabilities: `multi:softprob` gives them
 * directly; a binary or regression model gives one "hardness" value in [0, 1].
 */
export function toBucketProbabilities(output: Float64Array, numClass: number): BucketProbabilities {
  if (numClass >= 3) return { cheap: output[0] as number, mid: output[1] as number, hard: output[2] as number };
  const h = Math.min(1, Math.max(0, output[0] as number));
  return { cheap: 1 - h, mid: 0, hard: h };
}

/** The order buckets are tried in when the chosen one has no usable candidate: up first, then down. */
export function bucketEscalationOrder(start: Bucket): readonly Bucket[] {
  switch (start) {
    case 'cheap':
      return ['cheap', 'mid', 'hard'];
    case 'mid':
      return ['mid', 'hard', 'cheap'];
    case 'hard':
      return ['hard', 'mid', 'cheap'];
  }
}
