import cluster, { type Worker } from 'node:cluster';
import { serveClusterMetrics } from '../obs/cluster-metrics.js';

/** Options of {@link runClusterPrimary}. */
export interface ClusterOptions {
  readonly workers: number;
  /** Told about worker lifecycle events. */
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
  /** Shutdown grace per worker before it is killed, in ms. */
  readonly shutdownGraceMs: number;
}

/**
 * The cluster primary: forks `workers` processes that share the listening port (node:cluster),
 * replaces a worker that dies unexpectedly (with a short back-off against crash loops), gathers
 * every worker's metrics for a scrape that reached one of them, and on SIGTERM/SIGINT asks every
 * worker to drain and waits for them. Resolves with the exit code.
 */
export function runClusterPrimary(options: ClusterOptions): Promise<number> {
  let stopping = false;
  const restarts: number[] = [];
  const fork = (id: number): Worker => {
    const worker = cluster.fork({ HEIMDALL_WORKER_ID: String(id) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      options.log('worker exited unexpectedly; replacing it', { worker: id, code, signal });
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && (restarts[0] as number) < now - 60_000) restarts.shift();
      // More than one crash per worker per minute: back off instead of spinning.
      const delay = restarts.length > options.workers ? 5_000 : 0;
      setTimeout(() => {
        if (!stopping) fork(id);
      }, delay).unref();
    });
    return worker;
  };
  const stopMetrics = serveClusterMetrics();
  for (let i = 0; i < options.workers; i++) fork(i);
  options.log('started workers', { workers: options.workers });

  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      stopMetrics();
      options.log('stopping workers', { signal });
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      if (alive.length === 0) {
        resolve(0);
        return;
      }
      let left = alive.length;
      for (const w of alive) {
        w.once('exit', () => {
          left--;
          if (left === 0) resolve(0);
        });
        w.process.kill('SIGTERM');
      }
      setTimeout(() => {
        for (const w of alive) if (!w.isDead()) w.process.kill('SIGKILL');
      }, options.shutdownGraceMs + 2_000).unref();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
