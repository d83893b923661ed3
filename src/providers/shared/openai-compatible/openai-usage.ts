import { z } from 'zod';
import type { StopReason, Usage } from '../../../types/chat.js';

const count = z.number().nonnegative().nullish().catch(undefined);

/** OpenAI's `usage` object, leniently: any field may be missing or null. */
export const OpenAIUsageSchema = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  prompt_tokens_details: z.object({ cached_tokens: count }).nullish().catch(undefined),
  completion_tokens_details: z.object({ reasoning_tokens: count }).nullish().catch(undefined),
});

export type OpenAIUsage = z.infer<typeof OpenAIUsageSchema>;

/**
 * Maps OpenAI usage to the neutral one. `inputTokens` is OpenAI's `prompt_tokens`, which
 * INCLUDES the cached tokens also reported as `cacheReadTokens`; `outputTokens` includes the
 * reasoning tokens also reported as `reasoningTokens`.
 */
export function mapOpenAIUsage(usage: OpenAIUsage | null | undefined): Usage {
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    ...(cached == null ? {} : { cacheReadTokens: cached }),
    ...(reasoning == null ? {} : { reasoningTokens: reasoning }),
  };
}

/**
 * Maps an OpenAI `finish_reason`. Unknown or missing reasons become `tool_calls` when the
 * answer holds tool calls (some compatible servers say `stop` there) and `stop` otherwise;
 * OpenRouter's `error` stays `error`.
 */
export function mapOpenAIFinishReason(reason: string | null | undefined, hasToolCalls: boolean): StopReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'error':
      return 'error';
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}
