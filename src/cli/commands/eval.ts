import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ArtifactJson } from '../../artifact/artifact-schema.js';
import { parseArtifactText } from '../../artifact/load-artifact.js';
import { isGatewayError } from '../../errors/gateway-error.js';
import { readDataset, readPrices } from '../../tuning/dataset/read-dataset.js';
import { SERVED_ROUTER } from '../../tuning/eval/evaluate-fold.js';
import { CV_FOLDS, evaluationJson, runEvaluation, type Protocol } from '../../tuning/eval/run-evaluation.js';
import { protocolTable, writeEvaluationReport } from '../../tuning/eval/write-report.js';
import { createProgress } from '../../tuning/progress/create-progress.js';
import { readTrainConfig } from '../../tuning/train/read-train-config.js';
import type { TrainOptionsInput } from '../../tuning/train/train-artifact.js';

const USAGE = `Usage: heimdall eval --data FILE --prices FILE [--artifact FILE | --protocol cv5|split|all] [options]

Evaluates the served router against baselines on scored prompts (see docs/routing-quality.md).

Options:
  --data FILE             dataset, JSON Lines (plain or .gz)
  --prices FILE           prices JSON { model: { input_per_mtok, output_per_mtok } }
  --artifact FILE         evaluate this artifact on the records marked "test" (baselines fit on "train")
  --protocol P            split (train on "train" records, test on "test"), cv5 (5-fold CV, a fresh
                          artifact per fold) or all (both; the default without --artifact)
  --config FILE           training options for the artifacts trained per fold (YAML or JSON)
  --json                  print the results as one JSON object on the last line of stdout
  --report DIR            write DIR/report.md and accuracy-vs-cost plots (SVG and PNG)
  --on-bad-row MODE       skip (default: report and skip) or reject
  -h, --help              this help
`;

/** `heimdall eval`: exit 0 on success, 2 on bad arguments or input files. */
export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        prices: { type: 'string' },
        artifact: { type: 'string' },
        protocol: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        report: { type: 'string' },
        'on-bad-row': { type: 'string' },
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
  if (!values.data || !values.prices) return fail(`--data and --prices are required\n\n${USAGE}`);
  if (values.artifact && values.protocol) return fail('--artifact and --protocol are exclusive: an artifact is evaluated as is, a protocol trains its own');
  const onBadRow = values['on-bad-row'] ?? 'skip';
  if (onBadRow !== 'skip' && onBadRow !== 'reject') return fail(`--on-bad-row must be skip or reject, got "${onBadRow}"`);
  const protocolArg = values.protocol ?? (values.artifact ? 'artifact' : 'all');
  const protocols: Protocol[] | undefined =
    protocolArg === 'all' ? ['split', 'cv5'] : protocolArg === 'split' || protocolArg === 'cv5' || protocolArg === 'artifact' ? [protocolArg] : undefined;
  if (!protocols) return fail(`--protocol must be cv5, split or all, got "${protocolArg}"`);

  try {
    const trainOptions: TrainOptionsInput = values.config ? readTrainConfig(values.config) : {};
    const prices = readPrices(values.prices);
    let artifact: ArtifactJson | undefined;
    if (values.artifact) {
      const path = values.artifact;
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        return fail(`cannot read artifact ${path}: ${(err as Error).message}`);
      }
      parseArtifactText(text, path);
      artifact = JSON.parse(text) as ArtifactJson;
    }
    const dataset = readDataset(values.data, { onBadRow });
    if (dataset.problems.length > 0) {
      process.stderr.write(`dataset: skipped ${dataset.problems.length} bad row(s):\n`);
      for (const p of dataset.problems.slice(0, 20)) process.stderr.write(`  line ${p.line}: ${p.message}\n`);
    }
    const hasSplit = dataset.records.some((r) => r.split === 'test') && dataset.records.some((r) => r.split === 'train');
    const run = protocolArg === 'all' && !hasSplit ? protocols.filter((p) => p !== 'split') : protocols;
    if (run.length < protocols.length) process.stderr.write('eval: no train/test marks in the dataset, skipping the split protocol\n');
    // Token counting, then per fold: its header, six training steps and the routing step.
    const steps = 1 + run.reduce((s, p) => s + (p === 'cv5' ? CV_FOLDS * 8 : p === 'split' ? 8 : 2), 0);
    const progress = createProgress(process.stderr, steps, () => performance.now());
    const report = runEvaluation(dataset.records, dataset.models, prices, {
      protocols: run,
      ...(artifact ? { artifact } : {}),
      trainOptions,
      progress: (m) => progress.step(m),
      now: () => performance.now(),
    });
    progress.done();
    for (const [name, p] of Object.entries(report.protocols)) {
      process.stdout.write(`\n${name} (${p.folds.length} fold${p.folds.length > 1 ? 's' : ''}; served router: ${SERVED_ROUTER})\n\n${protocolTable(p)}\n`);
    }
    if (values.report) {
      const command = `heimdall eval ${argv.join(' ')}`;
      const files = writeEvaluationReport(report, values.report, command);
      process.stderr.write(`wrote ${files.join(', ')}\n`);
    }
    if (values.json) process.stdout.write(`${JSON.stringify(evaluationJson(report))}\n`);
    return 0;
  } catch (err) {
    if (isGatewayError(err)) return fail(err.message);
    throw err;
  }
}

function fail(message: string): number {
  process.stderr.write(`heimdall eval: ${message.trimEnd()}\n`);
  return 2;
}
