import type { DatasetRecord, PriceTable } from '../dataset/dataset-record.js';
import { GatewayError } from '../../errors/gateway-error.js';

/**
 * Output tokens assumed per answer when a record has no measured costs. The public data has no
 * responses; 256 tokens is a typical short answer with a little reasoning (a multiple-choice letter
 * is shorter, a GSM8K derivation or a code solution longer), and the same number is charged to
 * every model so no router gains from the assumption.
 */
export const DEFAULT_OUTPUT_TOKENS = 256;

/** USD cost of a prompt of `promptTokens` tokens plus `outputTokens` of answer on `model`. */
export function promptCostUsd(prices: PriceTable, model: string, promptTokens: number, outputTokens: number): number {
  const p = prices[model];
  if (!p) throw new GatewayError('caller_invalid_request', `no price for model ${model}`);
  return (promptTokens * p.input_per_mtok + outputTokens * p.output_per_mtok) / 1e6;
}

/** Scores and costs of every (record, model) pair, row-major `n x m`. */
export interface OutcomeMatrix {
  readonly models: readonly string[];
  readonly n: number;
  readonly scores: Float64Array;
  readonly costs: Float64Array;
}

/**
 * Builds the outcome matrix: a record's measured `costs` when present, otherwise
 * price x (exact prompt tokens + `outputTokens`).
 */
export function outcomeMatrix(
  records: readonly DatasetRecord[],
  models: readonly string[],
  prices: PriceTable,
  promptTokens: ArrayLike<number>,
  outputTokens: number,
): OutcomeMatrix {
  const m = models.length;
  const scores = new Float64Array(records.length * m);
  const costs = new Float64Array(records.length * m);
  records.forEach((r, i) => {
    models.forEach((name, j) => {
      scores[i * m + j] = r.scores[name] ?? 0;
      costs[i * m + j] = r.costs?.[name] ?? promptCostUsd(prices, name, promptTokens[i] as number, outputTokens);
    });
  });
  return { models, n: records.length, scores, costs };
}

/** Rows `idx` of an outcome matrix. */
export function outcomeRows(o: OutcomeMatrix, idx: readonly number[]): OutcomeMatrix {
  const m = o.models.length;
  const scores = new Float64Array(idx.length * m);
  const costs = new Float64Array(idx.length * m);
  idx.forEach((r, i) => {
    scores.set(o.scores.subarray(r * m, (r + 1) * m), i * m);
    costs.set(o.costs.subarray(r * m, (r + 1) * m), i * m);
  });
  return { models: o.models, n: idx.length, scores, costs };
}
