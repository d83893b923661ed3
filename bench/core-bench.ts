/**
 * Routing-core benchmark: `npm run bench:core [-- --json] [-- --artifact PATH]`.
 *
 * For prompts of about 50, 1,000 and 20,000 tokens (real prompts from the vendored public set,
 * concatenated to size and counted with the o200k tokenizer), measures the full decision path that
 * the gateway runs per request — ChatRequest -> routing text and token estimate -> features ->
 * embedding -> clusters -> GBDT -> alpha-score -> decision — with the decision cache off (uncached)
 * and on (hits), on one core. Prints a table, then one JSON line (the last line of stdout).
 * Side by side, the same uncached path with the exact BPE tokenizer instead of the calibrated
 * estimate is timed as a baseline, to show what the estimate buys.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { bundledArtifactPath, loadArtifactFile } from '../src/artifact/load-artifact.js';
import { routerStateFromConfig } from '../src/app/create-routing-runtime.js';
import { loadBundledCatalog } from '../src/catalog/load-bundled-catalog.js';
import { loadConfig } from '../src/config/load-config.js';
import { createRouter } from '../src/engine/create-router.js';
import { route } from '../src/core/route.js';
import { toRoutingText } from '../src/core/request/routing-text.js';
import { estimateTokens } from '../src/core/features/estimate-tokens.js';
import type { ChatRequest } from '../src/types/chat.js';
import { PROVIDER_IDS } from '../src/types/provider-id.js';

const args = process.argv.slice(2);
const rssChild = args.includes('--rss-child');
// The exact tokenizer (o200k ranks, ~100 MB) is loaded only by the timing run, never by the RSS child.
const encode: (text: string) => { length: number } = rssChild
  ? (text) => ({ length: estimateTokens(text) })
  : (await import('gpt-tokenizer')).encode;
const asJson = args.includes('--json');
const artifactArg = args.indexOf('--artifact');
const artifactPath = artifactArg >= 0 ? (args[artifactArg + 1] as string) : bundledArtifactPath();

const artifact = loadArtifactFile(artifactPath);
const catalog = loadBundledCatalog();
const state = routerStateFromConfig(artifact, loadConfig({ env: {} }), catalog);
// For the uncached runs the embedding cache holds one entry, so every decision pays for its embedding
// (and for the cache-key hash a production miss also pays).
const missState = routerStateFromConfig(artifact, loadConfig({ env: {}, overrides: { cache: { embeddings: { max_entries: 1 } } } }), catalog);
const providers = new Set<string>(PROVIDER_IDS);

const corpus = gunzipSync(readFileSync(new URL('../data/public/llmrouter.jsonl.gz', import.meta.url)))
  .toString('utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { prompt: string }).prompt);

/** Distinct prompts of about `tokens` tokens each, built by concatenating real prompts. */
function promptsOf(tokens: number, count: number): string[] {
  const out: string[] = [];
  let cursor = 0;
  for (let i = 0; i < count; i++) {
    let text = '';
    let n = 0;
    while (n < tokens) {
      const p = corpus[cursor++ % corpus.length] as string;
      text = text ? `${text}\n\n${p}` : p;
      n = encode(text).length;
    }
    out.push(text);
  }
  return out;
}

const req = (text: string): ChatRequest => ({ format: 'openai', model: 'auto', system: [], messages: [{ role: 'user', content: [{ type: 'text', text }] }], stream: false });

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

interface Stats {
  p50: number;
  p99: number;
  perSec: number;
}

/** Times `fn` over `iterations` calls cycling through `items`: per-call latencies and calls/s. */
function measure<T>(items: readonly T[], iterations: number, fn: (item: T) => unknown): Stats {
  for (let i = 0; i < Math.min(iterations, 2_000); i++) fn(items[i % items.length] as T); // warm-up (JIT)
  const lat = new Float64Array(iterations);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    fn(items[i % items.length] as T);
    lat[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  lat.sort();
  return { p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), perSec: (iterations / totalMs) * 1000 };
}

if (args.includes('--idle-child')) {
  // The same process (runtime, loader, artifact and catalog loaded) before any routing: the baseline.
  process.stdout.write(`${JSON.stringify({ rss_mb: Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10 })}\n`);
  process.exit(0);
}
if (rssChild) {
  // RSS with every cache full: 10,000 distinct ~1,000-token decisions cached, in a fresh process
  // that holds only what a gateway worker holds (artifact, catalog, router, caches).
  const fullRouter = createRouter({ state: () => state, cache: { maxEntries: 10_000, admission: 'all' } });
  const fill = promptsOf(1000, 50);
  for (let i = 0; i < 12_000; i++) fullRouter.decide(req(`${i} ${fill[i % fill.length] as string}`), { providers });
  process.stdout.write(`${JSON.stringify({ rss_mb: Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10, entries: fullRouter.cacheStats().size })}\n`);
  process.exit(0);
}

const sizes = [50, 1000, 20000] as const;
const result: Record<string, Record<string, number>> = {};
const rows: string[] = [];
for (const size of sizes) {
  const count = size >= 20000 ? 40 : 200;
  const requests = promptsOf(size, count).map(req);
  const iterations = size >= 20000 ? 2_000 : size >= 1000 ? 20_000 : 50_000;
  const uncachedRouter = createRouter({ state: () => missState, cache: { enabled: false } });
  const uncached = measure(requests, iterations, (r) => uncachedRouter.decide(r, { providers }));
  const cachedRouter = createRouter({ state: () => state, cache: { maxEntries: 10_000, admission: 'all' } });
  for (const r of requests) cachedRouter.decide(r, { providers });
  const cached = measure(requests, iterations * 5, (r) => cachedRouter.decide(r, { providers }));
  // Baseline: the same uncached path with the exact BPE token count in place of the estimate.
  const exact = measure(requests, Math.max(200, iterations / 20), (r) => {
    const rt = toRoutingText(r);
    return route({ text: rt.text, promptTokens: encode(rt.text).length, providers }, missState);
  });
  result[String(size)] = {
    uncached_p50_ms: round(uncached.p50),
    uncached_p99_ms: round(uncached.p99),
    cached_p50_ms: round(cached.p50),
    cached_p99_ms: round(cached.p99),
    uncached_per_s: Math.round(uncached.perSec),
    cached_per_s: Math.round(cached.perSec),
  };
  rows.push(
    `${String(size).padStart(6)} tok | uncached p50 ${uncached.p50.toFixed(4)} ms p99 ${uncached.p99.toFixed(4)} ms ${Math.round(uncached.perSec).toString().padStart(8)}/s | cached p50 ${cached.p50.toFixed(4)} ms p99 ${cached.p99.toFixed(4)} ms ${Math.round(cached.perSec).toString().padStart(9)}/s | exact-BPE baseline p50 ${exact.p50.toFixed(4)} ms (${(exact.p50 / uncached.p50).toFixed(1)}x)`,
  );
}

function runChild(flag: string): { rss_mb: number; entries?: number } {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), flag, ...(artifactArg >= 0 ? ['--artifact', artifactPath] : [])], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${flag} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as { rss_mb: number; entries?: number };
}
const rssInfo = runChild('--rss-child');
const idleInfo = runChild('--idle-child');
const rssMb = rssInfo.rss_mb;

process.stdout.write(`artifact ${state.version} (k=${state.k}, dim=${state.dim}, ${state.gbdt.numClass} classes), node ${process.version}\n`);
for (const r of rows) process.stdout.write(`${r}\n`);
process.stdout.write(`rss of a fresh process after filling the decision cache (${rssInfo.entries ?? 0} entries): ${rssMb} MB; the same process idle (artifact loaded, nothing routed): ${idleInfo.rss_mb} MB (both include the tsx loader)\n`);
const out = { prompts: result, rss_mb: rssMb, idle_rss_mb: idleInfo.rss_mb };
// The JSON object is always the last line; --json is accepted for symmetry with the other benchmarks.
void asJson;
process.stdout.write(`${JSON.stringify(out)}\n`);

function round(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}
