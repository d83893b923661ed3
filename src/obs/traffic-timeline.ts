import { latencyBucket, LATENCY_SKETCH } from './latency-sketch.js';

/** One minute of chat traffic, as the dashboard reads it. Sums and counts only, so workers merge by addition. */
export interface MinuteAggregate {
  /** Start of the minute, epoch milliseconds. */
  readonly t: number;
  readonly requests: number;
  /** Responses with status >= 500. */
  readonly errors: number;
  /** Responses with status 400..499. */
  readonly client_errors: number;
  /** Estimated cost from the usage the providers reported (catalog prices). */
  readonly cost_usd: number;
  /** Expected cost of the routed requests on the models chosen for them. */
  readonly expected_usd: number;
  /** Expected cost had the same routed requests all gone to the artifact's best single model. */
  readonly baseline_usd: number;
  /** `baseline_usd - expected_usd`, request by request. Negative when routing chose a pricier model. */
  readonly saved_usd: number;
  /** `[model, bucket, count]`; bucket `explicit` for requests that named a model. */
  readonly routes: ReadonlyArray<readonly [string, string, number]>;
  readonly fallbacks: Readonly<Record<string, number>>;
  /** Sparse counts per {@link LATENCY_SKETCH} bucket of the whole request's latency. */
  readonly latency: Readonly<Record<string, number>>;
  /** The same for routing decisions. */
  readonly decision: Readonly<Record<string, number>>;
}

/** What {@link TrafficTimeline.snapshot} returns. */
export interface TimelineSnapshot {
  readonly minute_ms: number;
  readonly sketch: typeof LATENCY_SKETCH;
  /** Oldest first; minutes without traffic are left out. */
  readonly minutes: readonly MinuteAggregate[];
}

/**
 * A ring of per-minute aggregates for the last `minutes` minutes. Every recording method is O(1):
 * it finds the current slot (recycling it when a new minute starts) and bumps a few numbers.
 */
export interface TrafficTimeline {
  request(seconds: number, status: number): void;
  decision(seconds: number): void;
  routed(model: string, bucket: string, expectedUsd: number, baselineUsd: number | undefined): void;
  cost(usd: number): void;
  fallback(reason: string): void;
  snapshot(): TimelineSnapshot;
}

interface Slot {
  minute: number;
  requests: number;
  errors: number;
  clientErrors: number;
  costUsd: number;
  expectedUsd: number;
  baselineUsd: number;
  savedUsd: number;
  routes: Map<string, number>;
  fallbacks: Map<string, number>;
  latency: Map<number, number>;
  decision: Map<number, number>;
}

const MINUTE_MS = 60_000;
/** Separates model and bucket in a route key; neither contains it. */
const SEP = '\u0000';

/** Options of {@link createTrafficTimeline}. */
export interface TrafficTimelineOptions {
  /** How many minutes to keep (default 60). */
  readonly minutes?: number;
  readonly now?: () => number;
}

/** Creates a {@link TrafficTimeline}. */
export function createTrafficTimeline(options: TrafficTimelineOptions = {}): TrafficTimeline {
  const size = Math.max(1, options.minutes ?? 60);
  const now = options.now ?? Date.now;
  const slots: Slot[] = [];
  for (let i = 0; i < size; i++) {
    slots.push({
      minute: -1,
      requests: 0,
      errors: 0,
      clientErrors: 0,
      costUsd: 0,
      expectedUsd: 0,
      baselineUsd: 0,
      savedUsd: 0,
      routes: new Map(),
      fallbacks: new Map(),
      latency: new Map(),
      decision: new Map(),
    });
  }
  const current = (): Slot => {
    const minute = Math.floor(now() / MINUTE_MS);
    const s = slots[minute % size] as Slot;
    if (s.minute !== minute) {
      s.minute = minute;
      s.requests = s.errors = s.clientErrors = 0;
      s.costUsd = s.expectedUsd = s.baselineUsd = s.savedUsd = 0;
      s.routes.clear();
      s.fallbacks.clear();
      s.latency.clear();
      s.decision.clear();
    }
    return s;
  };
  const bump = <K>(m: Map<K, number>, k: K): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  return {
    request(seconds, status) {
      const s = current();
      s.requests++;
      if (status >= 500) s.errors++;
      else if (status >= 400) s.clientErrors++;
      bump(s.latency, latencyBucket(seconds * 1000));
    },
    decision(seconds) {
      bump(current().decision, latencyBucket(seconds * 1000));
    },
    routed(model, bucket, expectedUsd, baselineUsd) {
      const s = current();
      bump(s.routes, model + SEP + bucket);
      if (baselineUsd !== undefined) {
        s.expectedUsd += expectedUsd;
        s.baselineUsd += baselineUsd;
        s.savedUsd += baselineUsd - expectedUsd;
      }
    },
    cost(usd) {
      current().costUsd += usd;
    },
    fallback(reason) {
      bump(current().fallbacks, reason);
    },
    snapshot() {
      const newest = Math.floor(now() / MINUTE_MS);
      const live = slots.filter((s) => s.minute >= 0 && s.minute > newest - size && s.minute <= newest).sort((a, b) => a.minute - b.minute);
      return {
        minute_ms: MINUTE_MS,
        sketch: LATENCY_SKETCH,
        minutes: live.map((s) => ({
          t: s.minute * MINUTE_MS,
          requests: s.requests,
          errors: s.errors,
          client_errors: s.clientErrors,
          cost_usd: s.costUsd,
          expected_usd: s.expectedUsd,
          baseline_usd: s.baselineUsd,
          saved_usd: s.savedUsd,
          routes: [...s.routes].map(([k, n]) => {
            const cut = k.indexOf(SEP);
            return [k.slice(0, cut), k.slice(cut + 1), n] as const;
          }),
          fallbacks: Object.fromEntries(s.fallbacks),
          latency: Object.fromEntries(s.latency),
          decision: Object.fromEntries(s.decision),
        })),
      };
    },
  };
}
