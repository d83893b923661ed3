import type { ReasoningRequest } from './chat.js';
import type { ProviderId } from './provider-id.js';

/** Difficulty tiers the GBDT triage sorts prompts into. */
export type Bucket = 'cheap' | 'mid' | 'hard';
export const BUCKETS: readonly Bucket[] = ['cheap', 'mid', 'hard'];

/** One model the decision may send the request to, with the numbers that ranked it. */
export interface RoutedCandidate {
  /** The artifact's model name (the name quality was learned under). */
  readonly name: string;
  /** Canonical `provider/model` id. */
  readonly id: string;
  readonly provider: ProviderId;
  /** The provider's own model id. */
  readonly providerModel: string;
  /** The bucket this candidate was drawn from. */
  readonly bucket: Bucket;
  /** Quality mixed over the top_p clusters, in [0, 1]. */
  readonly quality: number;
  /** Normalised expected cost, in [0, 1]. */
  readonly cost: number;
  /** Expected cost of this request in USD. */
  readonly costUsd: number;
  /** Prompt plus expected output over the context window. */
  readonly contextRatio: number;
  readonly penalties: { readonly ctxOver80pct: number; readonly latencySd: number };
  readonly score: number;
  /** Effective reasoning setting for this candidate (bucket default or the client's own). */
  readonly reasoning?: ReasoningRequest;
}

export interface DecisionExplanation {
  readonly features: {
    readonly tokens: number;
    readonly promptTokens: number;
    readonly expectedOutputTokens: number;
    readonly hasCode: boolean;
    readonly hasMath: boolean;
    readonly entropy: number;
  };
  readonly clusters: ReadonlyArray<{ readonly index: number; readonly similarity: number; readonly weight: number }>;
  readonly alpha: number;
  /** Why the bucket moved from what the GBDT chose (context guardrail, forced by alias). */
  readonly escalation?: string;
  /** Candidates removed before scoring, and why. */
  readonly excluded: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/** The router's answer for one request: where to send it, in which order to fall back, and why. */
export interface RoutingDecision {
  readonly artifactVersion: string;
  readonly bucket: Bucket;
  /** GBDT class probabilities (cheap, mid, hard). */
  readonly bucketProbabilities: { readonly cheap: number; readonly mid: number; readonly hard: number };
  /** `candidates[0]` is the choice; the rest are ordered fallbacks (same bucket first, then the next bucket). */
  readonly candidates: ReadonlyArray<RoutedCandidate>;
  readonly explanation: DecisionExplanation;
}
