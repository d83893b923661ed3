import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { GatewayError, isGatewayError } from '../../errors/gateway-error.js';
import { parseSince } from '../../logs/report-by-artifact.js';
import { loadTrainingRecordsFromLogs, mergeWithDataset, type ImputeStrategy } from '../../logs/training-from-logs.js';
import { openStoreFromArgs } from '../../store/open-store-from-config.js';
import type { DatasetRecord } from '../../tuning/dataset/dataset-record.js';
import { readDataset, readPrices, type DatasetProblem } from '../../tuning/dataset/read-dataset.js';
import { createProgress } from '../../tuning/progress/create-progress.js';
import { readTrainConfig } from '../../tuning/train/read-train-config.js';
import { trainArtifact, type TrainOptionsInput } from '../../tuning/train/train-artifact.js';

const USAGE = `Usage: heimdall train --data FILE --prices FILE --out ARTIFACT.json [options]
       heimdall train --from-logs [--since WHEN] [--data FILE] --prices FILE --out ARTIFACT.json [options]

Learns a routing artifact from scored prompts (see docs/training.md), or from the gateway's own
decision logs with feedback (POST /v1/feedback; prompts are logged with logging.store_prompts).

Options:
  --data FILE             dataset, JSON Lines (plain or .gz); with --from-logs, the dataset the
                          feedback is merged into (its scores for models nobody rated are kept)
  --from-logs             train on decision records with feedback, from the store
  --since WHEN            with --from-logs: only records from then on (ISO date or age: 30d, 12h)
  --storage URL           with --from-logs: sqlite:PATH or postgres://... (default: storage.url
                          of $HEIMDALL_CONFIG, else sqlite:.heimdall/heimdall.db)
  --impute STRATEGY       with --from-logs: model-mean (default) fills the scores of models nobody
                          rated from the dataset's means; drop keeps only fully scored prompts
  --prices FILE           prices JSON { model: { input_per_mtok, output_per_mtok } }
  --out FILE              where to write the artifact JSON
  --config FILE           training options (YAML or JSON; see docs/training.md)
  --seed N                random seed (default 42)
  --k N                   number of clusters (default: chosen on a validation split)
  --on-bad-row MODE       skip (default: report and skip) or reject (fail on the first)
  --split MODE            all (default) or train: use only records marked "split": "train"
  -h, --help              this help
`;

/** Steps `trainArtifact` reports (for the progress bar). */
const TRAIN_STEPS = 7;

/** `heimdall train`: exit 0 on success, 2 on bad arguments or input files. */
export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        prices: { type: 'string' },
        out: { type: 'string' },
        config: { type: 'string' },
        seed: { type: 'string' },
        k: { type: 'string' },
        'on-bad-row': { type: 'string' },
        split: { type: 'string' },
        'from-logs': { type: 'boolean' },
        since: { type: 'string' },
        storage: { type: 'string' },
        impute: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const fromLogs = values['from-logs'] === true;
  if (!fromLogs && (values.since !== undefined || values.storage !== undefined || values.impute !== undefined)) return fail('--since, --storage and --impute need --from-logs');
  if ((!values.data && !fromLogs) || !values.prices || !values.out) return fail(`--data, --prices and --out are required (--from-logs can stand in for --data)\n\n${USAGE}`);
  const impute = values.impute ?? 'model-mean';
  if (impute !== 'model-mean' && impute !== 'drop') return fail(`--impute must be model-mean or drop, got "${impute}"`);
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (values.since !== undefined && since === undefined) return fail(`--since "${values.since}": give an ISO date or an age like 30d`);
  const onBadRow = values['on-bad-row'] ?? 'skip';
  if (onBadRow !== 'skip' && onBadRow !== 'reject') return fail(`--on-bad-row must be skip or reject, got "${onBadRow}"`);
  const split = values.split ?? 'all';
  if (split !== 'all' && split !== 'train') return fail(`--split must be all or train, got "${split}"`);
  const seed = values.seed === undefined ? undefined : intArg('--seed', values.seed, 0);
  const k = values.k === undefined ? undefined : intArg('--k', values.k, 1);
  if (typeof seed === 'string') return fail(seed);
  if (typeof k === 'string') return fail(k);

  try {
    const config: TrainOptionsInput = values.config ? readTrainConfig(values.config) : {};
    const prices = readPrices(values.prices);
    const dataset = values.data === undefined ? undefined : readDataset(values.data, { onBadRow });
    if (dataset !== undefined) reportProblems(dataset.problems);
    let records: readonly DatasetRecord[] = dataset === undefined ? [] : split === 'train' ? dataset.records.filter((r) => r.split === 'train') : dataset.records;
    let models: readonly string[] = dataset?.models ?? [];
    if (fromLogs) {
      ({ records, models } = await recordsFromLogs(values.storage, since, records, dataset?.models, impute));
    }
    const options: TrainOptionsInput = { ...config, ...(seed !== undefined ? { seed } : {}), ...(k !== undefined ? { k } : {}) };
    const progress = createProgress(process.stderr, TRAIN_STEPS, () => performance.now());
    progress.step(`dataset: ${records.length} records, ${models.length} models`);
    const { artifact, summary } = trainArtifact(records, prices, options, (m) => progress.step(m));
    progress.done();
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(artifact)}\n`);
    const fitted = summary.fitted as { alpha: number; thresholds: { cheap: number; hard: number }; validation: { accuracy: number } };
    process.stderr.write(
      `wrote ${values.out} (${artifact.version}): k=${String(summary.k)}, alpha=${fitted.alpha}, thresholds cheap=${fitted.thresholds.cheap} hard=${fitted.thresholds.hard}, validation accuracy ${fitted.validation.accuracy.toFixed(4)}\n`,
    );
    return 0;
  } catch (err) {
    if (isGatewayError(err)) return fail(err.message);
    throw err;
  }
}

/**
 * Decision records with feedback as training records, merged into `base` (the dataset) when one
 * is given; without one, only prompts scored for every model the logs know are kept.
 */
async function recordsFromLogs(
  storage: string | undefined,
  since: number | undefined,
  base: readonly DatasetRecord[],
  baseModels: readonly string[] | undefined,
  impute: ImputeStrategy,
): Promise<{ records: readonly DatasetRecord[]; models: readonly string[] }> {
  const { store } = await openStoreFromArgs({ storage });
  try {
    const set = await loadTrainingRecordsFromLogs(store, since === undefined ? {} : { since });
    process.stderr.write(
      `logs (${store.description}): ${set.feedbackCount} records with feedback -> ${set.records.length} prompts (skipped: ${set.skipped.noPrompt} without prompt text, ${set.skipped.noModel} without an artifact model)\n`,
    );
    const models = baseModels ?? [...new Set(set.records.flatMap((r) => Object.keys(r.scores)))].sort();
    const merged = mergeWithDataset(base, set.records, { models, impute: baseModels === undefined ? 'drop' : impute });
    process.stderr.write(`merged: ${merged.overridden} dataset prompts overridden by feedback, ${merged.imputed} added with imputed scores, ${merged.dropped} dropped\n`);
    if (merged.records.length === 0) {
      throw new GatewayError(
        'caller_invalid_request',
        'no trainable records from the logs: give feedback (POST /v1/feedback) on requests logged with logging.store_prompts, or merge into a dataset with --data',
      );
    }
    return { records: merged.records, models: merged.models };
  } finally {
    await store.close();
  }
}

function intArg(name: string, raw: string, min: number): number | string {
  const v = Number(raw);
  return Number.isInteger(v) && v >= min ? v : `${name} must be an integer >= ${min}, got "${raw}"`;
}

function reportProblems(problems: readonly DatasetProblem[]): void {
  if (problems.length === 0) return;
  process.stderr.write(`dataset: skipped ${problems.length} bad row(s):\n`);
  for (const p of problems.slice(0, 20)) process.stderr.write(`  line ${p.line}: ${p.message}\n`);
  if (problems.length > 20) process.stderr.write(`  ... and ${problems.length - 20} more\n`);
}

function fail(message: string): number {
  process.stderr.write(`heimdall train: ${message.trimEnd()}\n`);
  return 2;
}
