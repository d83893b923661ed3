/**
 * `node --import tsx --min-semi-space-size=64 --max-semi-space-size=64 bench/decision-record.ts`
 * (the semi-space flags keep every round free of scavenges, so the heap's growth is what was
 * allocated; a round that meets a GC anyway is reported): what building one decision record costs on the
 * gateway's event loop: `toRecord` and then the store's row parameters (`decisionParams`, the
 * values posted to the SQLite writer), for a routed request like the gateway bench's, with the
 * bundled artifact and catalog. Prints time (median of rounds) and bytes allocated per record
 * (young generation, measured with no GC in between).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRoutingRuntime } from '../src/app/create-routing-runtime.js';
import { loadBundledCatalog } from '../src/catalog/load-bundled-catalog.js';
import { loadConfig } from '../src/config/load-config.js';
import { toRecord } from '../src/logs/create-decision-logger.js';
import { parseOpenAIChatRequest } from '../src/request/parse-openai-chat-request.js';
import { decisionParams } from '../src/store/create-sql-store.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const catalog = loadBundledCatalog();
const runtime = await createRoutingRuntime(loadConfig({ env: {} }), { catalog });
const providers = new Set(['openrouter']);
const inputs = Array.from({ length: 256 }, (_, i) => {
  const request = parseOpenAIChatRequest({ model: 'auto', max_tokens: 64, messages: [{ role: 'user', content: `Request ${i}: write a haiku about the sea.` }] });
  const decision = runtime.router.decide(request, { providers });
  const top = decision.candidates[0];
  if (top === undefined) throw new Error('no candidate');
  return { requestId: `r${i}`, createdAt: 1_800_000_000_000 + i, request, decision, target: { id: top.id, provider: top.provider, providerModel: top.providerModel }, fallbacks: [], latencyMs: 21.2, decisionMs: 0.12, usage: { inputTokens: 25, outputTokens: 10 } };
});
const options = { catalog: () => catalog, embed: (text: string) => runtime.state().embedder.embed(text) };
const one = (i: number): unknown => decisionParams(toRecord(inputs[i % inputs.length]!, options));

for (let i = 0; i < 20_000; i++) one(i);
let gcs = 0;
new PerformanceObserver((list) => {
  gcs += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });
const times: number[] = [];
const bytes: number[] = [];
for (let round = 0; round < 7; round++) {
  gc();
  // The observer hears of that collection a little later; only GCs inside the round count.
  await new Promise((resolve) => setTimeout(resolve, 20));
  gcs = 0;
  const n = 2_000;
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) one(i);
  times.push(((performance.now() - t0) * 1000) / n);
  const grown = (process.memoryUsage().heapUsed - heap0) / n;
  await new Promise((resolve) => setImmediate(resolve));
  if (gcs === 0) bytes.push(grown);
}
if (bytes.length === 0) console.log('every round met a GC: run with --min-semi-space-size=64 --max-semi-space-size=64');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`decision record + row parameters: ${median(times).toFixed(2)} us and ${Math.round(median(bytes))} bytes allocated per record (medians of 7 rounds of 2,000)`);
