import type { ChatResponse, Usage } from '../types/chat.js';
import type { OpenAIChatCompletion, OpenAIChatCompletionMessage, OpenAIToolCall, OpenAIUsage } from './openai-types.js';
import { toOpenAIFinishReason } from './stop-reasons.js';

/** Options fixing what the client sees: the model name it asked for, and the creation time. */
export interface OpenAIResponseOptions {
  readonly model: string;
  /** Unix seconds. */
  readonly created: number;
}

/** OpenAI's usage block from the neutral one (whose `inputTokens` already include cache reads). */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}

/** Tool arguments as OpenAI clients `JSON.parse` them: a call without arguments is `{}`, not `''`. */
export function normalizeToolArguments(args: string): string {
  return args.trim() === '' ? '{}' : args;
}

/**
 * Writes a neutral response as an OpenAI `chat.completion`. Text parts are concatenated into
 * `content` (null when there is none); thinking goes to `reasoning_content` (signatures and
 * redacted thinking cannot be expressed in this dialect and are dropped).
 */
export function toOpenAIChatCompletion(resp: ChatResponse, opts: OpenAIResponseOptions): OpenAIChatCompletion {
  let text = '';
  let hasText = false;
  let reasoning = '';
  const toolCalls: OpenAIToolCall[] = [];
  for (const part of resp.content) {
    if (part.type === 'text') {
      text += part.text;
      hasText = true;
    } else if (part.type === 'thinking') {
      reasoning += part.text;
    } else {
      toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: normalizeToolArguments(part.arguments) } });
    }
  }
  const message: OpenAIChatCompletionMessage = { role: 'assistant', content: hasText ? text : null, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  return {
    id: resp.id,
    object: 'chat.completion',
    created: opts.created,
    model: opts.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: toOpenAIFinishReason(resp.stopReason, toolCalls.length > 0) }],
    usage: toOpenAIUsage(resp.usage),
  };
}
