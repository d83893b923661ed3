import type { Bucket } from '../../types/routing-decision.js';

/** Class index of each bucket in the triage model's output. */
export const BUCKET_CLASS: Readonly<Record<Bucket, number>> = { cheap: 0, mid: 1, hard: 2 };

/**
 * The triage label of a prompt: the cheapest bucket holding a model that answers it well (score at
 * least `goodScore`). A prompt no model answers well is labelled `cheap`: paying more buys nothing.
 */
export function bucketLabel(scores: Readonly<Record<string, number>>, buckets: Readonly<Record<Bucket, readonly string[]>>, goodScore: number): number {
  for (const b of ['cheap', 'mid', 'hard'] as const) {
    for (const m of buckets[b]) if ((scores[m] ?? 0) >= goodScore) return BUCKET_CLASS[b];
  }
  return BUCKET_CLASS.cheap;
}
