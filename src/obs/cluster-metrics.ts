import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

// Messages between the cluster primary and its workers. A scrape reaches one worker (the port is
// shared); that worker asks the primary, the primary collects every worker's metrics as JSON,
// merges them with prom-client's aggregation and sends the text back.
const SCRAPE = 'heimdall:metrics:scrape';
const SCRAPED = 'heimdall:metrics:scraped';
const COLLECT = 'heimdall:metrics:collect';
const COLLECTED = 'heimdall:metrics:collected';
/** Sent by a worker once its registry can answer; a worker still starting is not asked. */
const JOINED = 'heimdall:metrics:joined';

interface Message {
  readonly type: string;
  readonly id: number;
  readonly text?: string;
  /** One registry's `getMetricsAsJSON()`, as sent over IPC. */
  readonly metrics?: object[];
  readonly error?: string;
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).type === 'string' && typeof (value as Message).id === 'number';
}

/**
 * The primary's side: answers a worker's scrape with the metrics of every worker that has joined
 * (its gateway is up), each series keeping its `worker` label. A worker that does not answer within `timeoutMs` fails the scrape
 * (Prometheus records it as down) rather than returning a partial picture. Returns a stop function.
 */
export function serveClusterMetrics(timeoutMs = 5_000): () => void {
  let next = 0;
  const collecting = new Map<number, { readonly parts: object[][]; waiting: number; readonly done: (err?: Error) => void }>();

  // Workers whose registry answers (a restarted worker joins once its gateway is built).
  const joined = new Set<Worker>();
  const collect = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const id = next++;
      const workers = [...joined].filter((w) => w.isConnected());
      const parts: object[][] = [];
      const timer = setTimeout(() => done(new Error(`a worker did not report its metrics within ${timeoutMs} ms`)), timeoutMs);
      const done = (err?: Error): void => {
        if (!collecting.delete(id)) return;
        clearTimeout(timer);
        if (err !== undefined) {
          reject(err);
          return;
        }
        try {
          AggregatorRegistry.aggregate(parts).metrics().then(resolve, reject);
        } catch (cause) {
          // A malformed part must fail this scrape, not the primary.
          reject(cause instanceof Error ? cause : new Error(String(cause)));
        }
      };
      collecting.set(id, { parts, waiting: workers.length, done });
      for (const w of workers) w.send({ type: COLLECT, id });
      if (workers.length === 0) done();
    });

  const onMessage = (worker: Worker, message: unknown): void => {
    if (!isMessage(message)) return;
    if (message.type === JOINED) {
      joined.add(worker);
      worker.once('exit', () => joined.delete(worker));
      return;
    }
    if (message.type === COLLECTED) {
      const c = collecting.get(message.id);
      if (c === undefined) return;
      if (message.error !== undefined) {
        c.done(new Error(message.error));
        return;
      }
      c.parts.push(message.metrics ?? []);
      c.waiting--;
      if (c.waiting === 0) c.done();
      return;
    }
    if (message.type === SCRAPE) {
      collect().then(
        (text) => worker.isConnected() && worker.send({ type: SCRAPED, id: message.id, text }),
        (err: unknown) => worker.isConnected() && worker.send({ type: SCRAPED, id: message.id, error: err instanceof Error ? err.message : String(err) }),
      );
    }
  };
  cluster.on('message', onMessage);
  return () => {
    cluster.off('message', onMessage);
    joined.clear();
    for (const c of [...collecting.values()]) c.done(new Error('the cluster is stopping'));
  };
}

/** A worker's side of {@link serveClusterMetrics}. */
export interface ClusterMetricsClient {
  /** The metrics of every worker, as Prometheus text. */
  scrape(): Promise<string>;
  /** Stops answering the primary and fails pending scrapes; lets the worker's IPC channel go idle. */
  close(): void;
}

/**
 * Connects a worker's registry to the primary: answers the primary's collection requests with this
 * worker's metrics, and scrapes the whole cluster through the primary.
 */
export function connectClusterMetrics(registry: Registry, timeoutMs = 10_000): ClusterMetricsClient {
  let next = 0;
  const pending = new Map<number, { readonly resolve: (text: string) => void; readonly reject: (err: Error) => void; readonly timer: NodeJS.Timeout }>();
  const send = (message: Message): void => {
    if (process.connected) process.send?.(message);
  };
  // The listener keeps the IPC channel referenced; `close` removes it so a drained worker can exit.
  const onMessage = (message: unknown): void => {
    if (!isMessage(message)) return;
    if (message.type === COLLECT) {
      registry.getMetricsAsJSON().then(
        (metrics) => send({ type: COLLECTED, id: message.id, metrics }),
        (err: unknown) => send({ type: COLLECTED, id: message.id, error: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    if (message.type === SCRAPED) {
      const p = pending.get(message.id);
      if (p === undefined) return;
      pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.error !== undefined || message.text === undefined) p.reject(new Error(message.error ?? 'the primary sent no metrics'));
      else p.resolve(message.text);
    }
  };
  process.on('message', onMessage);
  send({ type: JOINED, id: 0 });
  return {
    scrape: () =>
      new Promise((resolve, reject) => {
        if (!process.connected) {
          reject(new Error('not connected to the cluster primary'));
          return;
        }
        const id = next++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the cluster primary did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        send({ type: SCRAPE, id });
      }),
    close() {
      process.off('message', onMessage);
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        pending.delete(id);
        p.reject(new Error('metrics client closed'));
      }
    },
  };
}
