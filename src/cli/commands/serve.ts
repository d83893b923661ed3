import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig, type LoadConfigOptions } from '../../config/load-config.js';
import { runClusterPrimary } from '../../app/run-cluster.js';
import { startServer } from '../../app/start-server.js';

const HELP = `Usage: heimdall serve [options]

Starts the gateway: OpenAI- and Anthropic-compatible endpoints that route, stream and fall back.

Options:
  --port N          port to listen on (default: config server.port, PORT, else 8080)
  --host HOST       address to bind (default: config server.host, else 0.0.0.0)
  --config PATH     config file (YAML or JSON), watched and reloaded on change
                    (default: $HEIMDALL_CONFIG, else built-in defaults and the environment)
  --workers N       processes sharing the port; 0 = one per core (default: config server.workers)
  -h, --help        show this help

Endpoints: POST /v1/chat/completions, POST /v1/messages, POST /v1/route, GET /v1/models,
GET /health, GET /ready, GET /metrics. Provider keys come from the config or OPENAI_API_KEY,
ANTHROPIC_API_KEY, GEMINI_API_KEY, OPENROUTER_API_KEY; clients may also send their own.
`;

/** `heimdall serve`: runs the gateway, as one process or a cluster of workers. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const server: Record<string, unknown> = {};
  for (const [key, raw] of [
    ['port', values.port],
    ['workers', values.workers],
  ] as const) {
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) {
      process.stderr.write(`heimdall serve: --${key} must be a non-negative integer, got "${raw}"\n`);
      return 2;
    }
    server[key] = n;
  }
  if (values.host !== undefined) server['host'] = values.host;
  const path = values.config ?? (process.env['HEIMDALL_CONFIG'] || undefined);
  const loadOptions: LoadConfigOptions = { ...(path === undefined ? {} : { path }), overrides: { server } };
  const config = loadConfig(loadOptions);
  const workers = config.server.workers === 0 ? availableParallelism() : config.server.workers;

  if (workers > 1 && cluster.isPrimary) {
    const log = (message: string, fields?: Record<string, unknown>): void => {
      process.stdout.write(`${JSON.stringify({ level: 30, time: new Date().toISOString(), pid: process.pid, role: 'primary', ...fields, msg: message })}\n`);
    };
    return runClusterPrimary({ workers, log, shutdownGraceMs: config.server.shutdown_grace });
  }

  // Signal handlers go in before anything can announce the server: a supervisor that stops the
  // process right after reading the "listening" line (or during start-up) gets a clean shutdown,
  // never node's default kill.
  let stopRequested: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  process.once('SIGTERM', stopRequested);
  process.once('SIGINT', stopRequested);
  const workerId = process.env['HEIMDALL_WORKER_ID'];
  const running = await startServer({ config, reload: loadOptions, ...(workerId === undefined ? {} : { labels: { worker: workerId } }) });
  if (workerId === undefined) process.stderr.write(`heimdall: gateway listening on ${running.url}\n`);
  await stopSignal;
  await running.shutdown();
  return 0;
}
