/**
 * Prints per-call timings of the prompt features and the local embedder for ~50, ~1,000 and
 * ~20,000-token prompts built from varied real prompts (the routing data set when present,
 * otherwise local package READMEs). Run: `npx tsx bench/features-embedding.bench.ts`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'gpt-tokenizer';
import { estimateTokens } from '../src/core/features/estimate-tokens.js';
import { extractFeatures } from '../src/core/features/extract-features.js';
import { hasCode } from '../src/core/features/has-code.js';
import { hasMath } from '../src/core/features/has-math.js';
import { trigramEntropy } from '../src/core/features/trigram-entropy.js';
import { createHashedEmbedder, embedInto } from '../src/core/embedding/hashed-embedder.js';
import { nearestClusters, createClusterMatch } from '../src/core/clustering/nearest-clusters.js';
import { fitHashedEmbedder } from '../src/tuning/embedder/fit-hashed-embedder.js';
import { kmeans } from '../src/tuning/kmeans/kmeans.js';

const DATA = '/work/shared/data/routing/llmrouter/query_train.jsonl';

function loadTexts(): string[] {
  if (existsSync(DATA)) {
    return readFileSync(DATA, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { query: string }).query);
  }
  const nm = 'node_modules';
  return readdirSync(nm)
    .map((d) => join(nm, d, 'README.md'))
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p, 'utf8'));
}

/** Concatenates distinct texts (seeded stride through the corpus) until ~`tokens` o200k tokens. */
function buildPrompt(texts: string[], tokens: number, offset: number): string {
  const parts: string[] = [];
  let count = 0;
  for (let i = offset; count < tokens; i = (i + 97) % texts.length) {
    const t = texts[i] as string;
    parts.push(t);
    count += encode(t).length + 1;
  }
  let text = parts.join('\n');
  while (encode(text).length > tokens && text.length > 10) text = text.slice(0, Math.floor(text.length * 0.97));
  return text;
}

function time(label: string, inputs: string[], fn: (s: string) => unknown): void {
  for (let w = 0; w < 200; w++) fn(inputs[w % inputs.length] as string);
  // Process CPU time, not wall time: the machine is shared, and wall time would bill us for others.
  const samples: number[] = [];
  for (let r = 0; r < 41; r++) {
    const iters = 200;
    const c0 = process.cpuUsage();
    for (let i = 0; i < iters; i++) fn(inputs[(r * iters + i) % inputs.length] as string);
    samples.push(process.cpuUsage(c0).user / iters);
  }
  samples.sort((a, b) => a - b);
  const p50 = samples[Math.floor(samples.length / 2)] as number;
  const p90 = samples[Math.floor(samples.length * 0.9)] as number;
  console.log(
    `  ${label.padEnd(24)} min ${(samples[0] as number).toFixed(2).padStart(8)} us   p50 ${p50.toFixed(2).padStart(8)} us   p90 ${p90.toFixed(2).padStart(8)} us`,
  );
}

const texts = loadTexts();
console.log(`corpus: ${texts.length} texts`);
let t0 = performance.now();
const fitCorpus = texts.slice(0, 6000);
const params = fitHashedEmbedder(fitCorpus, { dim: 64, buckets: 16384, seed: 7 });
console.log(`fitHashedEmbedder(${fitCorpus.length} texts, B=16384, d=64): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
t0 = performance.now();
const params128 = fitHashedEmbedder(fitCorpus, { dim: 128, buckets: 8192, seed: 7 });
console.log(`fitHashedEmbedder(${fitCorpus.length} texts, B=8192, d=128): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
const embedder = createHashedEmbedder(params);
const vecs = new Float32Array(fitCorpus.length * params.dim);
fitCorpus.forEach((t, i) => vecs.set(embedder.embed(t), i * params.dim));
t0 = performance.now();
const km = kmeans(vecs, fitCorpus.length, params.dim, 32, { seed: 1 });
console.log(`kmeans(n=${fitCorpus.length}, d=64, k=32, 3 restarts): ${((performance.now() - t0) / 1000).toFixed(2)} s, ${km.iterations} iterations`);

const out64 = new Float32Array(params.dim);
const out128 = new Float32Array(params128.dim);
const match = createClusterMatch(4);
const embedded = embedder.embed(texts[0] as string);
for (const tokens of [50, 1000, 20000]) {
  const inputs = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => buildPrompt(texts, tokens, k * 733 + 11));
  const chars = Math.round(inputs.reduce((s, t) => s + t.length, 0) / inputs.length);
  const errs = inputs.map((t) => Math.abs(estimateTokens(t) - encode(t).length) / encode(t).length);
  console.log(`\n~${tokens} tokens (${chars} chars, estimate error mean ${((errs.reduce((a, b) => a + b, 0) / errs.length) * 100).toFixed(1)}%)`);
  time('estimateTokens', inputs, estimateTokens);
  time('hasCode', inputs, hasCode);
  time('hasMath', inputs, hasMath);
  time('trigramEntropy', inputs, (t) => trigramEntropy(t));
  time('extractFeatures', inputs, extractFeatures);
  time('embedInto d=64 B=16K', inputs, (t) => embedInto(t, params, out64));
  time("embedInto d=128 B=8K", inputs, (t) => embedInto(t, params128, out128));
  time("embed() (allocates)", inputs, (t) => embedder.embed(t));
}
console.log('');
time('nearestClusters k=32 p=4', [''], () => nearestClusters(embedded, km.centroids, 32, 4, 0.1, match));
