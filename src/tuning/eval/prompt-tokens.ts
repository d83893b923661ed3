import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Exact o200k_base token count of a prompt (the real tokenizer, not the router's fast estimate):
 * evaluation costs must not inherit the router's own approximation errors.
 */
export function countPromptTokens(text: string): number {
  return countTokens(text);
}
