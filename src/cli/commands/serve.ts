import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig, type LoadConfigOptions } from '../../config/load-config.js';
import { heapEnv, heapFlags, missingFlags } from '../../app/heap-flags.js';
import { runClusterPrimary } from '../../app/run-cluster.js';

const HELP = `Usage: heimdall serve [options]

Starts the gateway: OpenAI- and Anthropic-compatible endpoints that route, stream and fall back.

Options:
  --port N          port to listen on (default: config server.port, PORT, else 8080)
  --host HOST       address to bind (default: config server.host, else 0.0.0.0)
  --config PATH     config file (YAML or JSON), watched and reloaded on change
                    (default: $HEIMDALL_CONFIG, else built-in defaults and the environment)
  --workers N       processes sharing the port; 0 = one per core (default: config server.workers)
  -h, --help        show this help

The gateway runs in worker processes started with the V8 flags and glibc malloc tunables of
server.heap, under a primary that replaces a worker that dies and drains them all on
SIGTERM/SIGINT. Started with those flags and GLIBC_TUNABLES already (node
--initial-old-space-size=32 --max-semi-space-size=8 --heap-growing-percent=25 --liftoff-only
--no-allocation-site-pretenuring ...), a single gateway runs in-process.

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
  // V8 sizes its heap when the process starts: a gateway that needs flags this process was not
  // started with runs in a worker forked with them, under a primary that also restarts it.
  const addFlags = missingFlags(heapFlags(config.server.heap), process.execArgv, process.env['NODE_OPTIONS']);
  const addEnv = heapEnv(config.server.heap, process.env);

  if (cluster.isPrimary && (workers > 1 || addFlags.length > 0 || Object.keys(addEnv).length > 0)) {
    const log = (message: string, fields?: Record<string, unknown>): void => {
      process.stdout.write(`${JSON.stringify({ level: 30, time: new Date().toISOString(), pid: process.pid, role: 'primary', ...fields, msg: message })}\n`);
    };
    return runClusterPrimary({ workers, log, shutdownGraceMs: config.server.shutdown_grace, execArgv: [...process.execArgv, ...addFlags], env: addEnv });
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
  try {
    // Loaded here, not at the top: a cluster primary never runs a gateway and stays small without it.
    const { startServer } = await import('../../app/start-server.js');
    // One of several workers on a shared port takes connections only once warm: the primary deals
    // them to any worker that listens, and a replacement warming for a second or more would have
    // answered its share late (docs/benchmarks.md, session 18).
    const running = await startServer({ config, reload: loadOptions, warmBeforeListen: workerId !== undefined && workers > 1, ...(workerId === undefined ? {} : { labels: { worker: workerId } }) });
    // Several workers on port 0 each get their own port: only a lone gateway has one URL to announce.
    if (workerId === undefined || workers === 1) process.stderr.write(`heimdall: gateway listening on ${running.url}\n`);
    await stopSignal;
    await running.shutdown();
    return 0;
  } finally {
    // A cluster worker's IPC channel to the primary keeps it alive until it is closed, after a
    // drain or a failed start alike. Through `cluster.worker`, not `process.disconnect()`: a bare
    // disconnect makes node's cluster code exit the worker at once with code 0, losing the
    // worker's own exit code and racing its error message.
    if (cluster.isWorker && process.connected) cluster.worker?.disconnect();
  }
}
