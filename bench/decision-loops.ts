/**
 * The routing decision's two tight loops, each against the plain loop it replaced, in one run:
 * `npx tsx bench/decision-loops.ts [--json]`.
 *
 * - GBDT: `predictMargin` with the packed, branch-free walk (four trees side by side) against the
 *   node-by-node walk of the same model (the `packed` layout removed).
 * - Cluster similarities: four centroids per sweep against one at a time.
 *
 * Rows are real: the bundled artifact's feature vectors for 2,000 prompts of the vendored public
 * set. Both variants are checked to give the same results before timing. Rounds alternate between
 * the variants; the median of 15 rounds is printed (us per row), and the ratio.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { bundledArtifactPath, loadArtifactFile } from '../src/artifact/load-artifact.js';
import { routerStateFromConfig } from '../src/app/create-routing-runtime.js';
import { loadBundledCatalog } from '../src/catalog/load-bundled-catalog.js';
import { loadConfig } from '../src/config/load-config.js';
import { extractFeatures } from '../src/core/features/extract-features.js';
import type { GbdtModel } from '../src/core/gbdt/gbdt-model.js';
import { predictMargin } from '../src/core/gbdt/predict-gbdt.js';
import { clusterSimilarities } from '../src/core/triage/cluster-similarities.js';
import { fillFeatureVector } from '../src/core/triage/feature-schema.js';

const asJson = process.argv.includes('--json');
const state = routerStateFromConfig(loadArtifactFile(bundledArtifactPath()), loadConfig({ env: {} }), loadBundledCatalog());
const prompts = gunzipSync(readFileSync(new URL('../data/public/llmrouter.jsonl.gz', import.meta.url)))
  .toString('utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 2000)
  .map((l) => (JSON.parse(l) as { prompt: string }).prompt);

const { k, dim, centroids, gbdt } = state;
const embeddings = prompts.map((p) => state.embedder.embed(p).slice());
const rows = prompts.map((p, i) => {
  const embedding = embeddings[i] as Float32Array;
  const sims = clusterSimilarities(embedding, centroids, k, dim, new Float32Array(k));
  const fv = new Float64Array(state.featureSources.length);
  fillFeatureVector(state.featureSources, extractFeatures(p), embedding, sims, fv);
  return fv;
});

/** The loop `clusterSimilarities` replaced: one centroid at a time. */
function similaritiesOneByOne(vec: Float32Array, out: Float32Array): void {
  for (let c = 0; c < k; c++) {
    let s = 0;
    const base = c * dim;
    for (let i = 0; i < dim; i++) s += (vec[i] as number) * (centroids[base + i] as number);
    out[c] = s;
  }
}

const { packed: _packed, ...plainModel } = gbdt;
const plain: GbdtModel = plainModel;
if (gbdt.packed === undefined) throw new Error('the bundled model was not packed');

const a = new Float64Array(gbdt.numClass);
const b = new Float64Array(gbdt.numClass);
const s1 = new Float32Array(k);
const s2 = new Float32Array(k);
for (let i = 0; i < rows.length; i++) {
  predictMargin(gbdt, rows[i] as Float64Array, a);
  predictMargin(plain, rows[i] as Float64Array, b);
  if (a.some((v, c) => v !== b[c])) throw new Error(`row ${i}: packed and plain margins differ`);
  clusterSimilarities(embeddings[i] as Float32Array, centroids, k, dim, s1);
  similaritiesOneByOne(embeddings[i] as Float32Array, s2);
  if (s1.some((v, c) => v !== s2[c])) throw new Error(`row ${i}: similarities differ`);
}

/** Microseconds per call of `fn` over every row, `passes` times. */
function time(fn: (i: number) => void, passes: number): number {
  const t0 = performance.now();
  for (let p = 0; p < passes; p++) for (let i = 0; i < rows.length; i++) fn(i);
  return ((performance.now() - t0) * 1000) / (passes * rows.length);
}

const variants = {
  gbdt_packed: (i: number) => predictMargin(gbdt, rows[i] as Float64Array, a),
  gbdt_plain: (i: number) => predictMargin(plain, rows[i] as Float64Array, b),
  similarities_blocked: (i: number) => clusterSimilarities(embeddings[i] as Float32Array, centroids, k, dim, s1),
  similarities_one_by_one: (i: number) => similaritiesOneByOne(embeddings[i] as Float32Array, s2),
};
type Variant = keyof typeof variants;
const samples = Object.fromEntries(Object.keys(variants).map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
for (const v of Object.keys(variants) as Variant[]) time(variants[v], 20); // warm-up: optimised code for all four
for (let round = 0; round < 15; round++) {
  for (const v of Object.keys(variants) as Variant[]) samples[v].push(time(variants[v], 10));
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const result = Object.fromEntries((Object.keys(samples) as Variant[]).map((v) => [v, Number(median(samples[v]).toFixed(3))])) as Record<Variant, number>;

console.log(`model: ${gbdt.numTrees} trees, ${gbdt.numFeature} features; ${k} centroids x ${dim}; ${rows.length} real rows; medians of 15 rounds`);
console.log(`GBDT          packed ${result.gbdt_packed} us, plain ${result.gbdt_plain} us (${(result.gbdt_plain / result.gbdt_packed).toFixed(2)}x)`);
console.log(`similarities  blocked ${result.similarities_blocked} us, one by one ${result.similarities_one_by_one} us (${(result.similarities_one_by_one / result.similarities_blocked).toFixed(2)}x)`);
if (asJson) console.log(JSON.stringify(result));
