/**
 * `npm run bench:gateway -- [--json] [--duration S] [--repeat N] [--targets direct,bare,heimdall,portkey] [--heimdall-node-args="..."] [--bare-node-args="..."] [--heimdall-max-in-flight N] [--heimdall-workers N] [--heimdall-config JSON] [--base-dist DIR [--base-last] [--alternate]] [--gc-stats]`
 *
 * One fake upstream with a fixed 20 ms latency; load at fixed rates of 1,000 and 3,000 requests/s
 * (open loop, evenly spaced to the tens of microseconds, see `openLoop`) and at the maximum rate (autocannon, 100 connections),
 * non-streaming and streaming, against:
 *   direct    the upstream itself (the baseline every "added" figure is measured from)
 *   bare      a pass-through proxy on undici that does no work (the floor)
 *   heimdall  `heimdall serve` (one worker, compiled JS; CPU and RSS read from the worker, the cluster
 *             primary's, which runs the store, printed apart) routing `model: "auto"`, every prompt distinct (no cache hits)
 *   portkey   the Portkey gateway (`@portkey-ai/gateway`) forwarding to the same upstream
 * Each target runs in its own process; latencies are per response, high-resolution. Each fixed-rate
 * run also prints (stderr) the target's CPU time per request, main thread and other threads, and
 * the time its main thread waited, runnable, for a CPU, read from /proc (with --gc-stats, also what
 * heimdall's young generation promoted). The last line of
 * stdout is the JSON summary; with --repeat N, each repetition's summary comes first, one line each,
 * and the last line holds their field-wise medians (errors summed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as perfConstants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { parsePrometheusText } from '../test/e2e/helpers/prometheus-text.js';
import { gcTotals } from './gc-trace.js';
import { childPids, compileHelper, firstJsonLine, freePort, onlyChild, peakRssMb, root, start, stop } from './processes.js';

/**
 * Preloaded into Portkey's process. Portkey 1.15.2 on Node answers every streaming request with a
 * 500: it appends its `x-portkey-*` headers to the Response that `fetch` returned, whose headers the
 * fetch standard makes immutable (`TypeError: immutable`; Portkey-AI/gateway#1389 and #1550, open).
 * Re-wrapping each upstream event stream in a new Response (same body stream, status and headers,
 * which are mutable) lets it stream; without it the streaming run measured 10,000 errors and no
 * latency. Other responses are passed on untouched: re-wrapping every one cost Portkey ~2% of its
 * maximum rate.
 */
const PORTKEY_FETCH_SHIM = `data:text/javascript,${encodeURIComponent(
  "const f = globalThis.fetch; globalThis.fetch = async (...a) => { const r = await f(...a); return r.headers.get('content-type')?.startsWith('text/event-stream') ? new Response(r.body, { status: r.status, statusText: r.statusText, headers: r.headers }) : r; };",
)}`;

/**
 * The open loop's pacer (a worker thread): sleeps with `Atomics.wait` to the due time of each send,
 * to the tens of microseconds, and posts how many sends are due.
 */
const TICKER = `const { parentPort, workerData } = require('node:worker_threads');
const { startAbs, intervalMs, total } = workerData;
const cell = new Int32Array(new SharedArrayBuffer(4));
for (let k = 1; k <= total; k++) {
  const due = startAbs + (k - 1) * intervalMs;
  for (;;) {
    const left = due - (performance.timeOrigin + performance.now());
    if (left <= 0) break;
    Atomics.wait(cell, 0, 0, left);
  }
  parentPort.postMessage(k);
}`;

// heimdall_base: another build of heimdall (--base-dist), for before/after comparisons in one run.
type TargetName = 'direct' | 'bare' | 'heimdall' | 'heimdall_base' | 'portkey';
interface RunResult {
  /** Only from the fixed-rate runs: how wide the distribution is (printed, not summarised). */
  readonly p10?: number;
  readonly p90?: number;
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
  readonly errors: number;
  readonly samples: number;
}
interface Added {
  readonly p50_added_ms: number;
  readonly p99_added_ms: number;
  readonly errors: number;
}
interface TargetSummary {
  max_rps: number;
  peak_rss_mb: number;
  rate_1000: Added;
  rate_3000: Added;
  stream_rate_1000: Added;
}

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    targets: { type: 'string', default: 'direct,bare,heimdall,portkey' },
    'heimdall-log-level': { type: 'string', default: 'info' },
    // Extra node flags for the heimdall process, e.g. --heimdall-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under load.
    'heimdall-node-args': { type: 'string', default: '' },
    // The same for the bare proxy, to compare where the two spend a request's CPU.
    'bare-node-args': { type: 'string', default: '' },
    // Where heimdall's stdout goes (its JSON logs, or --trace-gc lines); default /dev/null.
    'heimdall-stdout': { type: 'string' },
    // server.max_in_flight for the build under test (not the baseline): what a limit does to an overloaded worker.
    'heimdall-max-in-flight': { type: 'string' },
    // server.workers for the build under test (not the baseline); 1 by default, like the single-process
    // bare proxy and Portkey. With N > 1, CPU is summed over the workers and peak RSS is the largest worker's.
    'heimdall-workers': { type: 'string', default: '1' },
    // Config merged over the build under test's (not the baseline's), e.g. '{"decision_log":{"enabled":false}}':
    // with --base-dist dist, one build against itself under two configurations in one run.
    'heimdall-config': { type: 'string', default: '{}' },
    // The dist/ directory of another heimdall build, loaded as target heimdall_base (e.g. a git worktree of main).
    'base-dist': { type: 'string' },
    // Only some of the runs (rate_1000,rate_3000,stream_rate_1000,max), for quick experiments; skipped ones print null.
    runs: { type: 'string', default: 'rate_1000,rate_3000,stream_rate_1000,max' },
    // Run heimdall before heimdall_base (alternate between runs: the second target of a run tends to do better).
    'base-last': { type: 'boolean', default: false },
    // With --repeat: swap the two heimdall builds' order in every second repetition, so that a median
    // of an even number of repetitions has each build in each position equally often (position
    // effects come and go: in session 16 the second build lost up to 6% of its maximum rate in both
    // orders, in earlier sessions the second tended to do better).
    alternate: { type: 'boolean', default: false },
    // Diagnostic: both heimdall builds run with --trace-gc-nvp --no-allocation-site-pretenuring, and each rate run
    // prints what the young generation promoted (pretenuring off: V8 moving a site to the old generation
    // mid-run makes 'promoted' jump between runs of one build). Not for the headline figures.
    'gc-stats': { type: 'boolean', default: false },
    // Repeat the whole sequence N times: each repetition's JSON line is printed, then the medians (errors: the sum) as the last line.
    repeat: { type: 'string', default: '1' },
  },
});
const duration = Number(values.duration);
const heimdallWorkers = Number(values['heimdall-workers']);
if (!Number.isInteger(heimdallWorkers) || heimdallWorkers < 1) throw new Error(`--heimdall-workers must be a positive integer, got ${values['heimdall-workers']}`);
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got ${values.repeat}`);
const wanted = new Set(values.targets.split(',') as TargetName[]);
const runs = new Set(values.runs.split(','));
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function waitHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** CPU time (user + system) a process (all its threads) or one of its threads has used so far, in ms; NaN when unknown. */
function cpuMs(pid: number | undefined, tid?: number): number {
  if (pid === undefined) return NaN;
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const rest = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(rest[11]) + Number(rest[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Minor page faults a process (all its threads) has taken so far; NaN when unknown. */
function minorFaults(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    // minflt, the 8th field after the command name.
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[7]);
  } catch {
    return NaN;
  }
}

/**
 * Time (ms) a process's main thread has spent runnable but waiting for a CPU (the second field of
 * `/proc/<pid>/task/<pid>/schedstat`, in ns); NaN when unknown. On a machine whose cores are shared
 * with the load generator and the upstream, this is part of the latency a target adds.
 */
function mainThreadWaitMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

/** CPU ms used so far by each thread of a process (the main thread's id is the pid). */
function threadCpuMs(pid: number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (pid === undefined) return out;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(Number(tid), cpuMs(pid, Number(tid)));
  } catch {
    // process gone
  }
  return out;
}

/**
 * Runs `fn` and logs the target's CPU time per request over it, in all and on its main thread
 * (the rest is V8's GC helpers, libuv's pool, worker threads): far steadier figures than latency
 * percentiles on a shared machine.
 */
async function withCpu(target: Target, label: string, fn: () => Promise<RunResult>): Promise<RunResult> {
  const pids = servingPids(target);
  const sum = (read: (pid: number) => number): number => pids.reduce((acc, pid) => acc + read(pid), 0);
  const before = new Map(pids.flatMap((pid) => [...threadCpuMs(pid)]));
  const mainBefore = sum((pid) => cpuMs(pid, pid));
  const primaryBefore = cpuMs(target.primaryPid);
  const waitBefore = sum(mainThreadWaitMs);
  const faultsBefore = sum(minorFaults);
  const gcFrom = target.gcLines?.length ?? 0;
  const r = await fn();
  const after = new Map(pids.flatMap((pid) => [...threadCpuMs(pid)]));
  const main = sum((pid) => cpuMs(pid, pid)) - mainBefore;
  const primary = cpuMs(target.primaryPid) - primaryBefore;
  const waited = sum(mainThreadWaitMs) - waitBefore;
  const faults = sum(minorFaults) - faultsBefore;
  if (target.gcLines !== undefined) log(`${target.name} ${label}: ${youngGenerationStats(target.gcLines.slice(gcFrom))}`);
  let all = 0;
  for (const [tid, ms] of after) all += ms - (before.get(tid) ?? 0);
  const us = (ms: number): string => ((ms / r.samples) * 1000).toFixed(0);
  const wait = Number.isFinite(waited) ? `; main thread${pids.length > 1 ? 's' : ''} waited ${us(waited)} us for a CPU` : '';
  // Since session 13 the primary runs the workers' SQLite: its CPU is part of what a request costs.
  const inPrimary = Number.isFinite(primary) ? `; plus ${us(primary)} us in the cluster primary` : '';
  // Memory touched for the first time costs system time here (session 17: glibc's fixed trim threshold, 1.9 a request, no CPU difference measured).
  const faulted = Number.isFinite(faults) && r.samples > 0 ? `; ${(faults / r.samples).toFixed(2)} minor page faults a request` : '';
  const over = pids.length > 1 ? `, ${pids.length} workers together` : '';
  if (Number.isFinite(all) && r.samples > 0) log(`${target.name} ${label}: CPU ${us(all)} us per request${over} (main thread${pids.length > 1 ? 's' : ''} ${us(main)}, other threads ${us(all - main)}${wait}${inPrimary}${faulted}; ${(all / 1000).toFixed(2)} s over ${r.samples} requests)`);
  return r;
}

/** The processes serving a target's requests: heimdall's workers, or the target's one process. */
function servingPids(target: Target): readonly number[] {
  return target.workerPids ?? (target.pid === undefined ? [] : [target.pid]);
}

/**
 * What the main isolate's scavenges did, from --trace-gc-nvp lines: the share of the allocation
 * promoted to the old generation, what survived a scavenge, and the mean pause. The scavenge
 * right after a mark-compact is left out: a mark-compact promotes the whole young generation.
 */
function youngGenerationStats(lines: readonly string[]): string {
  // The SQLite writer's isolate traces too; the gateway's is the one that collects most.
  const isolates = new Map<string, string[]>();
  for (const line of lines) {
    const isolate = /^\[\d+:(0x[0-9a-f]+)\]/.exec(line)?.[1] ?? '?';
    const own = isolates.get(isolate);
    if (own === undefined) isolates.set(isolate, [line]);
    else own.push(line);
  }
  const main = [...isolates.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const { scavenges, markCompacts, promoted, allocated, survived, pause } = gcTotals(main, { skipAfterMarkCompact: true });
  if (scavenges === 0) return 'no scavenges traced';
  return `young generation: ${scavenges} scavenges (mean pause ${(pause / scavenges).toFixed(2)} ms), ${((100 * promoted) / allocated).toFixed(1)}% of the allocation promoted, ${(survived / scavenges / 1e6).toFixed(2)} MB survived a scavenge on average, ${markCompacts} mark-compacts`;
}

interface Target {
  readonly name: TargetName;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly model: string;
  /** The process serving the requests (for heimdall, its worker): CPU and peak RSS are read from it. */
  readonly pid: number | undefined;
  /** With --heimdall-workers N > 1: every worker (`pid` is the first); CPU is summed over them, peak RSS is the largest. */
  readonly workerPids?: readonly number[];
  /** Heimdall's cluster primary when the gateway runs in a forked worker (reported, not summed; it runs the SQLite store since session 13). */
  readonly primaryPid?: number;
  /** With --gc-stats: the process's --trace-gc-nvp lines so far. */
  readonly gcLines?: string[];
  close(): Promise<void>;
}

let counter = 0;
const TOPICS = ['a haiku about the sea', 'the capital of Peru', 'a Python function to reverse a list', 'why the sky is blue', 'a proof that 17 is prime', 'three uses of baking soda'];

/** Closed-loop load with autocannon (`connections` requests always in flight): the maximum rate. */
async function load(target: Target, opts: { stream: boolean; seconds: number; connections: number }): Promise<RunResult> {
  const latencies: number[] = [];
  let finish!: (err: Error | null, result: autocannon.Result) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon({
    url: `${target.url}/v1/chat/completions`,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    headers: { 'content-type': 'application/json', ...target.headers },
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          counter++;
          // Distinct prompts: Heimdall's decision cache never hits, so every request pays for a full decision.
          const content = `Request ${counter}: write ${TOPICS[counter % TOPICS.length] as string}.`;
          return { ...req, body: JSON.stringify({ model: target.model, stream: opts.stream, max_tokens: 64, messages: [{ role: 'user', content }] }) };
        },
      },
    ],
  }, (err, result) => finish(err, result));
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode === 200) latencies.push(responseTime);
  });
  const result = await done;
  const pct = percentileOf(Float64Array.from(latencies).sort());
  return {
    p50: pct(50),
    p99: pct(99),
    rps: result.requests.average,
    errors: result.errors + result.timeouts + result.non2xx,
    samples: latencies.length,
  };
}

// `gc()` without starting node with --expose-gc (the flag would reach the targets through NODE_OPTIONS).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function gcKind(entry: PerformanceEntry): number | undefined {
  return (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
}

/**
 * Open-loop load at a fixed rate: request i is due at start + i/rate and is sent then, whatever
 * happened to earlier ones; latency is measured from the due time, so queueing anywhere counts
 * (no coordinated omission). autocannon's `overallRate` paces each connection with its own timer,
 * which on a shared start sends the connections' requests in synchronized bursts; that measures
 * burst queueing, not added latency at a steady rate, so fixed-rate runs use this generator.
 */
async function openLoop(target: Target, opts: { rate: number; stream: boolean; seconds: number }): Promise<RunResult> {
  const pool = new Pool(target.url, { connections: 1024, keepAliveTimeout: 30_000 });
  const total = Math.round(opts.rate * opts.seconds);
  // Preallocated, and no promise kept per request: the generator's own heap stays small, since its
  // GC pauses delay the responses it times (reported below, per run).
  const latencies = new Float64Array(total);
  let samples = 0;
  let errors = 0;
  let sent = 0;
  let settled = 0;
  let allSettled!: () => void;
  const done = new Promise<void>((resolve) => (allSettled = resolve));
  // A full collection now, outside the measured window: the generator's old generation holds what
  // the earlier targets' runs left, and a mark-compact of it during this run stalled every response
  // in flight (up to 8.7 ms, in heimdall's runs, which come third).
  collectGarbage();
  const gcPauses: number[] = [];
  let gcMajor = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcPauses.push(e.duration);
      if (gcKind(e) === perfConstants.NODE_PERFORMANCE_GC_MAJOR) gcMajor++;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const start = performance.now();
  const fire = (due: number): void => {
    counter++;
    const content = `Request ${counter}: write ${TOPICS[counter % TOPICS.length] as string}.`;
    void pool
      .request({
        path: '/v1/chat/completions',
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: JSON.stringify({ model: target.model, stream: opts.stream, max_tokens: 64, messages: [{ role: 'user', content }] }),
      })
      .then(async (res) => {
        await res.body.dump({ limit: Number.MAX_SAFE_INTEGER });
        if (res.statusCode === 200) latencies[samples++] = performance.now() - due;
        else errors++;
      })
      .catch(() => {
        errors++;
      })
      .finally(() => {
        if (++settled === total) allSettled();
      });
  };
  // Sends are paced by a thread that sleeps to each one's due time: a `setTimeout` tick fires on
  // whole milliseconds of the clock the upstream's timer uses too (see gateway-upstream.ts).
  const ticker = new Worker(TICKER, { eval: true, workerData: { startAbs: performance.timeOrigin + start, intervalMs: 1000 / opts.rate, total } });
  await new Promise<void>((resolve, reject) => {
    if (total === 0) resolve();
    ticker.once('error', reject);
    ticker.once('exit', () => (sent >= total ? resolve() : reject(new Error(`the pacing thread stopped after ${sent} of ${total} sends`))));
    ticker.on('message', (due: number) => {
      for (; sent < due; sent++) fire(start + (sent * 1000) / opts.rate);
      if (sent >= total) resolve();
    });
  });
  await ticker.terminate();
  if (total > 0) await done;
  gcObserver.disconnect();
  await pool.close();
  const gcTotal = gcPauses.reduce((x, y) => x + y, 0);
  log(`${target.name} ${opts.stream ? 'stream' : 'rate'} ${opts.rate}: load generator GC ${gcPauses.length} pauses (${gcMajor} full), ${gcTotal.toFixed(1)} ms in all, longest ${Math.max(0, ...gcPauses).toFixed(2)} ms`);
  const pct = percentileOf(latencies.subarray(0, samples).sort());
  return { p10: pct(10), p50: pct(50), p90: pct(90), p99: pct(99), rps: samples / opts.seconds, errors, samples };
}

async function startTarget(name: TargetName, upstreamUrl: string, upstreamPid: number | undefined): Promise<Target> {
  if (name === 'direct') return { name, url: upstreamUrl, headers: { authorization: 'Bearer sk-bench' }, model: 'gpt-4o-mini', pid: upstreamPid, close: async () => {} };
  if (name === 'bare') {
    const child = start(process.execPath, [...values['bare-node-args'].split(' ').filter((a) => a !== ''), compileHelper('gateway-bare-proxy')], { UPSTREAM_URL: upstreamUrl });
    const { port } = await firstJsonLine(child);
    return { name, url: `http://127.0.0.1:${port}`, headers: { authorization: 'Bearer sk-bench' }, model: 'gpt-4o-mini', pid: child.pid, close: () => stop(child) };
  }
  if (name === 'heimdall' || name === 'heimdall_base') {
    const dist = name === 'heimdall' ? join(root, 'dist') : values['base-dist'];
    if (dist === undefined) throw new Error('heimdall_base needs --base-dist DIR');
    const port = await freePort();
    const artifact = existsSync(join(root, 'artifacts', 'default.json')) ? undefined : trainFallbackArtifact();
    const db = join(tmpdir(), `heimdall-bench-${process.pid}-${name}.db`);
    const config = {
      server: { host: '127.0.0.1', port, workers: name === 'heimdall' ? heimdallWorkers : 1, ...(name === 'heimdall' && values['heimdall-max-in-flight'] !== undefined ? { max_in_flight: Number(values['heimdall-max-in-flight']) } : {}) },
      ...(artifact === undefined ? {} : { artifact: { path: artifact }, models: { 'tiny-small': { provider: 'openrouter', model: 'qwen/qwen-2.5-7b-instruct' }, 'tiny-medium': { provider: 'openrouter', model: 'meta-llama/llama-3.1-8b-instruct' }, 'tiny-large': { provider: 'openrouter', model: 'nvidia/llama-3.1-nemotron-70b-instruct' } } }),
      providers: { openrouter: { api_key: 'sk-or-v1-bench-key', base_url: `${upstreamUrl}/v1` } },
      logging: { level: values['heimdall-log-level'] },
      // A fresh decision store per run: an ever-growing .heimdall/heimdall.db from earlier runs would make its inserts slower run after run.
      storage: { url: `sqlite:${db}` },
    };
    const file = join(tmpdir(), `heimdall-bench-${process.pid}-${name}.json`);
    writeFileSync(file, JSON.stringify(name === 'heimdall' ? mergeConfig(config, JSON.parse(values['heimdall-config']) as unknown) : config));
    // The extra node flags go to the build under test only, never to the baseline build.
    const nodeArgs = name === 'heimdall' ? values['heimdall-node-args'].split(' ').filter((a) => a !== '') : [];
    const gcStats = values['gc-stats'];
    const child = spawn(process.execPath, [...(gcStats ? ['--trace-gc-nvp', '--no-allocation-site-pretenuring'] : []), ...nodeArgs, join(dist, 'cli', 'main.js'), 'serve', '--config', file], {
      cwd: root,
      env: { ...process.env, PORT: '' },
      stdio: ['ignore', gcStats ? 'pipe' : values['heimdall-stdout'] === undefined ? 'ignore' : openSync(values['heimdall-stdout'], 'w'), 'inherit'],
    });
    const gcLines: string[] = [];
    if (gcStats) createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes(' gc=')) gcLines.push(line);
    });
    const url = `http://127.0.0.1:${port}`;
    await waitHttp(`${url}/health`);
    for (;;) {
      const r = await fetch(`${url}/ready`);
      if (r.status === 200) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const close = async (): Promise<void> => {
      await stop(child);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    };
    // `heimdall serve` runs the gateway in workers forked with its heap flags (server.heap); older builds serve in-process.
    const workers = name === 'heimdall' ? heimdallWorkers : 1;
    if (workers > 1) {
      // /ready answered by one worker says nothing of the others: wait until every worker's gateway is
      // built (it has joined the cluster's /metrics); the warm-up load before the runs reaches them all.
      for (let tries = 0; ; tries++) {
        const scrape = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
        const up = new Set(scrape.samples.filter((x) => x.name === 'heimdall_event_loop_lag_seconds').map((x) => x.labels['worker']));
        if (up.size >= workers && childPids(child.pid).length >= workers) break;
        if (tries > 600) throw new Error(`${name}: ${workers} workers did not all start`);
        await new Promise((res) => setTimeout(res, 100));
      }
      const pids = childPids(child.pid);
      return { name, url, headers: {}, model: 'auto', pid: pids[0], workerPids: pids, ...(child.pid === undefined ? {} : { primaryPid: child.pid }), ...(gcStats ? { gcLines } : {}), close };
    }
    const worker = onlyChild(child.pid);
    return { name, url, headers: {}, model: 'auto', pid: worker ?? child.pid, ...(worker === undefined || child.pid === undefined ? {} : { primaryPid: child.pid }), ...(gcStats ? { gcLines } : {}), close };
  }
  const port = await freePort();
  const child = start(
    process.execPath,
    ['--import', PORTKEY_FETCH_SHIM, join(root, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js'), `--port=${port}`, '--headless'],
    { NODE_ENV: 'production' },
  );
  child.stdout?.resume();
  child.stderr?.resume();
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/`);
  return {
    name,
    url,
    headers: { authorization: 'Bearer sk-bench', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl}/v1` },
    model: 'gpt-4o-mini',
    pid: child.pid,
    close: () => stop(child),
  };
}

/** `over` merged into `base`, objects key by key, anything else replaced. */
function mergeConfig(base: unknown, over: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = key in base ? mergeConfig(base[key], value) : value;
  return out;
}

/** Without the bundled artifact (not trained yet), a small one is trained from the public data for the run. */
function trainFallbackArtifact(): string {
  const out = join(tmpdir(), `heimdall-bench-artifact-${process.pid}.json`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('${join(root, 'test/e2e/helpers/tiny-artifact.ts')}').then(m => process.stdout.write(m.writeTinyArtifact()))`], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`training the fallback artifact failed: ${r.stderr}`);
  writeFileSync(out, readFileSync(r.stdout.trim()));
  log(`(artifacts/default.json not found: using a small artifact trained for this run)`);
  return out;
}

async function main(): Promise<void> {
  if (wanted.has('heimdall')) {
    log('building dist/ (tsc -p tsconfig.build.json)');
    spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('build produced no dist/cli/main.js');
  }
  const all: Partial<Record<TargetName, TargetSummary>>[] = [];
  for (let i = 1; i <= repeat; i++) {
    const baseLast = values['base-last'] !== (values.alternate && i % 2 === 0);
    if (repeat > 1) log(`--- repetition ${i} of ${repeat}${values.alternate ? (baseLast ? ' (heimdall before heimdall_base)' : ' (heimdall_base before heimdall)') : ''}`);
    const targets = await measure(baseLast);
    all.push(targets);
    if (repeat > 1) process.stdout.write(`${JSON.stringify({ targets })}\n`);
  }
  const targets = repeat === 1 ? (all[0] ?? {}) : medians(all);
  if (!values.json) {
    log('');
    if (repeat > 1) log(`medians of ${repeat} repetitions (errors: their sum)`);
    log('target     max_rps  rss_mb  r1000 p50+/p99+   r3000 p50+/p99+   stream1000 p50+/p99+  errors');
    for (const [name, t] of Object.entries(targets)) {
      const f = (a: Added): string => `${a.p50_added_ms.toFixed(3)}/${a.p99_added_ms.toFixed(3)}`.padEnd(18);
      log(`${name.padEnd(10)} ${String(t.max_rps).padStart(7)}  ${String(t.peak_rss_mb).padStart(6)}  ${f(t.rate_1000)}${f(t.rate_3000)}${f(t.stream_rate_1000)}  ${t.rate_1000.errors + t.rate_3000.errors + t.stream_rate_1000.errors}`);
    }
  }
  process.stdout.write(`${JSON.stringify({ targets })}\n`);
}

/** Field-wise medians over repetitions (of the finite values; null when none), errors summed. */
function medians(all: readonly Partial<Record<TargetName, TargetSummary>>[]): Partial<Record<TargetName, TargetSummary>> {
  const median = (xs: readonly number[]): number => {
    const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    if (v.length === 0) return NaN;
    const m = Math.floor(v.length / 2);
    return v.length % 2 === 1 ? (v[m] as number) : round(((v[m - 1] as number) + (v[m] as number)) / 2);
  };
  const out: Partial<Record<TargetName, TargetSummary>> = {};
  const names = [...new Set(all.flatMap((t) => Object.keys(t) as TargetName[]))];
  for (const name of names) {
    const runsOf = all.map((t) => t[name]).filter((t): t is TargetSummary => t !== undefined);
    const added = (key: 'rate_1000' | 'rate_3000' | 'stream_rate_1000'): Added => ({
      p50_added_ms: median(runsOf.map((t) => t[key].p50_added_ms)),
      p99_added_ms: median(runsOf.map((t) => t[key].p99_added_ms)),
      errors: runsOf.reduce((n, t) => n + t[key].errors, 0),
    });
    out[name] = {
      max_rps: median(runsOf.map((t) => t.max_rps)),
      peak_rss_mb: median(runsOf.map((t) => t.peak_rss_mb)),
      rate_1000: added('rate_1000'),
      rate_3000: added('rate_3000'),
      stream_rate_1000: added('stream_rate_1000'),
    };
  }
  return out;
}

/** One pass over every wanted target, each against the same upstream; the summary of the issue's shape. */
async function measure(baseLast: boolean): Promise<Partial<Record<TargetName, TargetSummary>>> {
  const upstream = start(process.execPath, [compileHelper('gateway-upstream')], { UPSTREAM_LATENCY_MS: '20' });
  const { port: upstreamPort } = await firstJsonLine(upstream);
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  log(`upstream on ${upstreamUrl} (20 ms fixed latency); ${duration} s per run; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const raw: Partial<Record<TargetName, { max: RunResult; r1000: RunResult; r3000: RunResult; s1000: RunResult; rss: number }>> = {};
  const sequence: readonly TargetName[] = baseLast ? ['direct', 'bare', 'heimdall', 'heimdall_base', 'portkey'] : ['direct', 'bare', 'heimdall_base', 'heimdall', 'portkey'];
  const order: TargetName[] = sequence.filter((t) => wanted.has(t));
  for (const name of order) {
    let target: Target;
    try {
      target = await startTarget(name, upstreamUrl, upstream.pid);
    } catch (err) {
      log(`${name}: could not start (${(err as Error).message}); skipped`);
      continue;
    }
    try {
      await load(target, { stream: false, seconds: 3, connections: 50 }); // warm-up (JIT, pools)
      const skipped: RunResult = { p50: NaN, p99: NaN, rps: NaN, errors: 0, samples: 0 };
      const r1000 = runs.has('rate_1000') ? await withCpu(target, 'rate 1000', () => openLoop(target, { rate: 1000, stream: false, seconds: duration })) : skipped;
      log(`${name} rate 1000: p10 ${r1000.p10?.toFixed(3)} ms, p50 ${r1000.p50.toFixed(3)} ms, p90 ${r1000.p90?.toFixed(3)} ms, p99 ${r1000.p99.toFixed(3)} ms, ${r1000.errors} errors`);
      const r3000 = runs.has('rate_3000') ? await openLoop(target, { rate: 3000, stream: false, seconds: duration }) : skipped;
      log(`${name} rate 3000: p50 ${r3000.p50.toFixed(3)} ms, p99 ${r3000.p99.toFixed(3)} ms, ${r3000.errors} errors, ${r3000.rps.toFixed(0)} req/s`);
      const s1000 = runs.has('stream_rate_1000') ? await withCpu(target, 'stream 1000', () => openLoop(target, { rate: 1000, stream: true, seconds: duration })) : skipped;
      log(`${name} stream 1000: p10 ${s1000.p10?.toFixed(3)} ms, p50 ${s1000.p50.toFixed(3)} ms, p90 ${s1000.p90?.toFixed(3)} ms, p99 ${s1000.p99.toFixed(3)} ms, ${s1000.errors} errors`);
      const max = runs.has('max') ? await load(target, { stream: false, seconds: duration, connections: 100 }) : skipped;
      log(`${name} max: ${max.rps.toFixed(0)} req/s (p50 ${max.p50.toFixed(2)} ms), ${max.errors} errors`);
      const rssByWorker = servingPids(target).map(peakRssMb);
      raw[name] = { max, r1000, r3000, s1000, rss: rssByWorker.length === 0 ? NaN : Math.max(...rssByWorker) };
      if (target.primaryPid !== undefined) log(`${name}: worker peak RSS ${rssByWorker.join(' / ')} MB; its cluster primary (one per gateway; it runs the SQLite store since session 13) ${peakRssMb(target.primaryPid)} MB`);
      if (name === 'heimdall' || name === 'heimdall_base') {
        // One scrape: the event-loop lag gauge covers the time since the previous scrape (here: all runs).
        const text = await (await fetch(`${target.url}/metrics`)).text();
        log(`${name} self-measured overhead (total minus upstream wait, all runs): ${selfOverhead(text)}`);
        log(`${name} memory at the end: ${memoryBreakdown(text, servingPids(target).length)}`);
        log(`${name} event loop over all runs: ${loopAndGc(text)}`);
        log(`${name} decision log over all runs: ${decisionLogCounts(text)}`);
      }
    } finally {
      await target.close();
    }
  }
  await stop(upstream);
  log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const base = raw.direct;
  const added = (r: RunResult, b: RunResult | undefined): Added => ({
    p50_added_ms: b === undefined ? NaN : round(r.p50 - b.p50),
    p99_added_ms: b === undefined ? NaN : round(r.p99 - b.p99),
    errors: r.errors,
  });
  const targets: Partial<Record<TargetName, TargetSummary>> = {};
  for (const name of order) {
    const r = raw[name];
    if (r === undefined) continue;
    targets[name] = {
      max_rps: Math.round(r.max.rps),
      peak_rss_mb: r.rss,
      rate_1000: added(r.r1000, base?.r1000),
      rate_3000: added(r.r3000, base?.r3000),
      stream_rate_1000: added(r.s1000, base?.s1000),
    };
  }
  return targets;
}

/** Heimdall's own view from /metrics: mean and bucket quantiles of `heimdall_gateway_overhead_seconds`. */
function selfOverhead(text: string): string {
  const scrape = parsePrometheusText(text);
  const route = { route: 'chat_completions' };
  const sum = scrape.sum('heimdall_gateway_overhead_seconds_sum', route);
  const count = scrape.sum('heimdall_gateway_overhead_seconds_count', route);
  const buckets = scrape.samples
    .filter((s) => s.name === 'heimdall_gateway_overhead_seconds_bucket' && s.labels['route'] === route.route)
    .map((b) => ({ le: Number(b.labels['le']), n: b.value }));
  const q = (p: number): string => {
    const b = buckets.find((x) => x.n >= p * count);
    return b === undefined ? '?' : Number.isFinite(b.le) ? `<= ${(b.le * 1000).toFixed(2)} ms` : '> 100 ms';
  };
  return `mean ${((sum / count) * 1000).toFixed(3)} ms over ${count} requests, p50 ${q(0.5)}, p99 ${q(0.99)}`;
}

/** Where the target's memory is at the end of its runs, from its own /metrics (prom-client default metrics). */
function memoryBreakdown(text: string, workers: number): string {
  const scrape = parsePrometheusText(text);
  const mb = (name: string): string => (scrape.has(`heimdall_${name}`) ? `${(scrape.sum(`heimdall_${name}`) / 1e6).toFixed(0)} MB` : '?');
  return `rss ${mb('process_resident_memory_bytes')}${workers > 1 ? ` (${workers} workers together)` : ''}, V8 heap committed ${mb('nodejs_heap_size_total_bytes')} (used ${mb('nodejs_heap_size_used_bytes')}), external ${mb('nodejs_external_memory_bytes')}`;
}

/** What the decision log wrote and dropped (a full queue: the store fell behind) by the end of the runs. */
function decisionLogCounts(text: string): string {
  const scrape = parsePrometheusText(text);
  const n = (name: string): string => (scrape.has(`heimdall_decision_log_${name}`) ? String(scrape.sum(`heimdall_decision_log_${name}`)) : '?');
  return `${n('written_total')} written, ${n('dropped_total')} dropped, ${n('queued')} still queued`;
}

/** Event-loop delay quantiles and GC pauses by kind, from the target's /metrics (the worst worker's lag; GC per worker). */
function loopAndGc(text: string): string {
  const scrape = parsePrometheusText(text);
  // Several workers: each has its own series (labelled `worker`); the lag is the worst worker's.
  const lags = (quantile: string): number[] => scrape.samples.filter((s) => s.name === 'heimdall_event_loop_lag_seconds' && s.labels['quantile'] === quantile).map((s) => s.value);
  const lag = (quantile: string): string => (lags(quantile).length > 0 ? `${(Math.max(...lags(quantile)) * 1000).toFixed(1)} ms` : '?');
  const gc = scrape.samples
    .filter((s) => s.name === 'heimdall_gc_pause_seconds_count')
    .map(({ labels, value: n }) => {
      const kind = labels['kind'] ?? '?';
      const of = labels['worker'] === undefined ? { kind } : { kind, worker: labels['worker'] };
      return `${labels['worker'] === undefined ? '' : `worker ${labels['worker']} `}${kind} ${n} pauses, mean ${((scrape.sum('heimdall_gc_pause_seconds_sum', of) / n) * 1000).toFixed(2)} ms`;
    });
  return `lag p50 ${lag('0.5')}, p99 ${lag('0.99')}, max ${lag('1')}; GC: ${gc.join('; ')}`;
}

/** The p-th percentile (nearest rank below) of ascending values; NaN when there are none. */
function percentileOf(sorted: Float64Array): (p: number) => number {
  return (p) => (sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
