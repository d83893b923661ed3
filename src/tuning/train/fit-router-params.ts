import { route } from '../../core/route.js';
import type { RouterState } from '../../core/router-state.js';
import { selectBucket } from '../../core/rules/select-bucket.js';
import type { Bucket } from '../../types/routing-decision.js';
import { aiq, type CurvePoint } from '../eval/cost-quality-curve.js';
import { OFFLINE_PROVIDERS } from './offline-router-state.js';

/** A labelled prompt for fitting: embedding precomputed, score and cost per model known. */
export interface FitExample {
  readonly text: string;
  readonly tokens: number;
  readonly embedding: Float32Array;
  readonly scores: Readonly<Record<string, number>>;
  /** USD per model for this prompt. */
  readonly costs: Readonly<Record<string, number>>;
}

export const ALPHA_GRID: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);
/** 1 means "practically never": a softmax probability does not reach it. */
export const THRESHOLD_GRID: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export interface FittedRouterParams {
  readonly alpha: number;
  readonly thresholds: { readonly cheap: number; readonly hard: number };
  readonly validation: { readonly accuracy: number; readonly cost: number; readonly aiq: number };
}

/**
 * Fits the bucket thresholds and alpha on validation prompts with the served `route()`.
 * Thresholds: the pair whose alpha sweep has the highest AIQ (the whole cost-quality curve, not one
 * point). Alpha: on that curve, the cheapest operating point within `tolerance` of its best accuracy.
 * Each prompt is routed once per (bucket, alpha); thresholds then only pick which bucket's choice counts.
 */
export function fitRouterParams(state: RouterState, examples: readonly FitExample[], tolerance = 0.005): FittedRouterParams {
  const buckets: Bucket[] = ['cheap', 'mid', 'hard'];
  const n = examples.length;
  const A = ALPHA_GRID.length;
  // choice[(i * 3 + b) * A + a] = chosen model's score and cost.
  const score = new Float64Array(n * 3 * A);
  const cost = new Float64Array(n * 3 * A);
  const probs: { cheap: number; mid: number; hard: number }[] = [];
  examples.forEach((ex, i) => {
    buckets.forEach((b, bi) => {
      ALPHA_GRID.forEach((alpha, ai) => {
        const d = route({ text: ex.text, promptTokens: ex.tokens, providers: OFFLINE_PROVIDERS, embedding: ex.embedding, policy: { bucket: b, alpha } }, state);
        if (bi === 0 && ai === 0) probs.push(d.bucketProbabilities);
        const chosen = d.candidates[0];
        const name = chosen?.name ?? '';
        score[(i * 3 + bi) * A + ai] = ex.scores[name] ?? 0;
        cost[(i * 3 + bi) * A + ai] = ex.costs[name] ?? 0;
      });
    });
  });
  const singleCosts = Object.keys(examples[0]?.costs ?? {}).map((m) => examples.reduce((s, e) => s + (e.costs[m] ?? 0), 0));
  const cMin = Math.min(...singleCosts);
  const cMax = Math.max(...singleCosts);

  let best: { aiq: number; cheap: number; hard: number; points: CurvePoint[] } | undefined;
  for (const hard of THRESHOLD_GRID) {
    for (const cheap of THRESHOLD_GRID) {
      const bucketOf = probs.map((p) => buckets.indexOf(selectBucket(p, { cheap, hard })));
      const points: CurvePoint[] = ALPHA_GRID.map((_, ai) => {
        let s = 0;
        let c = 0;
        for (let i = 0; i < n; i++) {
          const j = (i * 3 + (bucketOf[i] as number)) * A + ai;
          s += score[j] as number;
          c += cost[j] as number;
        }
        return [c, s / n] as const;
      });
      const value = aiq(points, cMin, cMax);
      if (!best || value > best.aiq + 1e-12) best = { aiq: value, cheap, hard, points };
    }
  }
  if (!best) throw new Error('no validation examples');
  const maxAcc = Math.max(...best.points.map((p) => p[1]));
  let pick = -1;
  best.points.forEach((p, ai) => {
    if (p[1] < maxAcc - tolerance) return;
    if (pick < 0 || p[0] < (best.points[pick] as CurvePoint)[0]) pick = ai;
  });
  const chosen = best.points[pick] as CurvePoint;
  return {
    alpha: ALPHA_GRID[pick] as number,
    thresholds: { cheap: best.cheap, hard: best.hard },
    validation: { accuracy: chosen[1], cost: chosen[0], aiq: best.aiq },
  };
}

