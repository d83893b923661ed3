import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { isGatewayError } from '../../errors/gateway-error.js';
import { readDataset, readPrices, type DatasetProblem } from '../../tuning/dataset/read-dataset.js';
import { createProgress } from '../../tuning/progress/create-progress.js';
import { readTrainConfig } from '../../tuning/train/read-train-config.js';
import { trainArtifact, type TrainOptionsInput } from '../../tuning/train/train-artifact.js';

const USAGE = `Usage: heimdall train --data FILE --prices FILE --out ARTIFACT.json [options]

Learns a routing artifact from scored prompts (see docs/training.md).

Options:
  --data FILE             dataset, JSON Lines (plain or .gz)
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
  if (!values.data || !values.prices || !values.out) return fail(`--data, --prices and --out are required\n\n${USAGE}`);
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
    const dataset = readDataset(values.data, { onBadRow });
    reportProblems(dataset.problems);
    const records = split === 'train' ? dataset.records.filter((r) => r.split === 'train') : dataset.records;
    const options: TrainOptionsInput = { ...config, ...(seed !== undefined ? { seed } : {}), ...(k !== undefined ? { k } : {}) };
    const progress = createProgress(process.stderr, TRAIN_STEPS, () => performance.now());
    progress.step(`dataset: ${records.length} records, ${dataset.models.length} models`);
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
