import type { ReasoningRequest } from '../../types/chat.js';
import type { BucketReasoningDefault, ModelReasoningCaps } from '../router-state.js';

/** Anthropic's documented floor for `thinking.budget_tokens`. */
export const ANTHROPIC_MIN_THINKING_BUDGET = 1024;

/**
 * The reasoning setting a candidate is called with. A model that does not reason gets nothing, even
 * when the client asked (it did not choose that model). A client that set its own keeps it; otherwise
 * the bucket default is mapped to what the model takes: an effort, or a token budget clamped to the
 * model's range and kept below `max_tokens` (Anthropic rejects a budget >= max_tokens).
 */
export function mapReasoning(
  client: ReasoningRequest | undefined,
  bucketDefault: BucketReasoningDefault,
  caps: ModelReasoningCaps,
  provider: string,
  maxOutputTokens: number | undefined,
): ReasoningRequest | undefined {
  // A model that does not reason refuses reasoning settings (OpenAI answers 400 to `reasoning_effort`
  // on gpt-4o-mini): the router chose it, so it does not forward the client's either.
  if (caps.kind === 'none') return undefined;
  if (client && (client.effort !== undefined || client.budgetTokens !== undefined || client.enabled !== undefined)) return client;
  switch (caps.kind) {
    case 'effort':
      return bucketDefault.effort === undefined ? undefined : { effort: bucketDefault.effort };
    case 'budget': {
      if (bucketDefault.budgetTokens === undefined) return undefined;
      let min = caps.minBudget ?? 0;
      if (provider === 'anthropic') min = Math.max(min, ANTHROPIC_MIN_THINKING_BUDGET);
      let budget = Math.max(min, bucketDefault.budgetTokens);
      if (caps.maxBudget !== undefined) budget = Math.min(budget, caps.maxBudget);
      if (maxOutputTokens !== undefined && provider === 'anthropic') {
        // Below the floor there is no room for thinking at all: leave it off rather than send an invalid budget.
        if (maxOutputTokens - 1 < min) return undefined;
        budget = Math.min(budget, maxOutputTokens - 1);
      }
      return { budgetTokens: budget, ...(bucketDefault.effort !== undefined ? { effort: bucketDefault.effort } : {}) };
    }
  }
}
