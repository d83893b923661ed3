import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseSince } from '../../logs/report-by-artifact.js';
import { loadTrainingRecordsFromLogs, mergeWithDataset, toJsonl, type ImputeStrategy } from '../../logs/training-from-logs.js';
import { openStoreFromArgs } from '../../store/open-store-from-config.js';
import { readDataset } from '../../tuning/dataset/read-dataset.js';

const HELP = `Usage: heimdall logs <export|purge> [options]

  export               write the decision records that have feedback as a training dataset (JSONL)
  purge                delete decision records (and their feedback) older than --before

Options:
  --config PATH        config file (for storage.url)
  --storage URL        sqlite:PATH or postgres://... (overrides the config)
  --since WHEN         only records from then on: ISO date or age (7d, 12h)
  --artifact VERSION   only records served by this artifact version
  --merge DATASET      merge into this JSONL dataset (feedback overrides its scores on the same prompt;
                       new prompts get imputed scores for the models nobody rated, see --impute)
  --impute STRATEGY    model-mean (default) or drop (keep only fully scored prompts)
  --out FILE           output file (default: stdout)
  --before WHEN        for purge: ISO date or age

Records need their prompt text: enable logging.store_prompts on the gateway to collect trainable logs.
Train on the result with: heimdall train --data FILE
`;

/** `heimdall logs`. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      storage: { type: 'string' },
      since: { type: 'string' },
      before: { type: 'string' },
      artifact: { type: 'string' },
      merge: { type: 'string' },
      impute: { type: 'string', default: 'model-mean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const sub = positionals[0];
  if (values.help || sub === undefined) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const when = (text: string | undefined, flag: string): number | undefined => {
    if (text === undefined) return undefined;
    const t = parseSince(text);
    if (t === undefined) throw new GatewayError('caller_invalid_request', `--${flag} "${text}": give an ISO date or an age like 7d`);
    return t;
  };
  if (sub !== 'export' && sub !== 'purge') {
    process.stderr.write(`heimdall logs: unknown subcommand "${sub}"\n\n${HELP}`);
    return 2;
  }
  if (values.impute !== 'model-mean' && values.impute !== 'drop') throw new GatewayError('caller_invalid_request', '--impute must be model-mean or drop');
  const before = when(values.before, 'before');
  if (sub === 'purge' && before === undefined) throw new GatewayError('caller_invalid_request', 'logs purge needs --before');
  const since = when(values.since, 'since');
  const { store } = await openStoreFromArgs(values);
  try {
    if (sub === 'purge') {
      process.stdout.write(`deleted ${await store.decisions.purge(before as number)} records\n`);
      return 0;
    }
    const set = await loadTrainingRecordsFromLogs(store, { ...(since === undefined ? {} : { since }), ...(values.artifact === undefined ? {} : { artifactVersion: values.artifact }) });
    let records = set.records;
    let summary = `${set.feedbackCount} records with feedback -> ${records.length} prompts (skipped: ${set.skipped.noPrompt} without prompt text, ${set.skipped.noModel} without an artifact model)`;
    if (values.merge !== undefined) {
      const base = readDataset(values.merge);
      const merged = mergeWithDataset(base.records, records, { models: base.models, impute: values.impute as ImputeStrategy });
      records = merged.records;
      summary += `; merged into ${values.merge}: ${merged.overridden} overridden, ${merged.imputed} added with imputed scores, ${merged.dropped} dropped`;
    }
    const text = toJsonl(records);
    if (values.out === undefined) process.stdout.write(text);
    else writeFileSync(values.out, text);
    process.stderr.write(`${summary}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
