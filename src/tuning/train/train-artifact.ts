import { createHash } from 'node:crypto';
import { estimateTokens } from '../../core/features/estimate-tokens.js';
import { createSeededRng, shuffleInPlace } from '../../core/math/seeded-rng.js';
import { compileFeatureSchema, defaultFeatureNames } from '../../core/triage/feature-schema.js';
import { parseArtifact } from '../../artifact/parse-artifact.js';
import type { ArtifactJson } from '../../artifact/artifact-schema.js';
import { encodeFloat32 } from '../../artifact/float32-codec.js';
import { embedderToJson } from '../../artifact/embedder-to-json.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { DatasetRecord, PriceTable } from '../dataset/dataset-record.js';
import { fitHashedEmbedder } from '../embedder/fit-hashed-embedder.js';
import { DEFAULT_OUTPUT_TOKENS, promptCostUsd } from '../eval/cost-matrix.js';
import { countPromptTokens } from '../eval/prompt-tokens.js';
import { trainGbdt } from '../gbdt/train-gbdt.js';
import { kmeans } from '../kmeans/kmeans.js';
import { bucketLabel } from './bucket-labels.js';
import { clusterQuality } from './cluster-quality.js';
import { embedAll, featureMatrix } from './featurize.js';
import { fitClusterParams, shrunkClusterMeans, type ClusterParams, type ScoredSet } from './fit-cluster-params.js';
import { bucketMembers, routerChoiceLabels } from './router-choice-labels.js';
import { fitRouterParams, type FitExample } from './fit-router-params.js';
import { offlineRouterState } from './offline-router-state.js';
import { priceBuckets } from './price-tiers.js';

/** GBDT triage hyper-parameters (XGBoost's names and meanings). */
export interface TriageGbdtOptions {
  readonly rounds: number;
  readonly maxDepth: number;
  readonly eta: number;
  readonly lambda: number;
  readonly gamma: number;
  readonly minChildWeight: number;
  readonly subsample: number;
  readonly colsampleBytree: number;
  readonly maxBin: number;
  readonly earlyStoppingRounds: number;
}

/** Training settings; every field has a documented default (see DEFAULT_TRAIN_OPTIONS). */
export interface TrainOptions {
  readonly seed: number;
  readonly embedder: { readonly dim: number; readonly buckets: number; readonly wordBigrams: boolean; readonly charTrigrams: boolean; readonly maxChars: number };
  /** Fixed number of clusters, or undefined to choose it on the validation split among `search.k`. */
  readonly k: number | undefined;
  /** Fixed top_p, or undefined to choose it among `search.topP`. */
  readonly topP: number | undefined;
  /** Fixed cluster softmax temperature, or undefined to choose it among `search.clusterTemperature`. */
  readonly clusterTemperature: number | undefined;
  /** Fixed shrinkage (pseudo-prompts toward a model's overall mean), or undefined to choose it. */
  readonly shrinkage: number | undefined;
  /** Candidate values for the knobs left undefined above. */
  readonly search: { readonly k: readonly number[]; readonly topP: readonly number[]; readonly clusterTemperature: readonly number[]; readonly shrinkage: readonly number[] };
  /** A model "answers well" at or above this score (bucket labels). */
  readonly goodScore: number;
  /**
   * Triage label rule. `any-good`: the cheapest bucket holding any model that answers well.
   * `router-choice`: the cheapest bucket whose own alpha=1 choice (best cluster quality in that
   * bucket) scores as well as the choice over every model, i.e. where escalating buys nothing.
   */
  readonly labelRule: 'any-good' | 'router-choice';
  /** Output tokens assumed per answer for cost when records carry no measured costs. */
  readonly outputTokens: number;
  /** Share of the training records held out (stratified by task) to fit k, thresholds and alpha. */
  readonly validationFraction: number;
  /** Operating point: the cheapest alpha whose validation accuracy is within this of the best. */
  readonly alphaTolerance: number;
  readonly gbdt: TriageGbdtOptions;
  readonly penalties: { readonly ctxOver80pct: number; readonly latencySd: number };
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 42,
  // 2,048 chars (head 3/4 + tail 1/4) cover 98% of the public prompts whole and halve embedding time on long ones.
  embedder: { dim: 64, buckets: 16_384, wordBigrams: true, charTrigrams: false, maxChars: 2048 },
  k: undefined,
  topP: undefined,
  clusterTemperature: undefined,
  shrinkage: undefined,
  search: { k: [8, 16, 24, 32, 48, 64], topP: [1, 2, 3, 5], clusterTemperature: [0.02, 0.05, 0.1], shrinkage: [2, 8, 32] },
  goodScore: 0.5,
  labelRule: 'router-choice',
  outputTokens: DEFAULT_OUTPUT_TOKENS,
  validationFraction: 0.2,
  alphaTolerance: 0.005,
  gbdt: { rounds: 300, maxDepth: 4, eta: 0.08, lambda: 1, gamma: 0, minChildWeight: 2, subsample: 0.8, colsampleBytree: 0.8, maxBin: 64, earlyStoppingRounds: 30 },
  penalties: { ctxOver80pct: 0.5, latencySd: 0.05 },
};

/** Options as a caller may give them: any subset, nested objects merged over the defaults. */
export type TrainOptionsInput = Partial<Omit<TrainOptions, 'embedder' | 'search' | 'gbdt' | 'penalties'>> & {
  readonly embedder?: Partial<TrainOptions['embedder']>;
  readonly search?: Partial<TrainOptions['search']>;
  readonly gbdt?: Partial<TriageGbdtOptions>;
  readonly penalties?: Partial<TrainOptions['penalties']>;
};

/** Merges partial options over the defaults (nested objects field by field). */
export function resolveTrainOptions(input: TrainOptionsInput = {}): TrainOptions {
  const d = DEFAULT_TRAIN_OPTIONS;
  return {
    ...d,
    ...input,
    embedder: { ...d.embedder, ...input.embedder },
    search: { ...d.search, ...input.search },
    gbdt: { ...d.gbdt, ...input.gbdt },
    penalties: { ...d.penalties, ...input.penalties },
  };
}

export interface TrainResult {
  readonly artifact: ArtifactJson;
  readonly summary: Readonly<Record<string, unknown>>;
}

/** Fewest records a router can be trained on (there must be something to validate on). */
export const MIN_TRAIN_RECORDS = 20;

/**
 * Learns a router artifact from scored prompts:
 * 1. fits the embedder on every training prompt (the serving embedder's code);
 * 2. holds out a validation split (stratified by task) and chooses k, top_p, the cluster
 *    temperature and the shrinkage by the validation AIQ of cluster routing;
 * 3. clusters every prompt (spherical k-means++) and learns per-cluster quality with shrinkage;
 * 4. labels each prompt with the cheapest price bucket holding a model that answers it well and
 *    trains the GBDT triage on the served feature vectors (early stopping on validation);
 * 5. fits the bucket thresholds and alpha on the validation split with the served `route()`;
 * 6. refits quality and triage on every record.
 * Deterministic: the same records, prices and options give a byte-identical artifact.
 */
export function trainArtifact(
  records: readonly DatasetRecord[],
  prices: PriceTable,
  options: TrainOptionsInput = {},
  progress: (message: string) => void = () => {},
): TrainResult {
  const o = resolveTrainOptions(options);
  if (records.length < MIN_TRAIN_RECORDS) throw new GatewayError('caller_invalid_request', `need at least ${MIN_TRAIN_RECORDS} training records, got ${records.length}`);
  const models = Object.keys(records[0]?.scores ?? {}).sort();
  for (const m of models) if (!prices[m]) throw new GatewayError('caller_invalid_request', `prices file has no entry for model ${m}`);
  const M = models.length;
  const n = records.length;
  const texts = records.map((r) => r.prompt);
  const routerTokens = texts.map((t) => estimateTokens(t));
  const scores = new Float64Array(n * M);
  const costs = new Float64Array(n * M);
  const expectedCosts = new Float64Array(n * M);
  records.forEach((r, i) => {
    const exact = r.costs ? 0 : countPromptTokens(r.prompt);
    models.forEach((m, j) => {
      scores[i * M + j] = r.scores[m] ?? 0;
      costs[i * M + j] = r.costs?.[m] ?? promptCostUsd(prices, m, exact, o.outputTokens);
      expectedCosts[i * M + j] = promptCostUsd(prices, m, routerTokens[i] as number, o.outputTokens);
    });
  });

  progress(`embedder: fitting on ${n} prompts (dim ${o.embedder.dim}, ${o.embedder.buckets} buckets)`);
  const emb = fitHashedEmbedder(texts, { ...o.embedder, seed: o.seed });
  const dim = emb.dim;
  const E = embedAll(texts, emb);

  const { fitIdx, valIdx } = validationSplit(records, o.validationFraction, o.seed);
  const subset = (idx: readonly number[]): ScoredSet => {
    const pick = (src: Float64Array): Float64Array => {
      const out = new Float64Array(idx.length * M);
      idx.forEach((r, i) => out.set(src.subarray(r * M, (r + 1) * M), i * M));
      return out;
    };
    const e = new Float32Array(idx.length * dim);
    idx.forEach((r, i) => e.set(E.subarray(r * dim, (r + 1) * dim), i * dim));
    return { emb: e, n: idx.length, scores: pick(scores), costs: pick(costs), expectedCosts: pick(expectedCosts) };
  };

  let clusterParams: ClusterParams;
  let clusterSearch: unknown;
  if (o.k !== undefined && o.topP !== undefined && o.clusterTemperature !== undefined && o.shrinkage !== undefined) {
    clusterParams = { k: o.k, topP: o.topP, clusterTemperature: o.clusterTemperature, shrinkage: o.shrinkage };
  } else {
    const space = {
      k: o.k !== undefined ? [o.k] : o.search.k,
      topP: o.topP !== undefined ? [o.topP] : o.search.topP,
      clusterTemperature: o.clusterTemperature !== undefined ? [o.clusterTemperature] : o.search.clusterTemperature,
      shrinkage: o.shrinkage !== undefined ? [o.shrinkage] : o.search.shrinkage,
    };
    progress(`clusters: choosing k in {${space.k.join(', ')}}, top_p, temperature and shrinkage on ${valIdx.length} validation prompts`);
    const found = fitClusterParams(subset(fitIdx), subset(valIdx), M, dim, space, o.seed);
    clusterParams = found;
    clusterSearch = found.table.slice(0, 5).map((r) => ({ ...r, aiq: round6(r.aiq), maxAccuracy: round6(r.maxAccuracy) }));
  }
  const k = Math.min(clusterParams.k, n);
  const topP = Math.min(clusterParams.topP, k);
  progress(`clusters: k-means++ with k=${k} (top_p ${topP}, temperature ${clusterParams.clusterTemperature}, shrinkage ${clusterParams.shrinkage})`);
  const km = kmeans(E, n, dim, k, { seed: o.seed });
  const buckets = priceBuckets(models, prices);
  const featureNames = defaultFeatureNames(dim, k);
  const sources = compileFeatureSchema(featureNames, dim, k);
  const X = featureMatrix(texts, E, dim, km.centroids, k, sources);
  const f = featureNames.length;
  const labels =
    o.labelRule === 'any-good'
      ? records.map((r) => bucketLabel(r.scores, buckets, o.goodScore))
      : routerChoiceLabels(E, n, dim, km.centroids, k, topP, clusterParams.clusterTemperature, shrunkClusterMeans(scores, n, M, km.assignments, k, clusterParams.shrinkage), scores, M, bucketMembers(buckets, models), expectedCosts);
  const rows = (idx: readonly number[]): Float32Array => {
    const out = new Float32Array(idx.length * f);
    idx.forEach((r, j) => out.set(X.subarray(r * f, (r + 1) * f), j * f));
    return out;
  };
  const gbdtOptions = (rounds: number) => ({
    objective: 'multi:softprob' as const,
    numClass: 3,
    rounds,
    maxDepth: o.gbdt.maxDepth,
    eta: o.gbdt.eta,
    lambda: o.gbdt.lambda,
    gamma: o.gbdt.gamma,
    minChildWeight: o.gbdt.minChildWeight,
    subsample: o.gbdt.subsample,
    colsampleBytree: o.gbdt.colsampleBytree,
    maxBin: o.gbdt.maxBin,
    seed: o.seed,
    featureNames,
  });

  progress(`triage: GBDT on ${fitIdx.length} prompts, early stopping on ${valIdx.length}`);
  const fitGbdt = trainGbdt(
    { x: rows(fitIdx), n: fitIdx.length, f, y: fitIdx.map((i) => labels[i] as number) },
    {
      ...gbdtOptions(o.gbdt.rounds),
      earlyStopping: { validation: { x: rows(valIdx), n: valIdx.length, y: valIdx.map((i) => labels[i] as number) }, rounds: o.gbdt.earlyStoppingRounds },
    },
  );
  const bestRounds = countRounds(fitGbdt, 3);

  const assemble = (idx: readonly number[], gbdt: unknown, router: ArtifactJson['router']): ArtifactJson => {
    const q = clusterQuality(
      idx.map((i) => (records[i] as DatasetRecord).scores),
      Int32Array.from(idx.map((i) => km.assignments[i] as number)),
      k,
      models,
      clusterParams.shrinkage,
    );
    const body: Omit<ArtifactJson, 'version'> = {
      format: 'heimdall-artifact',
      schema_version: 1,
      embedder: embedderToJson(emb),
      clusters: { k, centroids: encodeFloat32(km.centroids) },
      models: models.map((m, mi) => ({
        name: m,
        input_per_mtok: (prices[m] as PriceTable[string]).input_per_mtok,
        output_per_mtok: (prices[m] as PriceTable[string]).output_per_mtok,
        quality: q.quality[mi] as number[],
        mean_quality: q.mean[mi] as number,
      })),
      buckets,
      feature_schema: { names: featureNames },
      gbdt: gbdt as Record<string, unknown>,
      router,
    };
    return { ...body, version: contentVersion(body) } as ArtifactJson;
  };
  const provisionalRouter: ArtifactJson['router'] = {
    alpha: 0.5,
    thresholds: { cheap: 0.5, hard: 0.5 },
    top_p: topP,
    cluster_temperature: clusterParams.clusterTemperature,
    penalties: { ctx_over_80pct: o.penalties.ctxOver80pct, latency_sd: o.penalties.latencySd },
    expected_output_tokens: { cheap: o.outputTokens, mid: o.outputTokens, hard: o.outputTokens },
  };

  progress('router: fitting thresholds and alpha on the validation split');
  const fitState = offlineRouterState(parseArtifact(assemble(fitIdx, fitGbdt, provisionalRouter)), prices);
  const examples: FitExample[] = valIdx.map((i) => {
    const r = records[i] as DatasetRecord;
    const c: Record<string, number> = {};
    models.forEach((m, j) => (c[m] = costs[i * M + j] as number));
    return { text: r.prompt, tokens: routerTokens[i] as number, embedding: E.subarray(i * dim, (i + 1) * dim), scores: r.scores, costs: c };
  });
  const fitted = fitRouterParams(fitState, examples, o.alphaTolerance);

  progress(`final: refitting quality and GBDT (${bestRounds} rounds) on all ${n} prompts`);
  const all = records.map((_, i) => i);
  const finalGbdt = trainGbdt({ x: X, n, f, y: labels }, gbdtOptions(bestRounds));
  const artifact = assemble(all, finalGbdt, { ...provisionalRouter, alpha: fitted.alpha, thresholds: fitted.thresholds });
  const labelCounts = [0, 0, 0];
  for (const l of labels) labelCounts[l]!++;
  const summary = {
    records: n,
    models,
    k,
    top_p: topP,
    cluster_temperature: clusterParams.clusterTemperature,
    shrinkage: clusterParams.shrinkage,
    ...(clusterSearch !== undefined ? { cluster_search_top5: clusterSearch } : {}),
    buckets,
    label_counts: { cheap: labelCounts[0], mid: labelCounts[1], hard: labelCounts[2] },
    gbdt_rounds: bestRounds,
    fitted: { ...fitted, validation: { accuracy: round6(fitted.validation.accuracy), cost: round6(fitted.validation.cost), aiq: round6(fitted.validation.aiq) } },
  };
  return { artifact: { ...artifact, training: { ...summary, seed: o.seed, output_tokens: o.outputTokens, good_score: o.goodScore } }, summary };
}

/** Holds out `fraction` of each task's records (seeded), so every task is in both parts. */
export function validationSplit(records: readonly DatasetRecord[], fraction: number, seed: number): { fitIdx: number[]; valIdx: number[] } {
  const rng = createSeededRng(seed ^ 0x5eed);
  const byTask = new Map<string, number[]>();
  records.forEach((r, i) => {
    const list = byTask.get(r.task ?? '');
    if (list) list.push(i);
    else byTask.set(r.task ?? '', [i]);
  });
  const isVal = new Uint8Array(records.length);
  for (const task of [...byTask.keys()].sort()) {
    const idx = shuffleInPlace(byTask.get(task) as number[], rng);
    const nVal = Math.min(idx.length - 1, Math.round(idx.length * fraction));
    for (let j = 0; j < nVal; j++) isVal[idx[j] as number] = 1;
  }
  const fitIdx = records.map((_, i) => i).filter((i) => !isVal[i]);
  const valIdx = records.map((_, i) => i).filter((i) => isVal[i]);
  return { fitIdx, valIdx };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Boosting rounds in a multi-class model (XGBoost writes numClass trees per round). */
function countRounds(model: unknown, numClass: number): number {
  const trees = (model as { learner?: { gradient_booster?: { model?: { trees?: unknown[] } } } }).learner?.gradient_booster?.model?.trees;
  return Math.max(1, Math.floor((trees?.length ?? numClass) / numClass));
}

/** A version id derived from the artifact's content: any learned change gives a new id. */
export function contentVersion(body: unknown): string {
  return `hm1-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16)}`;
}
