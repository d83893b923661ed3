import type { CounterSpec } from './shared-state.js';

/** Slack added to slot lifetimes so a late `adjust` still finds its slot. */
const SLOT_TTL_SLACK_MS = 60_000;

/** Where a counter's amounts live at time `now`. */
export interface CounterSlots {
  /** The slot charged now. */
  readonly current: string;
  /** The previous window's slot (sliding windows only). */
  readonly previous?: string;
  /** Start of the current window (epoch ms). */
  readonly windowStart: number;
  readonly ttlMs: number;
}

/** The slot keys of `spec` at `now`; the Redis backend prefixes them and adds a cluster hash tag. */
export function counterSlots(spec: CounterSpec, now: number): CounterSlots {
  const w = spec.window;
  if (w.kind === 'fixed') {
    return { current: `${spec.key}:f${w.start}`, windowStart: w.start, ttlMs: Math.max(1, w.end - now) + SLOT_TTL_SLACK_MS };
  }
  const index = Math.floor(now / w.ms);
  return { current: `${spec.key}:s${w.ms}:${index}`, previous: `${spec.key}:s${w.ms}:${index - 1}`, windowStart: index * w.ms, ttlMs: 2 * w.ms + SLOT_TTL_SLACK_MS };
}

/**
 * Whether a counter holding `current` (and `previous`, for sliding windows) refuses `spec.cost` at
 * `now`, and if so how long until it would not. The Redis Lua script computes exactly this.
 *
 * Sliding window counter: used = previous * (W - elapsed) / W + current. Refused when
 * used + cost > limit (or, for a zero cost, used >= limit). The retry time solves for the moment
 * the weighted previous window has decayed enough, moving to the next window if the current one
 * alone is too full.
 */
export function evaluateCounter(spec: CounterSpec, now: number, windowStart: number, current: number, previous: number): { refused: boolean; retryAfterMs: number } {
  const w = spec.window;
  const limit = spec.limit;
  const cost = spec.cost;
  if (w.kind === 'fixed') {
    const refused = cost > 0 ? current + cost > limit : current >= limit;
    return { refused, retryAfterMs: refused ? Math.max(1, w.end - now) : 0 };
  }
  const W = w.ms;
  const elapsed = now - windowStart;
  const used = (previous * (W - elapsed)) / W + current;
  const refused = cost > 0 ? used + cost > limit : used >= limit;
  if (!refused) return { refused: false, retryAfterMs: 0 };
  let wait: number;
  if (current + cost <= limit && previous > 0) {
    wait = W - elapsed - ((limit - cost - current) * W) / previous;
  } else {
    const next = current > 0 ? W - ((limit - cost) * W) / current : 0;
    wait = W - elapsed + Math.max(0, next);
  }
  return { refused: true, retryAfterMs: Math.max(1, Math.ceil(wait)) };
}
