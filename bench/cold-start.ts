/**
 * `npx tsx bench/cold-start.ts [--json] [--rounds N] [--rate R] [--seconds S] [--window MS] [--warmups 0,600]`
 *
 * What the first requests after `/ready` cost. One fake upstream (20 ms, the gateway bench's),
 * warmed with 2,000 requests first so its own start-up is not counted; then, for each round and
 * each `server.warmup_requests` value in `--warmups` (alternating, so both meet the same machine),
 * a fresh `heimdall serve` (one worker, compiled JS, a fresh SQLite store) is started, and as soon
 * as `/ready` answers 200 an open-loop load of R requests/s (distinct prompts, `model: "auto"`)
 * runs for S seconds. Latency is what the client saw, grouped by when each request was due into
 * windows of MS ms. Prints per setting the medians over rounds of each window's p50 / p99 / max and
 * of the time from spawn to ready; the last line of stdout is JSON.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { latencyWindows, median, medianWindows, openLoopLatencies, type LatencyWindow } from './open-loop-latencies.js';
import { compileHelper, firstJsonLine, freePort, root, start, stop } from './processes.js';
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '1.5' },
    window: { type: 'string', default: '250' },
    warmups: { type: 'string', default: '0,600' },
  },
});
const rounds = Number(values.rounds);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const windowMs = Number(values.window);
const warmups = values.warmups.split(',').map(Number);
for (const [name, v] of Object.entries({ rounds, rate, seconds, window: windowMs })) if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
if (warmups.some((w) => !Number.isInteger(w) || w < 0)) throw new Error('--warmups must be non-negative integers, comma-separated');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The gateway bench's upstream. */
async function startUpstream(): Promise<{ url: string; child: ChildProcess }> {
  const child = start(process.execPath, [compileHelper('gateway-upstream')], {});
  child.stderr?.resume();
  const { port } = await firstJsonLine(child);
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Open loop against `url`; every request must answer 200. */
async function openLoop(url: string, model: string, n: number): Promise<Float64Array> {
  const latencies = await openLoopLatencies(url, { rate, requests: n, model, headers: { authorization: 'Bearer sk-bench' } });
  let failed = 0;
  for (const x of latencies) if (Number.isNaN(x)) failed++;
  if (failed > 0) throw new Error(`${failed} of ${n} requests failed`);
  return latencies;
}

async function coldRun(upstreamUrl: string, warmupRequests: number): Promise<{ readyMs: number; windows: LatencyWindow[] }> {
  const port = await freePort();
  const db = join(tmpdir(), `heimdall-cold-${process.pid}-${port}.db`);
  const file = join(tmpdir(), `heimdall-cold-${process.pid}-${port}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      server: { host: '127.0.0.1', port, workers: 1, warmup_requests: warmupRequests },
      providers: { openrouter: { api_key: 'sk-or-v1-bench-key', base_url: `${upstreamUrl}/v1` } },
      storage: { url: `sqlite:${db}` },
    }),
  );
  const spawned = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'serve', '--config', file], { cwd: root, env: { ...process.env, PORT: '' }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      const status = await fetch(`${url}/ready`).then(
        async (r) => (await r.arrayBuffer(), r.status),
        () => 0,
      );
      if (status === 200) break;
      if (child.exitCode !== null) throw new Error(`heimdall exited (${child.exitCode})`);
      if (performance.now() - spawned > 60_000) throw new Error('heimdall did not become ready in 60 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    const readyMs = performance.now() - spawned;
    return { readyMs, windows: latencyWindows(await openLoop(url, 'auto', Math.round(rate * seconds)), rate, windowMs) };
  } finally {
    await stop(child);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    rmSync(file, { force: true });
  }
}

async function main(): Promise<void> {
  const upstream = await startUpstream();
  try {
    await openLoop(upstream.url, 'gpt-4o-mini', 2000);
    const results = new Map<number, Array<{ readyMs: number; windows: LatencyWindow[] }>>(warmups.map((w) => [w, []]));
    for (let r = 0; r < rounds; r++) {
      for (const w of warmups) {
        const run = await coldRun(upstream.url, w);
        results.get(w)?.push(run);
        log(`round ${r + 1} warmup_requests=${w}: ready after ${run.readyMs.toFixed(0)} ms; ${run.windows.map((x) => `${x.from_ms}ms p50 ${x.p50.toFixed(1)} p99 ${x.p99.toFixed(1)} max ${x.max.toFixed(1)}`).join(' | ')}`);
      }
    }
    const summary: Record<string, { ready_ms: number; windows: LatencyWindow[] }> = {};
    for (const [w, runs] of results) {
      summary[`warmup_requests_${w}`] = { ready_ms: Math.round(median(runs.map((x) => x.readyMs))), windows: medianWindows(runs.map((x) => x.windows)) };
    }
    log(`medians over ${rounds} rounds (latency seen by the client, ms; the upstream alone answers in ~21 ms):`);
    for (const [name, s] of Object.entries(summary)) {
      log(`${name.padEnd(20)} ready ${String(s.ready_ms).padStart(5)} ms  ${s.windows.map((x) => `${x.from_ms}ms ${x.p50}/${x.p99}/${x.max}`).join('  ')}`);
    }
    const out = JSON.stringify({ rate, window_ms: windowMs, rounds, settings: summary });
    if (values.json) process.stdout.write(`${out}\n`);
    else log(out);
  } finally {
    await stop(upstream.child);
  }
}

await main();
