/**
 * `npx tsx bench/long-stream.ts [--json] [--streams N] [--concurrency N] [--events N] [--dists DIR,DIR] [--rounds N] [--profile DIR]`
 *
 * What a long streamed answer costs per event, where a provider emits its tokens one by one
 * (`stream-upstream.ts`: each content chunk its own write, 1 ms apart). The bare undici proxy
 * (bytes piped through) and heimdall (one worker, `model: "auto"`, the OpenAI dialect on both
 * sides, so every event is decoded, translated and encoded again) each serve `--streams` streaming
 * requests, `--concurrency` at a time; prints the serving process's CPU time per stream and per
 * content event (user + system, from /proc). `--dists` names builds of heimdall (compiled output,
 * default `dist`) measured side by side, in alternating order over `--rounds` rounds (each with
 * bare too); the figures are medians over the rounds. With `--profile DIR` the bare proxy and
 * heimdall's worker run under `--cpu-prof` (profiles in DIR/bare and DIR/heimdall). The last line
 * of stdout is JSON.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { processCpuMs, startHeimdallServe } from './heimdall-serve.js';
import { median } from './open-loop-latencies.js';
import { compileHelper, firstJsonLine, start, stop } from './processes.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    streams: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '20' },
    events: { type: 'string', default: '200' },
    dists: { type: 'string', default: 'dist' },
    rounds: { type: 'string', default: '1' },
    profile: { type: 'string' },
  },
});
const streams = Number(values.streams);
const concurrency = Number(values.concurrency);
const events = Number(values.events);
const rounds = Number(values.rounds);
const dists = values.dists.split(',');
for (const [name, v] of Object.entries({ streams, concurrency, events, rounds })) if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Runs `n` streams through `url`; returns the events counted in the answers and the failures. */
async function load(url: string, n: number, headers: Record<string, string>, model: string): Promise<{ failed: number }> {
  const pool = new Pool(url, { connections: concurrency });
  let next = 0;
  let failed = 0;
  const body = JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Tell me a long story about a fox.' }] });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        const r = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
        const text = await r.body.text();
        if (r.statusCode !== 200 || !text.includes('[DONE]')) failed++;
      }
    }),
  );
  await pool.close();
  return { failed };
}

async function measure(name: string, close: () => Promise<void>, url: string, pid: number, headers: Record<string, string>, model: string): Promise<{ us_per_stream: number; us_per_event: number; failed: number }> {
  try {
    await load(url, Math.min(50, streams), headers, model);
    const c0 = processCpuMs(pid);
    const { failed } = await load(url, streams, headers, model);
    const ms = processCpuMs(pid) - c0;
    const out = { us_per_stream: Math.round((ms * 1000) / streams), us_per_event: Math.round(((ms * 1000) / (streams * events)) * 10) / 10, failed };
    log(`${name}: ${out.us_per_stream} us of CPU a stream, ${out.us_per_event} us a content event, ${failed} failed`);
    return out;
  } finally {
    await close();
  }
}

type Result = Awaited<ReturnType<typeof measure>>;

function medianOf(results: readonly Result[]): Result {
  return {
    us_per_stream: median(results.map((r) => r.us_per_stream)),
    us_per_event: Math.round(median(results.map((r) => r.us_per_event)) * 10) / 10,
    failed: results.reduce((n, r) => n + r.failed, 0),
  };
}

async function main(): Promise<void> {
  const upstream = start(process.execPath, [compileHelper('stream-upstream')], { STREAM_EVENTS: String(events) });
  upstream.stderr?.resume();
  const { port: up } = await firstJsonLine(upstream);
  const upstreamUrl = `http://127.0.0.1:${up}`;
  const profileArgs = (dir: string): string[] => (values.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values.profile}/${dir}`]);
  const bareResults: Result[] = [];
  const builds = new Map<string, Result[]>(dists.map((d) => [d, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      const bare = start(process.execPath, [...profileArgs('bare'), compileHelper('gateway-bare-proxy')], { UPSTREAM_URL: upstreamUrl });
      const { port: barePort } = await firstJsonLine(bare);
      bareResults.push(await measure('bare', () => stop(bare), `http://127.0.0.1:${barePort}`, bare.pid ?? 0, { authorization: 'Bearer sk-bench' }, 'gpt-4o-mini'));
      for (const dist of round % 2 === 0 ? dists : [...dists].reverse()) {
        const gateway = await startHeimdallServe(upstreamUrl, { dist: resolve(dist), nodeArgs: profileArgs('heimdall') });
        builds.get(dist)?.push(await measure(`heimdall (${dist})`, gateway.close, gateway.url, gateway.workerPid, {}, 'auto'));
      }
    }
    const perBuild = Object.fromEntries([...builds].map(([d, rs]) => [d, medianOf(rs)]));
    const out = JSON.stringify({ streams, concurrency, events, rounds, bare: medianOf(bareResults), heimdall: perBuild[dists[0] as string], builds: perBuild });
    if (values.json) process.stdout.write(`${out}\n`);
    else log(out);
  } finally {
    await stop(upstream);
  }
}

await main();
