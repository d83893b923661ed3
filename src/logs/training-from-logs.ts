import type { DatasetRecord } from '../tuning/dataset/dataset-record.js';
import type { DecisionStore } from '../store/store.js';

/** Options of {@link loadTrainingRecordsFromLogs}. Times are epoch ms. */
export interface LogTrainingOptions {
  readonly since?: number;
  readonly until?: number;
  /** Only records served under this artifact version. */
  readonly artifactVersion?: string;
}

/** Why decision records with feedback were not turned into training records. */
export interface LogTrainingSkips {
  /** No prompt text stored (`logging.store_prompts` was off): a record cannot be trained on without its prompt. */
  readonly noPrompt: number;
  /** The answering model is unknown to the artifact (explicit model ids outside it, or failed requests). */
  readonly noModel: number;
}

/**
 * Training records built from the logs. Each has `scores` for the models that answered that prompt
 * only (often one): see {@link mergeWithDataset} to make them trainable.
 */
export interface LogTrainingSet {
  readonly records: readonly DatasetRecord[];
  readonly feedbackCount: number;
  readonly skipped: LogTrainingSkips;
}

/**
 * Turns decision records with feedback into dataset records (the training issue's JSONL format).
 * Records are grouped by prompt: the same prompt answered by several models (traffic routed to
 * different tiers, or a canary) yields one record with several scores; several scores for the same
 * model are averaged. The model that answered gets the feedback score under its artifact name;
 * `costs` holds its mean measured cost. `task` is the bucket the router chose, `id` the first
 * request id of the group.
 */
export async function loadTrainingRecordsFromLogs(store: { readonly decisions: Pick<DecisionStore, 'list'> }, options: LogTrainingOptions = {}): Promise<LogTrainingSet> {
  const rows = await store.decisions.list({
    withFeedback: true,
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.artifactVersion === undefined ? {} : { artifactVersion: options.artifactVersion }),
  });
  let noPrompt = 0;
  let noModel = 0;
  const groups = new Map<string, { id: string; prompt: string; task?: string; scores: Map<string, number[]>; costs: Map<string, number[]> }>();
  for (const row of rows) {
    if (row.feedback === undefined) continue;
    if (row.prompt === undefined || row.prompt.trim() === '') {
      noPrompt++;
      continue;
    }
    if (row.modelName === undefined || row.status !== 'ok') {
      noModel++;
      continue;
    }
    let group = groups.get(row.prompt);
    if (group === undefined) {
      group = { id: row.requestId, prompt: row.prompt, ...(row.bucket === undefined ? {} : { task: row.bucket }), scores: new Map(), costs: new Map() };
      groups.set(row.prompt, group);
    }
    push(group.scores, row.modelName, row.feedback.score);
    if (row.costUsd !== undefined) push(group.costs, row.modelName, row.costUsd);
  }
  const records: DatasetRecord[] = [...groups.values()].map((g) => ({
    id: g.id,
    prompt: g.prompt,
    ...(g.task === undefined ? {} : { task: g.task }),
    scores: mean(g.scores),
    ...(g.costs.size === 0 ? {} : { costs: mean(g.costs) }),
  }));
  return { records, feedbackCount: rows.length, skipped: { noPrompt, noModel } };
}

/** How {@link mergeWithDataset} fills the scores a log record lacks. */
export type ImputeStrategy = 'model-mean' | 'drop';

export interface MergeOptions {
  /** Models the result must score (default: the base dataset's). Log scores of other models are ignored. */
  readonly models?: readonly string[];
  /**
   * `model-mean` (default): a missing score is that model's mean over the base dataset, adjusted by
   * how the logged models did on this prompt against their own means (see below); `drop`: only log
   * records that score every model are kept.
   */
  readonly impute?: ImputeStrategy;
}

export interface MergeResult {
  readonly records: readonly DatasetRecord[];
  readonly models: readonly string[];
  /** Base records whose scores were overwritten by feedback on the same prompt. */
  readonly overridden: number;
  /** Log records added with imputed scores. */
  readonly imputed: number;
  readonly dropped: number;
}

/**
 * Makes log records trainable. Training (`trainArtifact`) needs every model scored on every prompt,
 * and reads a missing score as 0, which would teach the router that every model but the one that
 * answered failed. So:
 * - a logged prompt that is also in the base dataset overrides the base scores of the models that
 *   answered it (the operator's own verdict beats a benchmark label) and keeps the others;
 * - a new prompt gets, for each model without feedback, that model's base mean plus the mean
 *   offset the answering models showed on this prompt against their own base means (a hard prompt,
 *   scored below average by the model that answered, lowers the others too), clamped to [0, 1].
 * This is a deliberately simple prior: it keeps the bucket labels unbiased and lets the clusters
 * learn the topics of the operator's traffic, while cross-model differences still come from the
 * base dataset. With no base dataset, use `impute: 'drop'` and route enough traffic to several
 * models (a canary, or `fast`/`smart` aliases) that prompts get multiple scores.
 */
export function mergeWithDataset(base: readonly DatasetRecord[], fromLogs: readonly DatasetRecord[], options: MergeOptions = {}): MergeResult {
  const models = [...(options.models ?? Object.keys(base[0]?.scores ?? {}))].sort();
  const impute = options.impute ?? 'model-mean';
  const means = new Map<string, number>();
  for (const m of models) {
    let sum = 0;
    let n = 0;
    for (const r of base) {
      const s = r.scores[m];
      if (s !== undefined) {
        sum += s;
        n++;
      }
    }
    means.set(m, n > 0 ? sum / n : 0.5);
  }
  const byPrompt = new Map<string, number>();
  const out: DatasetRecord[] = base.map((r, i) => {
    byPrompt.set(r.prompt, i);
    return r;
  });
  let overridden = 0;
  let imputed = 0;
  let dropped = 0;
  for (const rec of fromLogs) {
    const known = Object.entries(rec.scores).filter(([m]) => models.includes(m));
    if (known.length === 0) {
      dropped++;
      continue;
    }
    const at = byPrompt.get(rec.prompt);
    if (at !== undefined) {
      const old = out[at] as DatasetRecord;
      out[at] = { ...old, scores: { ...old.scores, ...Object.fromEntries(known) }, ...(rec.costs === undefined ? {} : { costs: { ...old.costs, ...pick(rec.costs, models) } }) };
      overridden++;
      continue;
    }
    const complete = known.length === models.length;
    if (!complete && impute === 'drop') {
      dropped++;
      continue;
    }
    const offset = known.reduce((acc, [m, s]) => acc + (s - (means.get(m) ?? 0.5)), 0) / known.length;
    const scores: Record<string, number> = {};
    for (const m of models) scores[m] = rec.scores[m] ?? clamp01((means.get(m) ?? 0.5) + offset);
    if (!complete) imputed++;
    byPrompt.set(rec.prompt, out.length);
    out.push({ ...rec, id: `log-${rec.id}`, scores, ...(rec.costs === undefined ? {} : { costs: pick(rec.costs, models) }) });
  }
  return { records: out, models, overridden, imputed, dropped };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function mean(map: Map<string, number[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, values] of map) out[k] = values.reduce((a, b) => a + b, 0) / values.length;
  return out;
}

function pick(costs: Readonly<Record<string, number>>, models: readonly string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(costs).filter(([m]) => models.includes(m)));
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Dataset records as JSON Lines (the format `heimdall train` reads). */
export function toJsonl(records: readonly DatasetRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');
}
