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
 * `OpenAIUsageSchema.nullish().catch(undefined)` read by hand (the hot path of every answer and
 * of every stream's usage chunk): the same result for any input, as a property test checks.
 */
export function readOpenAIUsage(value: unknown): OpenAIUsage | null | undefined {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const u = value as Record<string, unknown>;
  const prompt = u['prompt_tokens_details'];
  const completion = u['completion_tokens_details'];
  return {
    prompt_tokens: lenientCount(u['prompt_tokens']),
    completion_tokens: lenientCount(u['completion_tokens']),
    prompt_tokens_details: detailsOf(prompt, 'cached_tokens') as OpenAIUsage['prompt_tokens_details'],
    completion_tokens_details: detailsOf(completion, 'reasoning_tokens') as OpenAIUsage['completion_tokens_details'],
  };
}

function lenientCount(value: unknown): number | null | undefined {
  if (value === null) return null;
  return typeof value === 'number' && value >= 0 && Number.isFinite(value) ? value : undefined;
}

function detailsOf(value: unknown, field: string): Record<string, number | null | undefined> | null | undefined {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  return { [field]: lenientCount((value as Record<string, unknown>)[field]) };
}

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
