import cluster, { type Worker } from 'node:cluster';
import { setFlagsFromString } from 'node:v8';
import { serveClusterMetrics } from '../obs/cluster-metrics.js';
import { PRIMARY_STORE_ENV, serveClusterStore } from './cluster-store.js';

/** Options of {@link runClusterPrimary}. */
export interface ClusterOptions {
  readonly workers: number;
  /** Told about worker lifecycle events. */
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
  /** Shutdown grace per worker before it is killed, in ms. */
  readonly shutdownGraceMs: number;
  /** Node flags for the workers (default: the primary's own). */
  readonly execArgv?: readonly string[];
  /** Environment variables the workers get on top of the primary's own. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The cluster primary: forks `workers` processes that share the listening port (node:cluster),
 * replaces a worker that dies unexpectedly (with a short back-off against crash loops), gathers
 * every worker's metrics for a scrape that reached one of them, and on SIGTERM/SIGINT asks every
 * worker to drain and waits for them. Resolves with the exit code: 0 after a stop, the worker's
 * code when the gateway could not start at all (no worker ever listened: a bad config, a busy
 * port), where replacing the worker would only loop.
 */
export function runClusterPrimary(options: ClusterOptions): Promise<number> {
  let stopping = false;
  let everListened = false;
  let finish: (code: number) => void = () => undefined;
  const restarts: number[] = [];
  const pendingForks = new Set<NodeJS.Timeout>();
  // The primary parses the workers' store calls as they arrive over IPC, and the bit of each that
  // outlives a scavenge made V8 double its young generation up to 2 x 16 MB (~30 MB of RSS) though
  // it holds almost nothing. A started process cannot be given --max-semi-space-size any more, but
  // V8 reads the growth factor at each growth: 1 keeps the initial 1 MB semi-spaces
  // (docs/benchmarks.md, session 13).
  setFlagsFromString('--semi-space-growth-factor=1');
  // One worker gets the listening socket itself; with several, the primary deals connections out.
  if (options.workers === 1) cluster.schedulingPolicy = cluster.SCHED_NONE;
  // The channel carries every worker's decision-log batches (~77 KiB of SQL parameters per 32
  // records, mostly JSON text): V8's serializer copies those strings where JSON escaped every quote
  // in them again; sending a batch takes 27-35% less CPU (bench/ipc-serialization.ts, session 15).
  cluster.setupPrimary({ execArgv: [...(options.execArgv ?? process.execArgv)], serialization: 'advanced' });
  const fork = (id: number): Worker => {
    const worker = cluster.fork({ ...options.env, HEIMDALL_WORKER_ID: String(id), [PRIMARY_STORE_ENV]: '1' });
    worker.once('listening', () => {
      everListened = true;
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      if (!everListened) {
        options.log('worker failed to start; stopping', { worker: id, code, signal });
        void stopAll().then(() => finish(code === 0 || code === null ? 1 : code));
        return;
      }
      options.log('worker exited unexpectedly; replacing it', { worker: id, code, signal });
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && (restarts[0] as number) < now - 60_000) restarts.shift();
      // More than one crash per worker per minute: back off instead of spinning.
      const delay = restarts.length > options.workers ? 5_000 : 0;
      // Referenced: with every worker gone, this timer is all that keeps the primary alive.
      const timer = setTimeout(() => {
        pendingForks.delete(timer);
        if (!stopping) fork(id);
      }, delay);
      pendingForks.add(timer);
    });
    return worker;
  };
  const stopMetrics = serveClusterMetrics();
  // SQLite (the decision log, the registry) lives here, once for all workers: a worker's own
  // connection, page cache and thread were 16-21 MB of its peak RSS (docs/benchmarks.md, session 13).
  const stopStore = serveClusterStore();
  for (let i = 0; i < options.workers; i++) fork(i);
  options.log('started workers', { workers: options.workers });

  // Asks every live worker to drain; resolves when all have exited.
  const stopAll = (): Promise<void> => {
    stopping = true;
    stopMetrics();
    for (const timer of pendingForks) clearTimeout(timer);
    pendingForks.clear();
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    const exited = alive.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
    for (const w of alive) w.process.kill('SIGTERM');
    setTimeout(() => {
      for (const w of alive) if (!w.isDead()) w.process.kill('SIGKILL');
    }, options.shutdownGraceMs + 2_000).unref();
    // The store closes after the workers: each flushes its decision log through it while draining.
    return Promise.all(exited).then(() => stopStore());
  };

  return new Promise((resolve) => {
    finish = resolve;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      options.log('stopping workers', { signal });
      void stopAll().then(() => resolve(0));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
