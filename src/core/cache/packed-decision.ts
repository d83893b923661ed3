import type { ReasoningRequest } from '../../types/chat.js';
import type { ProviderId } from '../../types/provider-id.js';
import type { Bucket, RoutedCandidate, RoutingDecision } from '../../types/routing-decision.js';

/**
 * A decision as the decision cache keeps it: its numbers in one Float64Array and its strings (shared
 * with the router state, never copied) in one array. A decision object is ~60 small heap objects;
 * thousands of them cached made every young-generation GC copy and promote them and kept the old
 * generation large. Packed, an entry is four objects.
 */
export interface PackedDecision {
  readonly artifactVersion: string;
  readonly bucket: Bucket;
  readonly numbers: Float64Array;
  /** Per candidate: name, id, provider, providerModel, bucket, reasoning; then per exclusion: name, reason. */
  readonly refs: ReadonlyArray<string | ReasoningRequest | undefined>;
  readonly escalation: string | undefined;
}

const HEAD = 12;
const PER_CANDIDATE = 8;
const PER_CLUSTER = 3;
const REFS_PER_CANDIDATE = 6;

/** Packs a decision for the cache; {@link unpackDecision} gives back an equal decision. */
export function packDecision(d: RoutingDecision): PackedDecision {
  const e = d.explanation;
  const f = e.features;
  const nc = d.candidates.length;
  const nk = e.clusters.length;
  const numbers = new Float64Array(HEAD + nc * PER_CANDIDATE + nk * PER_CLUSTER);
  numbers[0] = d.bucketProbabilities.cheap;
  numbers[1] = d.bucketProbabilities.mid;
  numbers[2] = d.bucketProbabilities.hard;
  numbers[3] = e.alpha;
  numbers[4] = f.tokens;
  numbers[5] = f.promptTokens;
  numbers[6] = f.expectedOutputTokens;
  numbers[7] = f.entropy;
  numbers[8] = (f.hasCode ? 1 : 0) | (f.hasMath ? 2 : 0);
  numbers[9] = nc;
  numbers[10] = nk;
  numbers[11] = e.excluded.length;
  const refs: (string | ReasoningRequest | undefined)[] = [];
  let o = HEAD;
  for (const c of d.candidates) {
    numbers[o] = c.quality;
    numbers[o + 1] = c.cost;
    numbers[o + 2] = c.costUsd;
    numbers[o + 3] = c.contextRatio;
    numbers[o + 4] = c.penalties.ctxOver80pct;
    numbers[o + 5] = c.penalties.latencySd;
    numbers[o + 6] = c.score;
    // Whether `reasoning` was present, so an absent one stays absent (not `reasoning: undefined`).
    numbers[o + 7] = c.reasoning === undefined ? 0 : 1;
    o += PER_CANDIDATE;
    refs.push(c.name, c.id, c.provider, c.providerModel, c.bucket, c.reasoning);
  }
  for (const k of e.clusters) {
    numbers[o] = k.index;
    numbers[o + 1] = k.similarity;
    numbers[o + 2] = k.weight;
    o += PER_CLUSTER;
  }
  for (const x of e.excluded) refs.push(x.name, x.reason);
  return { artifactVersion: d.artifactVersion, bucket: d.bucket, numbers, refs, escalation: e.escalation };
}

/** A fresh decision object from a packed one (callers may keep it; the cache keeps only the packed form). */
export function unpackDecision(p: PackedDecision): RoutingDecision {
  const n = p.numbers;
  const refs = p.refs;
  const nc = n[9] as number;
  const nk = n[10] as number;
  const nx = n[11] as number;
  const candidates: RoutedCandidate[] = [];
  let o = HEAD;
  for (let i = 0; i < nc; i++) {
    const r = i * REFS_PER_CANDIDATE;
    const reasoning = refs[r + 5] as ReasoningRequest | undefined;
    candidates.push({
      name: refs[r] as string,
      id: refs[r + 1] as string,
      provider: refs[r + 2] as ProviderId,
      providerModel: refs[r + 3] as string,
      bucket: refs[r + 4] as Bucket,
      quality: n[o] as number,
      cost: n[o + 1] as number,
      costUsd: n[o + 2] as number,
      contextRatio: n[o + 3] as number,
      penalties: { ctxOver80pct: n[o + 4] as number, latencySd: n[o + 5] as number },
      score: n[o + 6] as number,
      ...(n[o + 7] === 1 && reasoning !== undefined ? { reasoning } : {}),
    });
    o += PER_CANDIDATE;
  }
  const clusters: { index: number; similarity: number; weight: number }[] = [];
  for (let i = 0; i < nk; i++) {
    clusters.push({ index: n[o] as number, similarity: n[o + 1] as number, weight: n[o + 2] as number });
    o += PER_CLUSTER;
  }
  const excluded: { name: string; reason: string }[] = [];
  for (let i = 0, r = nc * REFS_PER_CANDIDATE; i < nx; i++, r += 2) excluded.push({ name: refs[r] as string, reason: refs[r + 1] as string });
  const flags = n[8] as number;
  return {
    artifactVersion: p.artifactVersion,
    bucket: p.bucket,
    bucketProbabilities: { cheap: n[0] as number, mid: n[1] as number, hard: n[2] as number },
    candidates,
    explanation: {
      features: {
        tokens: n[4] as number,
        promptTokens: n[5] as number,
        expectedOutputTokens: n[6] as number,
        hasCode: (flags & 1) !== 0,
        hasMath: (flags & 2) !== 0,
        entropy: n[7] as number,
      },
      clusters,
      alpha: n[3] as number,
      ...(p.escalation === undefined ? {} : { escalation: p.escalation }),
      excluded,
    },
  };
}
