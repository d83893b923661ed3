/**
 * Shared by the start-up benches (`cold-start.ts`, `worker-replacement.ts`): an open-loop load
 * against one gateway URL, and its latencies grouped by when each request was due.
 */
import { Pool } from 'undici';

/** Options of {@link openLoopLatencies}. */
export interface OpenLoopOptions {
  /** Requests per second; request i is due at start + i / rate. */
  readonly rate: number;
  readonly requests: number;
  readonly model: string;
  /** Sent with every request besides `content-type`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The client closes a connection after this many requests (default: never). */
  readonly requestsPerConnection?: number;
  /** Called on every tick of the sender with the time since the start, in ms. */
  readonly onTick?: (elapsedMs: number) => void;
}

/** Latency by request index (ms, from the due time, not the send); NaN where the request failed or did not answer 200. */
export async function openLoopLatencies(url: string, options: OpenLoopOptions): Promise<Float64Array> {
  const { rate, requests: n, model } = options;
  // Timeouts: a request that never settles would hang the run; it counts as failed instead.
  const pool = new Pool(url, {
    connections: 1024,
    keepAliveTimeout: 30_000,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
    ...(options.requestsPerConnection === undefined ? {} : { maxRequestsPerClient: options.requestsPerConnection }),
  });
  const latencies = new Float64Array(n);
  const t0 = performance.now() + 10;
  let settled = 0;
  await new Promise<void>((done) => {
    let i = 0;
    const fire = (): void => {
      const now = performance.now();
      options.onTick?.(now - t0);
      while (i < n && t0 + (i * 1000) / rate <= now) {
        const k = i++;
        const due = t0 + (k * 1000) / rate;
        const body = JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: `Request ${k}: explain one step of photosynthesis.` }] });
        pool
          .request({ path: '/v1/chat/completions', method: 'POST', headers: { ...options.headers, 'content-type': 'application/json' }, body })
          .then(async (r) => {
            await r.body.dump();
            latencies[k] = r.statusCode === 200 ? performance.now() - due : NaN;
          })
          .catch(() => {
            latencies[k] = NaN;
          })
          .finally(() => {
            if (++settled === n) done();
          });
      }
      if (i < n) setTimeout(fire, 1);
    };
    fire();
  });
  await pool.close();
  return latencies;
}

/** Latency percentiles of the requests due in one window. */
export interface LatencyWindow {
  /** Start of the window in ms, from the request at `zeroIndex` (negative: before it). */
  readonly from_ms: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Groups latencies by due time into windows of `windowMs`, from request `fromIndex` on; failed requests (NaN) are left out. */
export function latencyWindows(latencies: Float64Array, rate: number, windowMs: number, fromIndex = 0, zeroIndex = 0): LatencyWindow[] {
  const per = Math.max(1, Math.round((rate * windowMs) / 1000));
  const out: LatencyWindow[] = [];
  for (let start = Math.max(0, fromIndex); start < latencies.length; start += per) {
    const s = latencies.slice(start, start + per).filter((x) => !Number.isNaN(x)).sort();
    if (s.length === 0) continue;
    const at = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
    out.push({ from_ms: ((start - zeroIndex) * 1000) / rate, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] as number });
  }
  return out;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Field-wise medians of several runs' windows, on the first run's windows. */
export function medianWindows(runs: ReadonlyArray<readonly LatencyWindow[]>): LatencyWindow[] {
  const round2 = (x: number): number => Math.round(x * 100) / 100;
  return (runs[0] ?? []).map((w, i) => ({
    from_ms: w.from_ms,
    p50: round2(median(runs.map((x) => x[i]?.p50 ?? NaN))),
    p99: round2(median(runs.map((x) => x[i]?.p99 ?? NaN))),
    max: round2(median(runs.map((x) => x[i]?.max ?? NaN))),
  }));
}
