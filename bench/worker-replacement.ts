/**
 * `npx tsx bench/worker-replacement.ts [--json] [--dists DIR,DIR] [--rounds N] [--rate R] [--seconds S] [--kill-at S] [--window MS] [--requests-per-connection N]`
 *
 * What a worker's death costs the requests around it. One fake upstream (20 ms, the gateway
 * bench's); for each round and each build in `--dists` (alternating, so both meet the same
 * machine), a fresh `heimdall serve --workers 2` (compiled JS, a fresh SQLite store) is started and
 * waited on until both workers have logged "warm-up done; ready"; then an open-loop load of R
 * requests/s (distinct prompts, `model: "auto"`) runs for S seconds, and at `--kill-at` seconds
 * worker 1 is SIGKILLed, so that the cluster primary replaces it. The client closes each connection
 * after `--requests-per-connection` requests, as a fleet of clients and load balancers keeps opening
 * new ones; the primary deals every new connection to a worker that listens. Latency is what the
 * client saw, grouped by when each request was due into windows of MS ms from the kill. Prints per
 * build the medians over rounds of each window's p50 / p99 / max, the requests that failed (those in
 * flight on the killed worker), and the time from the kill to the replacement's "warm-up done;
 * ready"; the last line of stdout is JSON.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { latencyWindows, median, medianWindows, openLoopLatencies, type LatencyWindow } from './open-loop-latencies.js';
import { compileHelper, firstJsonLine, freePort, root, start, stop } from './processes.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    dists: { type: 'string', default: 'dist' },
    rounds: { type: 'string', default: '3' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '6' },
    'kill-at': { type: 'string', default: '2' },
    window: { type: 'string', default: '250' },
    'requests-per-connection': { type: 'string', default: '20' },
  },
});
const dists = values.dists.split(',').map((d) => resolve(root, d));
const rounds = Number(values.rounds);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const killAt = Number(values['kill-at']);
const windowMs = Number(values.window);
const perConnection = Number(values['requests-per-connection']);
for (const [name, v] of Object.entries({ rounds, rate, seconds, 'kill-at': killAt, window: windowMs, 'requests-per-connection': perConnection })) {
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
}
if (killAt >= seconds) throw new Error('--kill-at must come before the end of the load (--seconds)');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface LogLine {
  readonly msg?: string;
  readonly worker?: string;
  readonly pid?: number;
}

/** A running `heimdall serve --workers 2` and what it has logged so far. */
interface Gateway {
  readonly url: string;
  readonly child: ChildProcess;
  readonly lines: Array<LogLine & { readonly at: number }>;
  until(done: () => boolean, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

async function startGateway(dist: string, upstreamUrl: string): Promise<Gateway> {
  const port = await freePort();
  const db = join(tmpdir(), `heimdall-replace-${process.pid}-${port}.db`);
  const file = join(tmpdir(), `heimdall-replace-${process.pid}-${port}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      server: { host: '127.0.0.1', port, workers: 2 },
      providers: { openrouter: { api_key: 'sk-or-v1-bench-key', base_url: `${upstreamUrl}/v1` } },
      logging: { level: 'info' },
      storage: { url: `sqlite:${db}` },
    }),
  );
  const child = spawn(process.execPath, [join(dist, 'cli', 'main.js'), 'serve', '--config', file], { cwd: root, env: { ...process.env, PORT: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Gateway['lines'] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    // Only the start-up and lifecycle lines matter here; access log lines are dropped unparsed.
    if (!line.includes('"msg":"request"')) {
      try {
        lines.push({ ...(JSON.parse(line) as LogLine), at: performance.now() });
      } catch {
        // not a log line
      }
    }
    for (const w of waiters.splice(0)) w();
  });
  const until = async (done: () => boolean, timeoutMs: number): Promise<void> => {
    const deadline = performance.now() + timeoutMs;
    while (!done()) {
      if (child.exitCode !== null) throw new Error(`heimdall exited (${child.exitCode})`);
      if (performance.now() > deadline) throw new Error('timed out waiting on the gateway');
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  const close = async (): Promise<void> => {
    await stop(child);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    rmSync(file, { force: true });
  };
  return { url: `http://127.0.0.1:${port}`, child, lines, until, close };
}

interface Run {
  readonly failed: number;
  /** From the kill to the replacement's "warm-up done; ready". */
  readonly replacedMs: number;
  readonly windows: LatencyWindow[];
}

/** From two windows before the kill on, with times counted from the kill. */
function windows(latencies: Float64Array): LatencyWindow[] {
  const killIndex = Math.round(killAt * rate);
  return latencyWindows(latencies, rate, windowMs, killIndex - 2 * Math.round((rate * windowMs) / 1000), killIndex);
}

async function replacementRun(dist: string, upstreamUrl: string): Promise<Run> {
  const gw = await startGateway(dist, upstreamUrl);
  try {
    const readyLines = (): LogLine[] => gw.lines.filter((l) => l.msg === 'warm-up done; ready');
    await gw.until(() => readyLines().length >= 2 && gw.lines.filter((l) => l.msg === 'listening').length >= 2, 60_000);
    // Both workers warm and listening: a short load so the client's pool and both workers' connections exist.
    await openLoopLatencies(gw.url, { rate, requests: Math.round(rate), model: 'auto', requestsPerConnection: perConnection });
    const victim = gw.lines.find((l) => l.msg === 'listening' && l.worker === '1')?.pid;
    if (victim === undefined) throw new Error('no pid logged for worker 1');
    let killedAt = NaN;
    const latencies = await openLoopLatencies(gw.url, {
      rate,
      requests: Math.round(rate * seconds),
      model: 'auto',
      requestsPerConnection: perConnection,
      onTick: (elapsed) => {
        if (Number.isNaN(killedAt) && elapsed >= killAt * 1000) {
          killedAt = performance.now();
          process.kill(victim, 'SIGKILL');
        }
      },
    });
    await gw.until(() => readyLines().length >= 3, 30_000);
    const replaced = gw.lines.filter((l) => l.msg === 'warm-up done; ready' && l.worker === '1').at(-1) as LogLine & { at: number };
    let failed = 0;
    for (const x of latencies) if (Number.isNaN(x)) failed++;
    return { failed, replacedMs: replaced.at - killedAt, windows: windows(latencies) };
  } finally {
    await gw.close();
  }
}

async function main(): Promise<void> {
  const upstream = start(process.execPath, [compileHelper('gateway-upstream')], {});
  upstream.stderr?.resume();
  const { port } = await firstJsonLine(upstream);
  const upstreamUrl = `http://127.0.0.1:${port}`;
  try {
    const results = new Map<string, Run[]>(dists.map((d) => [d, []]));
    for (let r = 0; r < rounds; r++) {
      // Alternate the order: the second build of a round meets a machine the first has warmed.
      for (const dist of r % 2 === 0 ? dists : [...dists].reverse()) {
        const run = await replacementRun(dist, upstreamUrl);
        results.get(dist)?.push(run);
        log(`round ${r + 1} ${dist}: ${run.failed} failed; replacement ready ${run.replacedMs.toFixed(0)} ms after the kill; ${run.windows.map((w) => `${w.from_ms}ms p50 ${w.p50.toFixed(1)} p99 ${w.p99.toFixed(1)} max ${w.max.toFixed(1)}`).join(' | ')}`);
      }
    }
    const summary: Record<string, { failed: number[]; replaced_ms: number; windows: LatencyWindow[] }> = {};
    for (const [dist, runs] of results) {
      summary[dist] = { failed: runs.map((x) => x.failed), replaced_ms: Math.round(median(runs.map((x) => x.replacedMs))), windows: medianWindows(runs.map((x) => x.windows)) };
    }
    log(`medians over ${rounds} rounds (latency seen by the client, ms, by when the request was due relative to the kill; the upstream alone answers in ~21 ms):`);
    for (const [dist, s] of Object.entries(summary)) {
      log(`${dist}: failed ${s.failed.join('/')}; replacement ready after ${s.replaced_ms} ms`);
      log(`  ${s.windows.map((w) => `${w.from_ms}ms ${w.p50}/${w.p99}/${w.max}`).join('  ')}`);
    }
    const out = JSON.stringify({ rate, window_ms: windowMs, kill_at_s: killAt, requests_per_connection: perConnection, rounds, builds: summary });
    if (values.json) process.stdout.write(`${out}\n`);
    else log(out);
  } finally {
    await stop(upstream);
  }
}

await main();
