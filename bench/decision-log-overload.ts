/**
 * The decision log past the gateway's maximum rate: `npx tsx bench/decision-log-overload.ts
 * [--rate 4500] [--duration 10] [--dists dist,/tmp/base/dist]`.
 *
 * For each build in turn: the bench's fake upstream (20 ms), `heimdall serve` (one worker, SQLite
 * store in a temp file), then open-loop load at `--rate` requests/s with distinct prompts (past the
 * maximum rate, so requests and decision records queue). Once every request has settled it reads
 * the decision log's counters from `/metrics` and the serving process's peak RSS. Prints one line
 * per build and, last, one JSON object. What it checks: whether the decision log keeps up with what
 * the gateway answers (`dropped` should stay 0) and what a backlog costs in memory.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { parsePrometheusText } from '../test/e2e/helpers/prometheus-text.js';
import { compileHelper, firstJsonLine, freePort, onlyChild, peakRssMb, root, start, stop } from './processes.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '4500' },
    duration: { type: 'string', default: '10' },
    dists: { type: 'string', default: 'dist' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.duration);

interface Result {
  readonly dist: string;
  readonly ok: number;
  readonly errors: number;
  /** Non-200 answers by status (`conn` for transport failures). */
  readonly failures: Readonly<Record<string, number>>;
  readonly written: number;
  readonly dropped: number;
  readonly queued: number;
  readonly peak_rss_mb: number;
}

async function waitReady(url: string): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openLoop(url: string): Promise<{ ok: number; errors: number; failures: Record<string, number> }> {
  const pool = new Pool(url, { connections: 2048, keepAliveTimeout: 30_000 });
  const total = Math.round(rate * seconds);
  let ok = 0;
  let errors = 0;
  const failures: Record<string, number> = {};
  const fail = (key: string): void => {
    errors++;
    failures[key] = (failures[key] ?? 0) + 1;
  };
  let settled = 0;
  let sent = 0;
  await new Promise<void>((resolveAll) => {
    const t0 = performance.now();
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000));
      for (; sent < due; sent++) {
        const body = JSON.stringify({ model: 'auto', max_tokens: 64, messages: [{ role: 'user', content: `Overload ${sent}: explain topic ${sent % 97} step by step.` }] });
        pool
          .request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body })
          .then(async (res) => {
            await res.body.dump({ limit: Number.MAX_SAFE_INTEGER });
            if (res.statusCode === 200) ok++;
            else fail(String(res.statusCode));
          })
          .catch(() => fail('conn'))
          .finally(() => {
            if (++settled === total) resolveAll();
          });
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  await pool.close();
  return { ok, errors, failures };
}

async function runOne(dist: string, upstreamUrl: string): Promise<Result> {
  const port = await freePort();
  const db = join(tmpdir(), `heimdall-overload-${process.pid}.db`);
  const config = join(tmpdir(), `heimdall-overload-${process.pid}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      server: { host: '127.0.0.1', port, workers: 1 },
      providers: { openrouter: { api_key: 'sk-or-v1-bench-key', base_url: `${upstreamUrl}/v1` } },
      storage: { url: `sqlite:${db}` },
    }),
  );
  const child = start(process.execPath, [join(resolve(root, dist), 'cli', 'main.js'), 'serve', '--config', config], { PORT: '' });
  child.stdout?.resume();
  child.stderr?.resume();
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url);
    // A cluster worker when the build forks one (heap flags), else the process itself.
    const pid = onlyChild(child.pid) ?? child.pid;
    const load = await openLoop(url);
    // The records of the last requests are written within the logger's flush interval (1 s).
    await new Promise((r) => setTimeout(r, 2000));
    const metrics = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
    return {
      dist,
      ...load,
      written: metrics.sum('heimdall_decision_log_written_total'),
      dropped: metrics.sum('heimdall_decision_log_dropped_total'),
      queued: metrics.sum('heimdall_decision_log_queued'),
      peak_rss_mb: peakRssMb(pid),
    };
  } finally {
    await stop(child);
    for (const f of [config, db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  }
}

const upstream = start(process.execPath, [compileHelper('gateway-upstream')], { UPSTREAM_LATENCY_MS: '20' });
const { port: upstreamPort } = await firstJsonLine(upstream);
const results: Result[] = [];
try {
  for (const dist of values.dists.split(',')) {
    if (!existsSync(join(resolve(root, dist), 'cli', 'main.js'))) throw new Error(`${dist}: no cli/main.js (build it with npm run build)`);
    const r = await runOne(dist, `http://127.0.0.1:${upstreamPort}`);
    results.push(r);
    process.stderr.write(`${dist}: ${rate} req/s for ${seconds} s: ${r.ok} ok, ${r.errors} errors ${JSON.stringify(r.failures)}; decision log ${r.written} written, ${r.dropped} dropped, ${r.queued} queued; peak RSS ${r.peak_rss_mb} MB\n`);
  }
} finally {
  await stop(upstream);
}
process.stdout.write(`${JSON.stringify({ rate, seconds, results })}\n`);
