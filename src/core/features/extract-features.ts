import { estimateTokens } from './estimate-tokens.js';
import { hasCode } from './has-code.js';
import { hasMath } from './has-math.js';
import { trigramEntropy, ENTROPY_MAX_CHARS } from './trigram-entropy.js';

/** Cheap, deterministic prompt features the router's models consume. */
export interface PromptFeatures {
  /** Estimated o200k_base tokens of the whole text. */
  readonly tokens: number;
  /** UTF-16 code units of the whole text. */
  readonly chars: number;
  readonly hasCode: boolean;
  readonly hasMath: boolean;
  /** Character-trigram entropy in bits over the head + tail window (`ENTROPY_MAX_CHARS`). */
  readonly entropy: number;
  /** `\n`-separated lines of the whole text (0 for the empty string). */
  readonly lines: number;
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  let at = text.indexOf('\n');
  while (at !== -1) {
    lines++;
    at = text.indexOf('\n', at + 1);
  }
  return lines;
}

/**
 * Computes {@link PromptFeatures}. Tokens, chars and lines cover the whole text; code/maths
 * detection and entropy read only the head and tail windows, so the cost is bounded for long prompts.
 * `knownTokens` must be `estimateTokens(text)` when given.
 */
export function extractFeatures(text: string, knownTokens?: number): PromptFeatures {
  return {
    // The caller may already have estimated this very text (the request's token count); same function, same value.
    tokens: knownTokens ?? estimateTokens(text),
    chars: text.length,
    hasCode: hasCode(text),
    hasMath: hasMath(text),
    entropy: trigramEntropy(text, ENTROPY_MAX_CHARS),
    lines: countLines(text),
  };
}
