/**
 * `npx tsx bench/long-request.ts [--json] [--dists DIR,DIR] [--rounds N] [--requests N] [--concurrency N] [--profile DIR]`
 *
 * What a long, coding-agent-shaped request costs the gateway. Each request is the ~180 KB
 * Anthropic `/v1/messages` call of `agent-request.ts` with a distinct last question, so no decision
 * comes from the decision cache; the system prompt, tools and history are resent unchanged, as in
 * one agent's session. The gateway routes `model: "auto"` and translates to the bench's fake
 * OpenAI-compatible upstream (20 ms). For each round and each build in `--dists` (alternating): a fresh `heimdall
 * serve` (one worker, a fresh SQLite store), 300 requests of warm-up, then `--requests` at
 * `--concurrency` in flight; prints the worker's CPU time per request (user + system, from
 * /proc) and the rate. With `--profile DIR` the worker runs under `--cpu-prof`. The last line of
 * stdout is JSON.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { agentRequestBody } from './agent-request.js';
import { processCpuMs, startHeimdallServe } from './heimdall-serve.js';
import { median } from './open-loop-latencies.js';
import { compileHelper, firstJsonLine, root, start, stop } from './processes.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    dists: { type: 'string', default: 'dist' },
    rounds: { type: 'string', default: '2' },
    requests: { type: 'string', default: '1500' },
    concurrency: { type: 'string', default: '8' },
    profile: { type: 'string' },
  },
});
const dists = values.dists.split(',').map((d) => resolve(root, d));
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
for (const [name, v] of Object.entries({ rounds, requests, concurrency })) if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const body = agentRequestBody;

interface Run {
  readonly cpuUsPerRequest: number;
  readonly rps: number;
  readonly failed: number;
}

async function measure(dist: string, upstreamUrl: string): Promise<Run> {
  const gateway = await startHeimdallServe(upstreamUrl, { dist, nodeArgs: values.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] });
  const pool = new Pool(gateway.url, { connections: concurrency });
  try {
    const run = async (n: number): Promise<number> => {
      let next = 0;
      let failed = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) {
            const k = next++;
            const r = await pool.request({ path: '/v1/messages', method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: body(k) });
            await r.body.dump();
            if (r.statusCode !== 200) failed++;
          }
        }),
      );
      return failed;
    };
    await run(300);
    const c0 = processCpuMs(gateway.workerPid);
    const t0 = performance.now();
    const failed = await run(requests);
    const seconds = (performance.now() - t0) / 1000;
    return { cpuUsPerRequest: ((processCpuMs(gateway.workerPid) - c0) * 1000) / requests, rps: requests / seconds, failed };
  } finally {
    await pool.close();
    await gateway.close();
  }
}

async function main(): Promise<void> {
  log(`request body ${Buffer.byteLength(body(0))} bytes`);
  const upstream = start(process.execPath, [compileHelper('gateway-upstream')], { UPSTREAM_LATENCY_MS: '20' });
  upstream.stderr?.resume();
  const { port } = await firstJsonLine(upstream);
  try {
    const results = new Map<string, Run[]>(dists.map((d) => [d, []]));
    for (let r = 0; r < rounds; r++) {
      for (const dist of r % 2 === 0 ? dists : [...dists].reverse()) {
        const run = await measure(dist, `http://127.0.0.1:${port}`);
        results.get(dist)?.push(run);
        log(`round ${r + 1} ${dist}: ${run.cpuUsPerRequest.toFixed(0)} us of CPU a request, ${run.rps.toFixed(0)} req/s, ${run.failed} failed`);
      }
    }
    const summary: Record<string, { cpu_us_per_request: number[]; median_cpu_us: number; rps: number[]; failed: number }> = {};
    for (const [dist, runs] of results) {
      summary[dist] = {
        cpu_us_per_request: runs.map((x) => Math.round(x.cpuUsPerRequest)),
        median_cpu_us: Math.round(median(runs.map((x) => x.cpuUsPerRequest))),
        rps: runs.map((x) => Math.round(x.rps)),
        failed: runs.reduce((a, x) => a + x.failed, 0),
      };
    }
    const out = JSON.stringify({ requests, concurrency, rounds, builds: summary });
    if (values.json) process.stdout.write(`${out}\n`);
    else log(out);
  } finally {
    await stop(upstream);
  }
}

await main();
