/**
 * Log-spaced latency buckets shared by the server (which counts into them) and the dashboard's
 * script (which merges counts from several workers and reads percentiles off them). Bucket `i`
 * holds values in `(BASE_MS * FACTOR^(i-1), BASE_MS * FACTOR^i]`, so a percentile read from it is
 * off by at most one bucket width: under 15% of the value.
 */
export const LATENCY_SKETCH = {
  /** Upper bound of bucket 0, in milliseconds (10 µs: decisions are tens of microseconds). */
  baseMs: 0.01,
  factor: 1.15,
  /** 0.01 ms * 1.15^140 is about 3.1e6 ms: anything longer lands in the last bucket. */
  count: 141,
} as const;

const LOG_FACTOR = Math.log(LATENCY_SKETCH.factor);

/** The bucket of a latency in milliseconds. */
export function latencyBucket(ms: number): number {
  if (!(ms > LATENCY_SKETCH.baseMs)) return 0;
  const i = Math.ceil(Math.log(ms / LATENCY_SKETCH.baseMs) / LOG_FACTOR - 1e-9);
  return i >= LATENCY_SKETCH.count ? LATENCY_SKETCH.count - 1 : i;
}

/** Upper bound of bucket `i`, in milliseconds. */
export function latencyBucketUpperMs(i: number): number {
  return LATENCY_SKETCH.baseMs * Math.pow(LATENCY_SKETCH.factor, i);
}

/**
 * The `q` quantile (0..1) of sparse bucket counts, as the upper bound of the bucket it falls in;
 * undefined when there are no counts.
 */
export function sketchQuantile(counts: ReadonlyMap<number, number> | Readonly<Record<string, number>>, q: number): number | undefined {
  const entries: Array<[number, number]> = counts instanceof Map ? [...counts.entries()] : Object.entries(counts).map(([k, v]) => [Number(k), v]);
  entries.sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, n] of entries) total += n;
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [i, n] of entries) {
    seen += n;
    if (seen >= rank) return latencyBucketUpperMs(i);
  }
  return latencyBucketUpperMs((entries[entries.length - 1] as [number, number])[0]);
}
