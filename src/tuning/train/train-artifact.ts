import { createHash } from 'node:crypto';
import { estimateTokens } from '../../core/features/estimate-tokens.js';
import { createSeededRng, shuffleInPlace } from '../../core/math/seeded-rng.js';
import { compileFeatureSchema, defaultFeatureNames } from '../../core/triage/feature-schema.js';
import { parseArtifact } from '../../artifact/parse-artifact.js';
import type { ArtifactJson } from '../../artifact/artifact-schema.js';
import { encodeFloat32 } from '../../artifact/float32-codec.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { DatasetRecord, PriceTable } from '../dataset/dataset-record.js';
import { fitHashedEmbedder } from '../embedder/fit-hashed-embedder.js';
import { trainGbdt } from '../gbdt/train-gbdt.js';
import { chooseK } from '../kmeans/choose-k.js';
import { kmeans } from '../kmeans/kmeans.js';
import { bucketLabel } from './bucket-labels.js';
import { clusterQuality } from './cluster-quality.js';
import { embedAll, featureMatrix } from './featurize.js';
import { fitRouterParams, type FitExample } from './fit-router-params.js';
import { offlineRouterState } from './offline-router-state.js';
import { priceBuckets } from './price-tiers.js';

/** Training settings; every field has a documented default (see DEFAULT_TRAIN_OPTIONS). */
export interface TrainOptions {
  readonly seed: number;
  readonly embedder: { readonly dim: number; readonly buckets: number; readonly wordBigrams: boolean; readonly charTrigrams: boolean; readonly maxChars: number };
  /** Fixed k, or undefined to choose among `kCandidates` by silhouette. */
  readonly k: number | undefined;
  readonly kCandidates: readonly number[];
  readonly topP: number;
  readonly clusterTemperature: number;
  /** Pseudo-prompts of shrinkage toward a model's overall mean in small clusters. */
  readonly shrinkage: number;
  /** A model "answers well" at or above this score (bucket labels). */
  readonly goodScore: number;
  /** Output tokens assumed per answer for cost (the public data has no per-prompt lengths). */
  readonly outputTokens: number;
  readonly validationFraction: number;
  readonly gbdt: { readonly rounds: number; readonly maxDepth: number; readonly eta: number; readonly lambda: number; readonly gamma: number; readonly minChildWeight: number; readonly subsample: number; readonly colsampleBytree: number; readonly maxBin: number; readonly earlyStoppingRounds: number };
  readonly penalties: { readonly ctxOver80pct: number; readonly latencySd: number };
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 42,
  embedder: { dim: 64, buckets: 16_384, wordBigrams: true, charTrigrams: false, maxChars: 4096 },
  k: undefined,
  kCandidates: [8, 12, 16, 24, 32],
  topP: 3,
  clusterTemperature: 0.05,
  shrinkage: 5,
  goodScore: 0.5,
  outputTokens: 256,
  validationFraction: 0.2,
  gbdt: { rounds: 300, maxDepth: 4, eta: 0.08, lambda: 1, gamma: 0, minChildWeight: 2, subsample: 0.8, colsampleBytree: 0.8, maxBin: 64, earlyStoppingRounds: 30 },
  penalties: { ctxOver80pct: 0.5, latencySd: 0.05 },
};

export interface TrainResult {
  readonly artifact: ArtifactJson;
  readonly summary: Readonly<Record<string, unknown>>;
}

/** USD cost of answering `tokens` prompt tokens plus the assumed output with `model`. */
export function promptCost(prices: PriceTable, model: string, tokens: number, outputTokens: number): number {
  const p = prices[model];
  if (!p) throw new GatewayError('caller_invalid_request', `no price for model ${model}`);
  return (tokens * p.input_per_mtok + outputTokens * p.output_per_mtok) / 1e6;
}

/**
 * Learns a router artifact from scored prompts: fits the embedder, clusters the embeddings
 * (spherical k-means++), learns per-cluster quality with shrinkage, labels each prompt with the
 * cheapest bucket that answers it and trains the GBDT triage on the served feature vectors, then
 * fits thresholds and alpha on a held-out validation split of the training data. Deterministic:
 * the same records, prices and options give a byte-identical artifact.
 */
export function trainArtifact(
  records: readonly DatasetRecord[],
  prices: PriceTable,
  options: Partial<TrainOptions> = {},
  progress: (message: string) => void = () => {},
): TrainResult {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  if (records.length < 20) throw new GatewayError('caller_invalid_request', `need at least 20 training records, got ${records.length}`);
  const models = Object.keys(records[0]?.scores ?? {}).sort();
  for (const m of models) if (!prices[m]) throw new GatewayError('caller_invalid_request', `prices file has no entry for model ${m}`);
  const texts = records.map((r) => r.prompt);
  const tokens = texts.map((t) => estimateTokens(t));

  progress(`embedder: fitting on ${texts.length} prompts (dim ${o.embedder.dim}, ${o.embedder.buckets} buckets)`);
  const emb = fitHashedEmbedder(texts, { ...o.embedder, seed: o.seed });
  const dim = emb.dim;
  const E = embedAll(texts, emb);

  let k = o.k;
  let kScores: unknown;
  if (k === undefined) {
    progress(`clusters: choosing k among ${o.kCandidates.join(', ')}`);
    const chosen = chooseK(E, texts.length, dim, o.kCandidates, { seed: o.seed });
    k = chosen.k;
    kScores = chosen.scores;
  }
  progress(`clusters: k-means++ with k=${k}`);
  const km = kmeans(E, texts.length, dim, k, { seed: o.seed });
  const buckets = priceBuckets(models, prices);
  const topP = Math.min(o.topP, k);
  const featureNames = defaultFeatureNames(dim, k);
  const sources = compileFeatureSchema(featureNames, dim, k);
  const X = featureMatrix(texts, E, dim, km.centroids, k, sources);
  const f = featureNames.length;
  const labels = records.map((r) => bucketLabel(r.scores, buckets, o.goodScore));

  // Validation split, stratified by task so every task is represented in both parts.
  const rng = createSeededRng(o.seed ^ 0x5eed);
  const byTask = new Map<string, number[]>();
  records.forEach((r, i) => byTask.set(r.task ?? '', [...(byTask.get(r.task ?? '') ?? []), i]));
  const isVal = new Uint8Array(records.length);
  for (const task of [...byTask.keys()].sort()) {
    const idx = shuffleInPlace(byTask.get(task) as number[], rng);
    const nVal = Math.round(idx.length * o.validationFraction);
    for (let j = 0; j < nVal; j++) isVal[idx[j] as number] = 1;
  }
  const fitIdx = records.map((_, i) => i).filter((i) => !isVal[i]);
  const valIdx = records.map((_, i) => i).filter((i) => isVal[i]);
  const rows = (idx: number[]): Float32Array => {
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

  const assemble = (idx: number[], gbdt: unknown, router: ArtifactJson['router']): ArtifactJson => {
    const q = clusterQuality(
      idx.map((i) => (records[i] as DatasetRecord).scores),
      Int32Array.from(idx.map((i) => km.assignments[i] as number)),
      k,
      models,
      o.shrinkage,
    );
    const body: Omit<ArtifactJson, 'version'> = {
      format: 'heimdall-artifact',
      schema_version: 1,
      embedder: {
        kind: 'hashed-lsa',
        dim,
        buckets: emb.buckets,
        seed: emb.seed,
        word_bigrams: emb.wordBigrams,
        char_trigrams: emb.charTrigrams,
        max_chars: emb.maxChars,
        idf: encodeFloat32(emb.idf),
        projection: encodeFloat32(emb.projection),
      },
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
    cluster_temperature: o.clusterTemperature,
    penalties: { ctx_over_80pct: o.penalties.ctxOver80pct, latency_sd: o.penalties.latencySd },
    expected_output_tokens: { cheap: o.outputTokens, mid: o.outputTokens, hard: o.outputTokens },
  };

  progress('router: fitting thresholds and alpha on the validation split');
  const fitState = offlineRouterState(parseArtifact(assemble(fitIdx, fitGbdt, provisionalRouter)), prices);
  const examples: FitExample[] = valIdx.map((i) => {
    const r = records[i] as DatasetRecord;
    const costs: Record<string, number> = {};
    for (const m of models) costs[m] = r.costs?.[m] ?? promptCost(prices, m, tokens[i] as number, o.outputTokens);
    return { text: r.prompt, tokens: tokens[i] as number, embedding: E.subarray(i * dim, (i + 1) * dim), scores: r.scores, costs };
  });
  const fitted = fitRouterParams(fitState, examples);

  progress(`final: refitting quality and GBDT (${bestRounds} rounds) on all ${records.length} prompts`);
  const all = records.map((_, i) => i);
  const finalGbdt = trainGbdt({ x: X, n: records.length, f, y: labels }, gbdtOptions(bestRounds));
  const artifact = assemble(all, finalGbdt, { ...provisionalRouter, alpha: fitted.alpha, thresholds: fitted.thresholds });
  const labelCounts = [0, 0, 0];
  for (const l of labels) labelCounts[l]!++;
  const summary = {
    records: records.length,
    models,
    k,
    ...(kScores !== undefined ? { k_scores: kScores } : {}),
    buckets,
    label_counts: { cheap: labelCounts[0], mid: labelCounts[1], hard: labelCounts[2] },
    gbdt_rounds: bestRounds,
    fitted,
  };
  return { artifact: { ...artifact, training: { ...summary, seed: o.seed, output_tokens: o.outputTokens, shrinkage: o.shrinkage, good_score: o.goodScore } }, summary };
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
