import type { ParsedArtifact } from '../core/router-artifact.js';
import type { RouterModel, RouterState } from '../core/router-state.js';
import type { RoutingDecision } from '../types/routing-decision.js';

/** The expected cost of one routed request on the chosen model and on the baseline model. */
export interface BaselineCost {
  /** The artifact's best single model (highest mean quality). */
  readonly baselineModel: string;
  readonly baselineUsd: number;
  readonly chosenUsd: number;
}

/** Computes {@link BaselineCost} for a decision; undefined when the chosen model is not among its candidates. */
export type BaselineCostFn = (decision: RoutingDecision, chosenId: string) => BaselineCost | undefined;

/** What {@link createBaselineCost} reads: the state in service and, for mean quality, the artifact it came from. */
export interface BaselineSource {
  state(): RouterState;
  artifact?(): ParsedArtifact;
}

/**
 * The model "always use the best model" would pick: the highest mean quality in the artifact
 * (over its training prompts), or, for an artifact without that figure, the highest unweighted
 * mean over clusters. Ties go to the cheaper model.
 */
export function bestSingleModel(state: RouterState, artifact?: ParsedArtifact): RouterModel | undefined {
  const mean = new Map<string, number>();
  if (artifact !== undefined && artifact.version === state.version) {
    for (const m of artifact.models) if (m.meanQuality !== undefined) mean.set(m.name, m.meanQuality);
  }
  let best: RouterModel | undefined;
  let bestQ = -Infinity;
  for (const m of state.models) {
    let q = mean.get(m.name);
    if (q === undefined) {
      q = 0;
      for (const v of m.quality) q += v;
      q /= Math.max(1, m.quality.length);
    }
    if (q > bestQ || (q === bestQ && best !== undefined && m.inputPerMTok + m.outputPerMTok < best.inputPerMTok + best.outputPerMTok)) {
      best = m;
      bestQ = q;
    }
  }
  return best;
}

/**
 * Expected cost of a routed request on the artifact's best single model, priced like the router
 * prices its candidates (prompt tokens plus the bucket's expected output, catalog prices), next to
 * the chosen candidate's. The best model is found once per router state, so a request costs a map
 * lookup and a few multiplications.
 */
export function createBaselineCost(source: BaselineSource): BaselineCostFn {
  const cache = new WeakMap<RouterState, RouterModel | null>();
  return (decision, chosenId) => {
    const state = source.state();
    let best = cache.get(state);
    if (best === undefined) {
      best = bestSingleModel(state, source.artifact?.()) ?? null;
      cache.set(state, best);
    }
    if (best === null) return undefined;
    let chosen: number | undefined;
    for (const c of decision.candidates) {
      if (c.id === chosenId) {
        chosen = c.costUsd;
        break;
      }
    }
    if (chosen === undefined) return undefined;
    const f = decision.explanation.features;
    const baselineUsd = (f.promptTokens * best.inputPerMTok + f.expectedOutputTokens * best.outputPerMTok) / 1e6;
    return { baselineModel: best.name, baselineUsd, chosenUsd: chosen };
  };
}
