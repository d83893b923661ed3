import { parseArtifact } from '../../artifact/parse-artifact.js';
import type { ArtifactJson } from '../../artifact/artifact-schema.js';
import type { DatasetRecord, PriceTable } from '../dataset/dataset-record.js';
import { offlineRouterState } from '../train/offline-router-state.js';
import { trainArtifact, type TrainOptionsInput } from '../train/train-artifact.js';
import { aiq, parityCostRatio, type CurvePoint } from './cost-quality-curve.js';
import { outcomeRows, promptCostUsd, type OutcomeMatrix } from './cost-matrix.js';
import {
  ALPHA_SWEEP,
  alphaChoices,
  bestSingleModel,
  cheapestModel,
  choicePoint,
  knnQuality,
  oracleChoice,
  perTaskChoice,
  randomChoice,
  routeChoices,
  singleChoice,
  type RoutedPrompt,
} from './sweep-routers.js';

/** Name of the router the gateway serves (GBDT triage + alpha-score over clusters). */
export const SERVED_ROUTER = 'heimdall';

/** Every router and baseline, in report order. */
export const ROUTER_NAMES = ['random', 'cheapest-single', 'best-single', 'per-task-best', 'oracle', 'knn', 'clusters-alpha', SERVED_ROUTER] as const;
export type RouterName = (typeof ROUTER_NAMES)[number];

/** A router's curve and summary numbers on one test set. */
export interface RouterResult {
  /** (total cost in USD, mean score) per sweep setting; one point for routers without alpha. */
  readonly points: CurvePoint[];
  readonly aiq: number;
  readonly maxAccuracy: number;
  /** Cost to reach the best single model's accuracy over that model's cost; null if never reached. */
  readonly parityCostRatio: number | null;
  /** The point the router runs at by default (the served router's fitted alpha). */
  readonly operatingPoint?: CurvePoint;
}

/** Results of every router on one train/test split. */
export interface FoldResult {
  readonly routers: Record<RouterName, RouterResult>;
  /** Each single model's (total cost, mean score) on the test prompts. */
  readonly singles: Record<string, CurvePoint>;
  readonly bestSingle: string;
  readonly costRange: readonly [number, number];
  readonly nTrain: number;
  readonly nTest: number;
  readonly trainSeconds: number;
  readonly artifactVersion: string;
  /** The knobs the fold's artifact was trained and fitted with. */
  readonly artifactKnobs: { readonly k: number; readonly topP: number; readonly clusterTemperature: number; readonly alpha: number; readonly thresholds: { readonly cheap: number; readonly hard: number } };
}

/** Everything shared by the folds of one evaluation. */
export interface EvalContext {
  readonly records: readonly DatasetRecord[];
  readonly models: readonly string[];
  readonly prices: PriceTable;
  /** Scores and true costs (exact tokens + assumed output) of every record. */
  readonly outcomes: OutcomeMatrix;
  /** The router's own token estimate per record (what the gateway would compute). */
  readonly routerTokens: ArrayLike<number>;
  readonly outputTokens: number;
  readonly trainOptions: TrainOptionsInput;
  readonly seed: number;
  readonly progress: (message: string) => void;
  /** Injected so tuning code stays clock-free; returns milliseconds. */
  readonly now: () => number;
}

/**
 * Evaluates every router on `testIdx` after fitting on `trainIdx`: a fresh artifact is trained on
 * the training records only (unless `artifact` is given, which is then evaluated as is), the
 * baselines are chosen on the same training records, and nothing is fitted on the test records.
 */
export function evaluateFold(ctx: EvalContext, trainIdx: readonly number[], testIdx: readonly number[], artifact?: ArtifactJson): FoldResult {
  const { records, models, prices, outcomes } = ctx;
  const m = models.length;
  const train = outcomeRows(outcomes, trainIdx);
  const test = outcomeRows(outcomes, testIdx);
  const t0 = ctx.now();
  const art = artifact ?? trainArtifact(trainIdx.map((i) => records[i] as DatasetRecord), prices, ctx.trainOptions, ctx.progress).artifact;
  const trainSeconds = (ctx.now() - t0) / 1000;
  const parsed = parseArtifact(art);
  for (const name of parsed.models.map((x) => x.name)) {
    if (!models.includes(name)) throw new Error(`artifact model ${name} is not scored by the dataset`);
  }
  const state = offlineRouterState(parsed, prices);
  const embed = (idx: readonly number[]): { flat: Float32Array; prompts: RoutedPrompt[] } => {
    const flat = new Float32Array(idx.length * parsed.dim);
    const prompts = idx.map((r, i) => {
      const rec = records[r] as DatasetRecord;
      const embedding = state.embedder.embed(rec.prompt);
      flat.set(embedding, i * parsed.dim);
      return { text: rec.prompt, promptTokens: ctx.routerTokens[r] as number, embedding };
    });
    return { flat, prompts };
  };
  ctx.progress(`eval: routing ${testIdx.length} test prompts`);
  const testSide = embed(testIdx);
  const trainSide = embed(trainIdx);

  const points = (choices: Int32Array[]): CurvePoint[] => choices.map((c) => choicePoint(c, test));
  const curves = {} as Record<RouterName, { points: CurvePoint[]; operatingPoint?: CurvePoint }>;
  curves.random = { points: points([randomChoice(test.n, m, ctx.seed)]) };
  const cheapest = cheapestModel(train);
  const best = bestSingleModel(train);
  curves['cheapest-single'] = { points: points([singleChoice(test.n, cheapest)]) };
  curves['best-single'] = { points: points([singleChoice(test.n, best)]) };
  const tasks = (idx: readonly number[]): string[] => idx.map((i) => (records[i] as DatasetRecord).task ?? '');
  curves['per-task-best'] = { points: points([perTaskChoice(train, tasks(trainIdx), tasks(testIdx))]) };
  curves.oracle = { points: points([oracleChoice(test)]) };

  const expected = new Float64Array(test.n * m);
  testIdx.forEach((r, i) => models.forEach((name, j) => (expected[i * m + j] = promptCostUsd(prices, name, ctx.routerTokens[r] as number, ctx.outputTokens))));
  const knnQ = knnQuality(trainSide.flat, train, testSide.flat, test.n, parsed.dim);
  curves.knn = { points: points(alphaChoices(knnQ, expected, test.n, m, ALPHA_SWEEP)) };
  curves['clusters-alpha'] = { points: points(routeChoices(state, testSide.prompts, models, ALPHA_SWEEP, 'hard')) };
  const served = routeChoices(state, testSide.prompts, models, [...ALPHA_SWEEP, parsed.router.alpha]);
  const operating = served.pop() as Int32Array;
  curves[SERVED_ROUTER] = { points: points(served), operatingPoint: choicePoint(operating, test) };

  const singles: Record<string, CurvePoint> = {};
  models.forEach((name, j) => (singles[name] = choicePoint(singleChoice(test.n, j), test)));
  const singleCosts = Object.values(singles).map((p) => p[0]);
  const cMin = Math.min(...singleCosts);
  const cMax = Math.max(...singleCosts);
  const reference = singles[models[best] as string] as CurvePoint;
  const routers = {} as Record<RouterName, RouterResult>;
  for (const name of ROUTER_NAMES) {
    const c = curves[name];
    routers[name] = {
      points: c.points,
      aiq: aiq(c.points, cMin, cMax),
      maxAccuracy: Math.max(...c.points.map((p) => p[1])),
      parityCostRatio: parityCostRatio(c.points, reference[1], reference[0]),
      ...(c.operatingPoint ? { operatingPoint: c.operatingPoint } : {}),
    };
  }
  return {
    routers,
    singles,
    bestSingle: models[best] as string,
    costRange: [cMin, cMax],
    nTrain: trainIdx.length,
    nTest: testIdx.length,
    trainSeconds,
    artifactVersion: parsed.version,
    artifactKnobs: { k: parsed.k, topP: parsed.router.topP, clusterTemperature: parsed.router.clusterTemperature, alpha: parsed.router.alpha, thresholds: parsed.router.thresholds },
  };
}
