import { GatewayError } from '../errors/gateway-error.js';
import type { ReasoningRequest } from '../types/chat.js';
import type { Bucket, RoutedCandidate, RoutingDecision } from '../types/routing-decision.js';
import { selectNearestClusters, type ClusterMatch } from './clustering/nearest-clusters.js';
import { extractFeatures } from './features/extract-features.js';
import { predictGbdt } from './gbdt/predict-gbdt.js';
import { mapReasoning } from './reasoning/map-reasoning.js';
import type { RouterModel, RouterState } from './router-state.js';
import { isModelAllowed } from './rules/match-model-pattern.js';
import { bucketEscalationOrder, selectBucket, toBucketProbabilities } from './rules/select-bucket.js';
import { clusterSimilarities } from './triage/cluster-similarities.js';
import { fillFeatureVector } from './triage/feature-schema.js';

/** Per-request policy on top of the router's tuning (route aliases, gateway keys). */
export interface RoutePolicy {
  readonly alpha?: number;
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
  /** Skip triage and use this bucket. */
  readonly bucket?: Bucket;
  readonly maxPriceUsdPerRequest?: number;
}

/** What the engine observed about each model (indexed like `RouterState.models`). */
export interface ObservedStats {
  /** Standard deviation of upstream latency in ms; 0 or NaN where unknown. */
  readonly latencySdMs: Float64Array;
}

/** Everything `route` needs about one request. */
export interface RouteInput {
  /** The text the prompt is judged by (the last user turn). */
  readonly text: string;
  /** Estimated tokens of the whole prompt (system, history, tools, images). */
  readonly promptTokens: number;
  /** `estimateTokens(text)`, when the caller already has it. */
  readonly textTokens?: number;
  readonly maxOutputTokens?: number;
  readonly reasoning?: ReasoningRequest;
  /** Providers the request holds credentials for (client-supplied or configured). */
  readonly providers: ReadonlySet<string>;
  readonly policy?: RoutePolicy;
  readonly observed?: ObservedStats;
  /** A precomputed embedding (from a remote embedder); the local one is used otherwise. */
  readonly embedding?: Float32Array;
  /** What the request needs of a model; models without it are excluded (`no_tool_support`, `no_vision`). */
  readonly requires?: ModelRequirements;
}

/** Capabilities a request needs, read from it by `toRoutingText` (`usesTools`, `hasImages`). */
export interface ModelRequirements {
  readonly tools?: boolean;
  readonly vision?: boolean;
}

// Scratch buffers reused across calls: the hot path allocates only its output.
let featureScratch = new Float64Array(64);
let simScratch = new Float32Array(64);
const gbdtOut = new Float64Array(16);
const match: ClusterMatch = { indices: new Int32Array(64), similarities: new Float32Array(64), weights: new Float32Array(64), count: 0 };

const CTX_SOFT_LIMIT = 0.8;

/**
 * Routes one request: features -> embedding -> nearest clusters -> GBDT bucket -> alpha-score.
 * Pure and synchronous; throws `routing_context_too_long` when no model can hold the prompt and
 * `routing_no_candidate` when policy or credentials leave nothing to choose from.
 */
export function route(input: RouteInput, state: RouterState): RoutingDecision {
  const features = extractFeatures(input.text, input.textTokens);
  const embedding = input.embedding ?? state.embedder.embed(input.text);
  if (embedding.length !== state.dim) {
    throw new GatewayError('routing_artifact_invalid', `embedding has ${embedding.length} dimensions, the artifact's centroids ${state.dim}`);
  }
  if (simScratch.length < state.k) simScratch = new Float32Array(state.k);
  const sims = simScratch.subarray(0, state.k);
  clusterSimilarities(embedding, state.centroids, state.k, state.dim, sims);
  const tuning = state.tuning;
  selectNearestClusters(sims, tuning.topP, tuning.clusterTemperature, match);

  if (featureScratch.length < state.featureSources.length) featureScratch = new Float64Array(state.featureSources.length);
  const fv = featureScratch.subarray(0, state.featureSources.length);
  fillFeatureVector(state.featureSources, features, embedding, sims, fv);
  predictGbdt(state.gbdt, fv, gbdtOut);
  const probs = toBucketProbabilities(gbdtOut, state.gbdt.numClass);
  const policy = input.policy;
  const triaged = policy?.bucket ?? selectBucket(probs, tuning.thresholds);
  const alpha = policy?.alpha ?? tuning.alpha;

  const excluded: { name: string; reason: string }[] = [];
  const eligible = eligibleModels(input, state, excluded);
  const maxPrice = minDefined(tuning.maxPriceUsdPerRequest, policy?.maxPriceUsdPerRequest);

  // Score each bucket in escalation order; the first with a candidate that has room is primary.
  const perBucket = new Map<Bucket, RankedBucket>();
  const order = bucketEscalationOrder(triaged);
  let primary: Bucket | undefined;
  let crowded: Bucket | undefined;
  let members = 0;
  let tooLong = 0;
  for (const b of order) {
    const ranked = scoreBucket(b, input, state, eligible, alpha, maxPrice, match);
    perBucket.set(b, ranked);
    members += ranked.eligibleMembers;
    tooLong += ranked.contextRejected;
    if (ranked.order.length === 0) continue;
    if (ranked.hasRoom) {
      primary = b;
      break;
    }
    crowded ??= b;
  }
  primary ??= crowded;
  if (primary === undefined) {
    if (tooLong > 0 && tooLong === members) {
      throw new GatewayError(
        'routing_context_too_long',
        `the prompt (~${input.promptTokens} tokens plus expected output) does not fit the context window of any configured model`,
      );
    }
    throw new GatewayError('routing_no_candidate', `no model is available for this request: ${summarise(excluded, eligible.length)}`);
  }

  // The choice and its bucket-mates first, then the other buckets in escalation order. Keyed by
  // provider model id: two artifact models served by the same endpoint are one fallback, not two.
  const candidates: RoutedCandidate[] = [];
  const seen = new Set<string>();
  const perBucketLimit = tuning.candidatesPerBucket ?? Infinity;
  for (const b of bucketEscalationOrder(primary)) {
    const ranked = perBucket.get(b) ?? scoreBucket(b, input, state, eligible, alpha, maxPrice, match);
    let taken = 0;
    for (const pos of ranked.order) {
      if (taken >= perBucketLimit) break;
      const model = ranked.models[pos] as RouterModel;
      if (seen.has(model.id)) continue;
      seen.add(model.id);
      taken++;
      candidates.push(toCandidate(ranked, pos, input, state));
    }
  }

  const clusters: { index: number; similarity: number; weight: number }[] = [];
  for (let i = 0; i < match.count; i++) {
    clusters.push({ index: match.indices[i] as number, similarity: match.similarities[i] as number, weight: match.weights[i] as number });
  }
  return {
    artifactVersion: state.version,
    bucket: primary,
    bucketProbabilities: probs,
    candidates,
    explanation: {
      features: {
        tokens: features.tokens,
        promptTokens: input.promptTokens,
        expectedOutputTokens: expectedOutput(input, state, primary),
        hasCode: features.hasCode,
        hasMath: features.hasMath,
        entropy: features.entropy,
      },
      clusters,
      alpha,
      ...(primary !== triaged
        ? { escalation: `${triaged} -> ${primary}: ${policy?.bucket ? 'forced bucket' : 'no candidate with room in'} ${triaged}` }
        : policy?.bucket
          ? { escalation: `bucket forced to ${primary} by policy` }
          : {}),
      excluded,
    },
  };
}

function expectedOutput(input: RouteInput, state: RouterState, bucket: Bucket): number {
  const e = state.tuning.expectedOutputTokens[bucket];
  return input.maxOutputTokens === undefined ? e : Math.min(e, input.maxOutputTokens);
}

/**
 * Models the request may use at all: credentials present, allowed by tuning and policy, and able to
 * take what the request holds (tools, images). A model without tool support would answer a tool
 * request with a 4xx, which does not fall back: excluding it here is what keeps such requests served.
 */
function eligibleModels(input: RouteInput, state: RouterState, excluded: { name: string; reason: string }[]): RouterModel[] {
  const tuning = state.tuning;
  const policy = input.policy;
  const needsTools = input.requires?.tools === true;
  const needsVision = input.requires?.vision === true;
  const out: RouterModel[] = [];
  for (const m of state.models) {
    if (!input.providers.has(m.provider)) excluded.push({ name: m.name, reason: 'no_credentials' });
    else if (!isModelAllowed(m.name, m.id, tuning.allow, tuning.deny) || !isModelAllowed(m.name, m.id, policy?.allow, policy?.deny)) {
      excluded.push({ name: m.name, reason: 'policy' });
    } else if (needsTools && !m.tools) excluded.push({ name: m.name, reason: 'no_tool_support' });
    else if (needsVision && !m.vision) excluded.push({ name: m.name, reason: 'no_vision' });
    else out.push(m);
  }
  return out;
}

/** Buckets up to this size are sorted by insertion; larger ones by `Array#sort`. */
const INSERTION_SORT_MAX = 32;

/** Number of values {@link scoreBucket} keeps per scored model. */
const STRIDE = 7;
const Q = 0;
const C = 1;
const COST_USD = 2;
const RATIO = 3;
const CTX_PEN = 4;
const LAT_PEN = 5;
const SCORE = 6;

/**
 * Score buffers, one per bucket (a decision may hold all three at once), reused by every call:
 * their contents are read only before `route` returns. A new `Float64Array` per bucket per
 * decision was an off-heap buffer (over V8's 64-byte on-heap limit) for the GC to track.
 */
const scoreScratch: Record<Bucket, Float64Array> = { cheap: new Float64Array(128), mid: new Float64Array(128), hard: new Float64Array(128) };

function bucketScratch(bucket: Bucket, size: number): Float64Array {
  let buf = scoreScratch[bucket];
  if (buf.length < size) {
    buf = new Float64Array(Math.max(size, 2 * buf.length));
    scoreScratch[bucket] = buf;
  }
  return buf;
}

/**
 * One bucket's scored models, kept as numbers: only the candidates the decision takes become
 * objects (a bucket often scores a dozen models and the decision keeps three).
 */
interface RankedBucket {
  readonly bucket: Bucket;
  /** Scored models, in eligible order; `values` holds STRIDE numbers for each. */
  readonly models: RouterModel[];
  readonly values: Float64Array;
  /** Positions into `models`, best first. */
  readonly order: number[];
  /** Some scored model has the prompt under the soft context limit. */
  readonly hasRoom: boolean;
  readonly eligibleMembers: number;
  readonly contextRejected: number;
}

/**
 * Alpha-scores one bucket's eligible models: `alpha * Q - (1 - alpha) * C - penalties`, Q mixed over
 * the top_p clusters by weight, C the expected cost over the most expensive eligible model's.
 */
function scoreBucket(
  bucket: Bucket,
  input: RouteInput,
  state: RouterState,
  eligible: readonly RouterModel[],
  alpha: number,
  maxPrice: number | undefined,
  clusters: ClusterMatch,
): RankedBucket {
  const tuning = state.tuning;
  const outTokens = expectedOutput(input, state, bucket);
  // Context uses the client's max_tokens when given: the provider reserves it in the window.
  const reserve = input.maxOutputTokens ?? outTokens;
  let maxCost = 0;
  let maxSd = 0;
  for (const m of eligible) {
    const cost = (input.promptTokens * m.inputPerMTok + outTokens * m.outputPerMTok) / 1e6;
    if (cost > maxCost) maxCost = cost;
    const sd = input.observed?.latencySdMs[m.index];
    if (sd !== undefined && sd > maxSd) maxSd = sd;
  }
  const members = state.buckets[bucket];
  const models: RouterModel[] = [];
  const values = bucketScratch(bucket, eligible.length * STRIDE);
  const order: number[] = [];
  let hasRoom = false;
  let eligibleMembers = 0;
  let contextRejected = 0;
  for (const m of eligible) {
    if (!members.includes(m.index)) continue;
    eligibleMembers++;
    const ratio = (input.promptTokens + reserve) / m.contextWindowTokens;
    if (ratio > 1) {
      contextRejected++;
      continue;
    }
    const costUsd = (input.promptTokens * m.inputPerMTok + outTokens * m.outputPerMTok) / 1e6;
    if (maxPrice !== undefined && costUsd > maxPrice) continue;
    let q = 0;
    for (let i = 0; i < clusters.count; i++) q += (clusters.weights[i] as number) * (m.quality[clusters.indices[i] as number] as number);
    const c = maxCost > 0 ? costUsd / maxCost : 0;
    const ctxPen = ratio > CTX_SOFT_LIMIT ? tuning.penalties.ctxOver80pct : 0;
    const sd = input.observed?.latencySdMs[m.index];
    const latPen = maxSd > 0 && sd !== undefined && sd > 0 ? tuning.penalties.latencySd * (sd / maxSd) : 0;
    if (ratio <= CTX_SOFT_LIMIT) hasRoom = true;
    const pos = models.length;
    const o = pos * STRIDE;
    values[o + Q] = q;
    values[o + C] = c;
    values[o + COST_USD] = costUsd;
    values[o + RATIO] = ratio;
    values[o + CTX_PEN] = ctxPen;
    values[o + LAT_PEN] = latPen;
    values[o + SCORE] = alpha * q - (1 - alpha) * c - ctxPen - latPen;
    models.push(m);
    order.push(pos);
  }
  // Higher score first; ties go to the cheaper model, then by name, so the order is total and stable.
  const compare = (a: number, b: number): number => {
    const sa = values[a * STRIDE + SCORE] as number;
    const sb = values[b * STRIDE + SCORE] as number;
    if (sa !== sb) return sb - sa;
    const ca = values[a * STRIDE + COST_USD] as number;
    const cb = values[b * STRIDE + COST_USD] as number;
    if (ca !== cb) return ca - cb;
    const na = (models[a] as RouterModel).name;
    const nb = (models[b] as RouterModel).name;
    return na < nb ? -1 : na > nb ? 1 : 0;
  };
  // A bucket holds a handful of models: insertion sort in place, where Array#sort copied the
  // array into a scratch buffer on every call (2% of the gateway's allocations).
  if (order.length <= INSERTION_SORT_MAX) {
    for (let i = 1; i < order.length; i++) {
      const x = order[i] as number;
      let j = i - 1;
      while (j >= 0 && compare(order[j] as number, x) > 0) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = x;
    }
  } else order.sort(compare);
  return { bucket, models, values, order, hasRoom, eligibleMembers, contextRejected };
}

/** The decision's view of one scored model, with the reasoning setting it will be called with. */
function toCandidate(ranked: RankedBucket, pos: number, input: RouteInput, state: RouterState): RoutedCandidate {
  const m = ranked.models[pos] as RouterModel;
  const v = ranked.values;
  const o = pos * STRIDE;
  const reasoning = mapReasoning(input.reasoning, state.tuning.bucketDefaults[ranked.bucket], m.reasoning, m.provider, input.maxOutputTokens);
  return {
    name: m.name,
    id: m.id,
    provider: m.provider,
    providerModel: m.providerModel,
    bucket: ranked.bucket,
    quality: v[o + Q] as number,
    cost: v[o + C] as number,
    costUsd: v[o + COST_USD] as number,
    contextRatio: v[o + RATIO] as number,
    penalties: { ctxOver80pct: v[o + CTX_PEN] as number, latencySd: v[o + LAT_PEN] as number },
    score: v[o + SCORE] as number,
    ...(reasoning ? { reasoning } : {}),
  };
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

function summarise(excluded: readonly { name: string; reason: string }[], eligible: number): string {
  if (excluded.length === 0) return eligible > 0 ? 'every eligible model is over the price cap' : 'the artifact has no models';
  const byReason = new Map<string, string[]>();
  for (const e of excluded) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), e.name]);
  return [...byReason].map(([r, names]) => `${r} (${names.join(', ')})`).join('; ');
}
