import type { ObservedStats } from '../core/route.js';
import type { RouterState } from '../core/router-state.js';

/** Running upstream latency statistics per target, exposed as the router's {@link ObservedStats}. */
export interface LatencyStats {
  /** Records one successful call's upstream latency for `id` (`provider/model`). */
  record(id: string, latencyMs: number): void;
  /** Mean and standard deviation for `id`, once it has enough samples. */
  get(id: string): { readonly meanMs: number; readonly sdMs: number; readonly samples: number } | undefined;
  /**
   * The statistics indexed like `state.models` (NaN where unknown), refreshed in place when they
   * changed: read them within one decision, do not keep them.
   */
  observed(state: RouterState): ObservedStats;
}

interface Running {
  mean: number;
  variance: number;
  samples: number;
}

/**
 * Exponentially weighted mean and variance of latency (West's incremental form), so a target's
 * recent behaviour dominates; the standard deviation feeds the router's `latency_sd` penalty.
 * `minSamples` keeps one slow first call from penalising a model.
 */
export function createLatencyStats(options: { readonly alpha?: number; readonly minSamples?: number } = {}): LatencyStats {
  const alpha = options.alpha ?? 0.1;
  const minSamples = options.minSamples ?? 5;
  const byId = new Map<string, Running>();
  let generation = 0;
  // One entry per router state in service (the artifact's, a canary's), dropped with the state.
  const byState = new WeakMap<RouterState, { generation: number; readonly stats: ObservedStats }>();
  const fill = (sd: Float64Array, state: RouterState): void => {
    for (const m of state.models) {
      const r = byId.get(m.id);
      sd[m.index] = r === undefined || r.samples < minSamples ? Number.NaN : Math.sqrt(r.variance);
    }
  };
  return {
    record(id, latencyMs) {
      if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
      let r = byId.get(id);
      if (r === undefined) {
        r = { mean: latencyMs, variance: 0, samples: 1 };
        byId.set(id, r);
      } else {
        const diff = latencyMs - r.mean;
        const incr = alpha * diff;
        r.mean += incr;
        r.variance = (1 - alpha) * (r.variance + diff * incr);
        r.samples++;
      }
      generation++;
    },
    get(id) {
      const r = byId.get(id);
      if (r === undefined || r.samples < minSamples) return undefined;
      return { meanMs: r.mean, sdMs: Math.sqrt(r.variance), samples: r.samples };
    },
    observed(state) {
      const cached = byState.get(state);
      if (cached === undefined) {
        const sd = new Float64Array(state.models.length);
        fill(sd, state);
        const entry = { generation, stats: { latencySdMs: sd } };
        byState.set(state, entry);
        return entry.stats;
      }
      if (cached.generation !== generation) {
        // Every answered request moves `generation`, so this runs once per routing decision: the
        // array is refilled in place rather than allocated (an off-heap backing store per request).
        fill(cached.stats.latencySdMs, state);
        cached.generation = generation;
      }
      return cached.stats;
    },
  };
}
