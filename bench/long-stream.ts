/**
 * `npx tsx bench/long-stream.ts [--json] [--streams N] [--concurrency N] [--events N] [--profile DIR]`
 *
 * What a long streamed answer costs per event, where a provider emits its tokens one by one
 * (`stream-upstream.ts`: each content chunk its own write, 1 ms apart). The bare undici proxy
 * (bytes piped through) and heimdall (one worker, `model: "auto"`, the OpenAI dialect on both
 * sides, so every event is decoded, translated and encoded again) each serve `--streams` streaming
 * requests, `--concurrency` at a time; prints the serving process's CPU time per stream and per
 * content event (user + system, from /proc). With `--profile DIR` heimdall's worker runs under
 * `--cpu-prof`. The last line of stdout is JSON.
 */
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { processCpuMs, startHeimdallServe } from './heimdall-serve.js';
import { compileHelper, firstJsonLine, start, stop } from './processes.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    streams: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '20' },
    events: { type: 'string', default: '200' },
    profile: { type: 'string' },
  },
});
const streams = Number(values.streams);
const concurrency = Number(values.concurrency);
const events = Number(values.events);
for (const [name, v] of Object.entries({ streams, concurrency, events })) if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
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

async function main(): Promise<void> {
  const upstream = start(process.execPath, [compileHelper('stream-upstream')], { STREAM_EVENTS: String(events) });
  upstream.stderr?.resume();
  const { port: up } = await firstJsonLine(upstream);
  const upstreamUrl = `http://127.0.0.1:${up}`;
  try {
    const bare = start(process.execPath, [compileHelper('gateway-bare-proxy')], { UPSTREAM_URL: upstreamUrl });
    const { port: barePort } = await firstJsonLine(bare);
    const bareResult = await measure('bare', () => stop(bare), `http://127.0.0.1:${barePort}`, bare.pid ?? 0, { authorization: 'Bearer sk-bench' }, 'gpt-4o-mini');

    const gateway = await startHeimdallServe(upstreamUrl, { nodeArgs: values.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] });
    const heimdall = await measure('heimdall', gateway.close, gateway.url, gateway.workerPid, {}, 'auto');
    const out = JSON.stringify({ streams, concurrency, events, bare: bareResult, heimdall });
    if (values.json) process.stdout.write(`${out}\n`);
    else log(out);
  } finally {
    await stop(upstream);
  }
}

await main();
