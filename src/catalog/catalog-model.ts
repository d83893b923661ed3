import type { ReasoningEffort } from '../types/chat.js';
import type { ProviderId } from '../types/provider-id.js';

/** How a model is told to think: not at all, by effort level, or by a token budget. */
export type ReasoningKind = 'none' | 'effort' | 'budget';

/**
 * Reasoning controls a model accepts. The parser guarantees: `effort` has a non-empty `efforts`;
 * `budget` has `minBudget <= maxBudget` and `budgetCanDisable`; `none` has neither.
 */
export interface ReasoningSupport {
  readonly kind: ReasoningKind;
  readonly efforts?: readonly ReasoningEffort[];
  readonly minBudget?: number;
  readonly maxBudget?: number;
  /** A budget of 0 (or `thinking: disabled`) turns thinking off. */
  readonly budgetCanDisable?: boolean;
}

export interface ModelCapabilities {
  readonly tools: boolean;
  readonly vision: boolean;
  readonly streaming: boolean;
  /** Native JSON output (`response_format` / `responseMimeType`). */
  readonly jsonMode: boolean;
}

/** Higher prices that apply to the whole request once the prompt exceeds a size. */
export interface LongContextPricing {
  readonly aboveInputTokens: number;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok?: number;
}

/** `retired` models fail upstream; `deprecated` ones still answer but have a shutdown date. */
export type ModelStatus = 'active' | 'deprecated' | 'retired';

/** One model of the catalog. Prices are USD per million tokens. */
export interface CatalogModel {
  /** Canonical id, `provider/model` (for OpenRouter `openrouter/author/slug`). */
  readonly id: string;
  readonly provider: ProviderId;
  /** The id sent to the provider. */
  readonly providerModelId: string;
  /** Other ids the provider answers with for this model (dated snapshots). */
  readonly providerModelAliases: readonly string[];
  readonly displayName: string;
  readonly status: ModelStatus;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok?: number;
  readonly longContext?: LongContextPricing;
  readonly contextWindowTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: ModelCapabilities;
  readonly reasoning: ReasoningSupport;
}
