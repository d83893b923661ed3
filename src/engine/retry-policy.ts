import type { GatewayError } from '../errors/gateway-error.js';

/** Retry settings (config `retry`, durations in ms). */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the engine falls back instead. */
  readonly maxRetryAfterMs: number;
}

/**
 * How long to wait before retry number `attempt` (0-based) of the same target, or `undefined` when
 * it should not be retried: the error is not retryable, retries are used up, or the upstream asked
 * for a wait longer than `maxRetryAfterMs`. Without `Retry-After` the delay is exponential backoff
 * with full jitter (`random` in [0, 1)) capped at `maxDelayMs`.
 */
export function retryDelayMs(err: GatewayError, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (!err.retryable || attempt >= policy.maxRetries) return undefined;
  if (err.retryAfterSeconds !== undefined) {
    const ms = err.retryAfterSeconds * 1000;
    return ms > policy.maxRetryAfterMs ? undefined : ms;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
