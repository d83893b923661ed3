import { parseArgs } from 'node:util';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseSince, reportByArtifact } from '../../logs/report-by-artifact.js';
import { openStoreFromArgs } from '../../store/open-store-from-config.js';

const HELP = `Usage: heimdall report --by artifact [options]

Compares artifact versions (a canary against the main artifact) from the decision logs: requests,
cost, latency, fallback and error rates, and feedback.

Options:
  --by artifact        grouping (only artifact for now)
  --since WHEN         ISO date or age (7d, 12h); default: everything
  --config PATH        config file (for storage.url)
  --storage URL        sqlite:PATH or postgres://... (overrides the config)
  --json               machine-readable output
`;

/** `heimdall report`. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      by: { type: 'string', default: 'artifact' },
      since: { type: 'string' },
      config: { type: 'string' },
      storage: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.by !== 'artifact') throw new GatewayError('caller_invalid_request', `--by ${values.by}: only "artifact" is supported`);
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (values.since !== undefined && since === undefined) throw new GatewayError('caller_invalid_request', `--since "${values.since}": give an ISO date or an age like 7d`);
  const { store } = await openStoreFromArgs(values);
  try {
    const rows = await reportByArtifact(store, since === undefined ? {} : { since });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(`${'artifact'.padEnd(26)} ${'requests'.padStart(9)} ${'cost $'.padStart(10)} ${'$/req'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'fallback'.padStart(8)} ${'errors'.padStart(7)} ${'feedback'.padStart(12)}\n`);
    for (const r of rows) {
      const fb = r.meanFeedback === null ? '-' : `${r.meanFeedback.toFixed(3)} (${r.feedbackCount})`;
      process.stdout.write(
        `${r.artifactVersion.padEnd(26)} ${String(r.requests).padStart(9)} ${r.costUsd.toFixed(4).padStart(10)} ${r.meanCostUsd.toFixed(6).padStart(10)} ${r.latencyP50Ms.toFixed(0).padStart(8)} ${r.latencyP99Ms.toFixed(0).padStart(8)} ${pct(r.fallbackRate).padStart(8)} ${pct(r.errorRate).padStart(7)} ${fb.padStart(12)}\n`,
      );
    }
    if (rows.length === 0) process.stdout.write('no decision records yet\n');
    return 0;
  } finally {
    await store.close();
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
