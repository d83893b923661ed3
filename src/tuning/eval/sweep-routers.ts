import { route } from '../../core/route.js';
import type { RouterState } from '../../core/router-state.js';
import { createSeededRng } from '../../core/math/seeded-rng.js';
import type { Bucket } from '../../types/routing-decision.js';
import { OFFLINE_PROVIDERS } from '../train/offline-router-state.js';
import type { CurvePoint } from './cost-quality-curve.js';
import type { OutcomeMatrix } from './cost-matrix.js';

/** The alpha values every sweeping router is evaluated at: 0, 0.05, ..., 1. */
export const ALPHA_SWEEP: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

/** A router's model choice (index into the outcome matrix's models) per test prompt. */
export type Choice = Int32Array;

/** Total cost and mean score of one choice vector. */
export function choicePoint(choice: Choice, o: OutcomeMatrix): CurvePoint {
  const m = o.models.length;
  let cost = 0;
  let score = 0;
  for (let i = 0; i < o.n; i++) {
    const j = choice[i] as number;
    cost += o.costs[i * m + j] as number;
    score += o.scores[i * m + j] as number;
  }
  return [cost, o.n > 0 ? score / o.n : 0];
}

/** Every prompt to model `j`. */
export function singleChoice(n: number, j: number): Choice {
  return new Int32Array(n).fill(j);
}

/** A uniformly random model per prompt (seeded). */
export function randomChoice(n: number, m: number, seed: number): Choice {
  const rng = createSeededRng(seed);
  return Int32Array.from({ length: n }, () => rng.int(m));
}

/** Index of the largest value; ties go to the lower `tieCost`, then the lower index. */
function argmaxBy(values: ArrayLike<number>, tieCost: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) {
    const v = values[j] as number;
    const b = values[best] as number;
    if (v > b + 1e-12 || (Math.abs(v - b) <= 1e-12 && (tieCost[j] as number) < (tieCost[best] as number))) best = j;
  }
  return best;
}

/** Mean score per model over the rows of `o`. */
export function meanScores(o: OutcomeMatrix): Float64Array {
  const m = o.models.length;
  const out = new Float64Array(m);
  for (let i = 0; i < o.n; i++) for (let j = 0; j < m; j++) out[j]! += (o.scores[i * m + j] as number) / o.n;
  return out;
}

/** Mean cost per model over the rows of `o`. */
export function meanCosts(o: OutcomeMatrix): Float64Array {
  const m = o.models.length;
  const out = new Float64Array(m);
  for (let i = 0; i < o.n; i++) for (let j = 0; j < m; j++) out[j]! += (o.costs[i * m + j] as number) / o.n;
  return out;
}

/** The model with the best mean score on `train` (ties: cheaper). */
export function bestSingleModel(train: OutcomeMatrix): number {
  return argmaxBy(meanScores(train), meanCosts(train));
}

/** The cheapest model on `train` (ties: better mean score). */
export function cheapestModel(train: OutcomeMatrix): number {
  const c = meanCosts(train);
  const s = meanScores(train);
  let best = 0;
  for (let j = 1; j < c.length; j++) {
    if ((c[j] as number) < (c[best] as number) - 1e-15 || (Math.abs((c[j] as number) - (c[best] as number)) <= 1e-15 && (s[j] as number) > (s[best] as number))) best = j;
  }
  return best;
}

/**
 * Per-task best: the model with the best mean score on the training prompts of the test prompt's
 * task (the overall best model for a task unseen in training). It reads the task label, which the
 * routers never do: it is the reference a router should approach from the prompt text alone.
 */
export function perTaskChoice(train: OutcomeMatrix, trainTasks: readonly string[], testTasks: readonly string[]): Choice {
  const m = train.models.length;
  const sums = new Map<string, { s: Float64Array; n: number }>();
  trainTasks.forEach((t, i) => {
    let e = sums.get(t);
    if (!e) sums.set(t, (e = { s: new Float64Array(m), n: 0 }));
    e.n++;
    for (let j = 0; j < m; j++) e.s[j]! += train.scores[i * m + j] as number;
  });
  const costs = meanCosts(train);
  const fallback = bestSingleModel(train);
  const best = new Map<string, number>();
  for (const [t, e] of sums) best.set(t, argmaxBy(e.s, costs));
  return Int32Array.from(testTasks, (t) => best.get(t) ?? fallback);
}

/** Oracle: per prompt, the cheapest of the models with the best score. */
export function oracleChoice(o: OutcomeMatrix): Choice {
  const m = o.models.length;
  return Int32Array.from({ length: o.n }, (_, i) => argmaxBy(o.scores.subarray(i * m, (i + 1) * m), o.costs.subarray(i * m, (i + 1) * m)));
}

/**
 * The alpha-score every sweeping baseline shares with the served router: for each prompt, the model
 * maximising `alpha * q - (1 - alpha) * c / max(c)`, `q` the estimated quality and `c` the cost
 * the router expects (ties: cheaper, then lower index).
 */
export function alphaChoices(quality: Float64Array, expectedCost: Float64Array, n: number, m: number, alphas: readonly number[]): Choice[] {
  return alphas.map((alpha) => {
    const out = new Int32Array(n);
    const score = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      let maxCost = 0;
      for (let j = 0; j < m; j++) maxCost = Math.max(maxCost, expectedCost[i * m + j] as number);
      for (let j = 0; j < m; j++) {
        const c = maxCost > 0 ? (expectedCost[i * m + j] as number) / maxCost : 0;
        score[j] = alpha * (quality[i * m + j] as number) - (1 - alpha) * c;
      }
      out[i] = argmaxBy(score, expectedCost.subarray(i * m, (i + 1) * m));
    }
    return out;
  });
}

/** Neighbours the kNN baseline averages over. */
export const KNN_NEIGHBOURS = 50;

/**
 * kNN quality estimate: for each test embedding, the similarity-weighted mean score per model of its
 * `neighbours` most cosine-similar training prompts (embeddings are unit vectors). `n x m`.
 */
export function knnQuality(trainEmb: Float32Array, train: OutcomeMatrix, testEmb: Float32Array, nTest: number, dim: number, neighbours = KNN_NEIGHBOURS): Float64Array {
  const m = train.models.length;
  const nTrain = train.n;
  const kk = Math.min(neighbours, nTrain);
  const out = new Float64Array(nTest * m);
  const sims = new Float64Array(nTrain);
  const order = new Int32Array(nTrain);
  for (let i = 0; i < nTest; i++) {
    const base = i * dim;
    for (let t = 0; t < nTrain; t++) {
      let s = 0;
      const tb = t * dim;
      for (let d = 0; d < dim; d++) s += (testEmb[base + d] as number) * (trainEmb[tb + d] as number);
      sims[t] = s;
      order[t] = t;
    }
    // Ties broken by index so the result does not depend on the sort's stability.
    const top = Array.from(order).sort((a, b) => (sims[b] as number) - (sims[a] as number) || a - b).slice(0, kk);
    let wsum = 0;
    for (const t of top) {
      const w = Math.max(0, sims[t] as number) + 1e-6;
      wsum += w;
      for (let j = 0; j < m; j++) out[i * m + j]! += w * (train.scores[t * m + j] as number);
    }
    for (let j = 0; j < m; j++) out[i * m + j]! /= wsum;
  }
  return out;
}

/** A test prompt as the served router sees it. */
export interface RoutedPrompt {
  readonly text: string;
  /** The router's own token estimate (what the gateway computes per request). */
  readonly promptTokens: number;
  readonly embedding: Float32Array;
}

/**
 * Runs the served `route()` on every prompt for every alpha. `bucket` forces a bucket (the
 * clusters-plus-alpha baseline forces `hard`, which holds every model); otherwise the GBDT triage
 * picks it, as in production. Returns choices as indices into `models`.
 */
export function routeChoices(state: RouterState, prompts: readonly RoutedPrompt[], models: readonly string[], alphas: readonly number[], bucket?: Bucket): Choice[] {
  const index = new Map(models.map((name, j) => [name, j]));
  return alphas.map((alpha) =>
    Int32Array.from(prompts, (p) => {
      const d = route(
        { text: p.text, promptTokens: p.promptTokens, providers: OFFLINE_PROVIDERS, embedding: p.embedding, policy: bucket ? { alpha, bucket } : { alpha } },
        state,
      );
      const name = d.candidates[0]?.name;
      const j = name === undefined ? undefined : index.get(name);
      if (j === undefined) throw new Error(`router chose ${String(name)}, which the dataset does not score`);
      return j;
    }),
  );
}
