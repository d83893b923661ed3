import type { ArtifactJson } from '../../artifact/artifact-schema.js';
import { estimateTokens } from '../../core/features/estimate-tokens.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { DatasetRecord, PriceTable } from '../dataset/dataset-record.js';
import type { TrainOptionsInput } from '../train/train-artifact.js';
import type { CurvePoint } from './cost-quality-curve.js';
import { DEFAULT_OUTPUT_TOKENS, outcomeMatrix } from './cost-matrix.js';
import { evaluateFold, ROUTER_NAMES, SERVED_ROUTER, type EvalContext, type FoldResult, type RouterName } from './evaluate-fold.js';
import { foldIndices, stratifiedFolds } from './folds.js';
import { countPromptTokens } from './prompt-tokens.js';

/** `split`: train on records marked train, test on those marked test. `cv5`: 5-fold CV. `artifact`: a given artifact on the test records. */
export type Protocol = 'split' | 'cv5' | 'artifact';

/** Folds of the cv5 protocol. */
export const CV_FOLDS = 5;

/** A router's results over a protocol's folds: means, with standard deviations across folds. */
export interface AggregatedRouter {
  /** Per sweep setting, the mean over folds of (total test cost, mean score). */
  readonly points: CurvePoint[];
  readonly aiq: number;
  readonly aiqStd: number;
  readonly maxAccuracy: number;
  readonly maxAccuracyStd: number;
  /** Mean over folds; null unless every fold reached the best single model's accuracy. */
  readonly parityCostRatio: number | null;
  readonly parityCostRatioStd: number | null;
  readonly parityReachedFolds: number;
  readonly operatingPoint?: CurvePoint;
}

export interface ProtocolResult {
  readonly protocol: Protocol;
  readonly folds: readonly FoldResult[];
  readonly routers: Record<RouterName, AggregatedRouter>;
  readonly singles: Record<string, CurvePoint>;
  /** Best single model per fold (chosen on that fold's training records). */
  readonly bestSingles: readonly string[];
}

export interface EvaluationReport {
  readonly served: string;
  readonly models: readonly string[];
  readonly records: number;
  readonly outputTokens: number;
  readonly protocols: Partial<Record<Protocol, ProtocolResult>>;
}

export interface EvaluationOptions {
  readonly protocols: readonly Protocol[];
  /** Required by the `artifact` protocol. */
  readonly artifact?: ArtifactJson;
  readonly trainOptions?: TrainOptionsInput;
  readonly outputTokens?: number;
  readonly seed?: number;
  readonly progress?: (message: string) => void;
  readonly now?: () => number;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (0 for a single value). */
function std(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const mu = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1));
}

function meanPoint(ps: readonly CurvePoint[]): CurvePoint {
  return [mean(ps.map((p) => p[0])), mean(ps.map((p) => p[1]))];
}

/** Averages fold results: points per sweep index, metrics with their standard deviation. */
export function aggregateFolds(protocol: Protocol, folds: readonly FoldResult[]): ProtocolResult {
  const routers = {} as Record<RouterName, AggregatedRouter>;
  for (const name of ROUTER_NAMES) {
    const rs = folds.map((f) => f.routers[name]);
    const first = rs[0];
    if (!first) throw new Error('no folds');
    const parity = rs.map((r) => r.parityCostRatio).filter((x): x is number => x !== null);
    const ops = rs.map((r) => r.operatingPoint).filter((p): p is CurvePoint => p !== undefined);
    routers[name] = {
      points: first.points.map((_, k) => meanPoint(rs.map((r) => r.points[k] as CurvePoint))),
      aiq: mean(rs.map((r) => r.aiq)),
      aiqStd: std(rs.map((r) => r.aiq)),
      maxAccuracy: mean(rs.map((r) => r.maxAccuracy)),
      maxAccuracyStd: std(rs.map((r) => r.maxAccuracy)),
      parityCostRatio: parity.length === rs.length ? mean(parity) : null,
      parityCostRatioStd: parity.length === rs.length ? std(parity) : null,
      parityReachedFolds: parity.length,
      ...(ops.length === rs.length ? { operatingPoint: meanPoint(ops) } : {}),
    };
  }
  const singles: Record<string, CurvePoint> = {};
  for (const name of Object.keys(folds[0]?.singles ?? {})) singles[name] = meanPoint(folds.map((f) => f.singles[name] as CurvePoint));
  return { protocol, folds, routers, singles, bestSingles: folds.map((f) => f.bestSingle) };
}

/**
 * Runs the requested protocols. Costs are price x (exact o200k prompt tokens + `outputTokens`)
 * unless records carry measured costs; routers see only the prompt (never the task label, which
 * only the per-task-best reference reads).
 */
export function runEvaluation(records: readonly DatasetRecord[], models: readonly string[], prices: PriceTable, options: EvaluationOptions): EvaluationReport {
  const progress = options.progress ?? (() => {});
  const outputTokens = options.outputTokens ?? DEFAULT_OUTPUT_TOKENS;
  progress(`eval: counting tokens of ${records.length} prompts`);
  const exactTokens = records.map((r) => countPromptTokens(r.prompt));
  const ctx: EvalContext = {
    records,
    models,
    prices,
    outcomes: outcomeMatrix(records, models, prices, exactTokens, outputTokens),
    routerTokens: records.map((r) => estimateTokens(r.prompt)),
    outputTokens,
    trainOptions: { outputTokens, ...options.trainOptions },
    seed: options.seed ?? 42,
    progress,
    now: options.now ?? (() => 0),
  };
  const byMark = (mark: 'train' | 'test'): number[] => records.flatMap((r, i) => (r.split === mark ? [i] : []));
  const protocols: Partial<Record<Protocol, ProtocolResult>> = {};
  for (const protocol of options.protocols) {
    const folds: FoldResult[] = [];
    if (protocol === 'cv5') {
      const fold = stratifiedFolds(records, CV_FOLDS);
      for (let f = 0; f < CV_FOLDS; f++) {
        progress(`cv5: fold ${f + 1}/${CV_FOLDS}`);
        const { train, test } = foldIndices(fold, f);
        folds.push(evaluateFold(ctx, train, test));
      }
    } else {
      const train = byMark('train');
      const test = byMark('test');
      if (test.length === 0 || (protocol === 'split' && train.length === 0)) {
        throw new GatewayError('caller_invalid_request', `protocol ${protocol} needs records marked "split": "test"${protocol === 'split' ? ' and "train"' : ''}`);
      }
      if (protocol === 'artifact' && !options.artifact) throw new GatewayError('caller_invalid_request', 'protocol artifact needs an artifact');
      progress(`${protocol}: ${train.length} train, ${test.length} test prompts`);
      // Baselines still need training prompts; with none marked, they are chosen on the test prompts (reported).
      folds.push(evaluateFold(ctx, train.length > 0 ? train : test, test, protocol === 'artifact' ? options.artifact : undefined));
    }
    protocols[protocol] = aggregateFolds(protocol, folds);
  }
  return { served: SERVED_ROUTER, models, records: records.length, outputTokens, protocols };
}

/** The `--json` summary: `{served, protocols: {name: {routers: {NAME: {aiq, max_accuracy, parity_cost_ratio, points}}}}}`. */
export function evaluationJson(report: EvaluationReport): Record<string, unknown> {
  const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
  const r9 = (x: number): number => Number(x.toPrecision(6));
  const protocols: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(report.protocols)) {
    const routers: Record<string, unknown> = {};
    for (const [rn, r] of Object.entries(p.routers)) {
      routers[rn] = {
        aiq: r6(r.aiq),
        max_accuracy: r6(r.maxAccuracy),
        parity_cost_ratio: r.parityCostRatio === null ? null : r6(r.parityCostRatio),
        points: r.points.map((pt) => [r9(pt[0]), r6(pt[1])]),
        std: { aiq: r6(r.aiqStd), max_accuracy: r6(r.maxAccuracyStd), parity_cost_ratio: r.parityCostRatioStd === null ? null : r6(r.parityCostRatioStd) },
        ...(r.operatingPoint ? { operating_point: [r9(r.operatingPoint[0]), r6(r.operatingPoint[1])] } : {}),
      };
    }
    protocols[name] = {
      routers,
      folds: p.folds.length,
      singles: Object.fromEntries(Object.entries(p.singles).map(([k, pt]) => [k, [r9(pt[0]), r6(pt[1])]])),
      best_single: p.bestSingles,
    };
  }
  return { served: report.served, protocols };
}
