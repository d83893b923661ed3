import type { ChatResponse, Usage } from '../types/chat.js';
import type { AnthropicContentBlock, AnthropicMessage, AnthropicUsage } from './anthropic-types.js';
import { toAnthropicStopReason } from './stop-reasons.js';

export interface AnthropicResponseOptions {
  /** The model name the client sees. */
  readonly model: string;
}

/**
 * Anthropic's usage block from the neutral one. Neutral `inputTokens` include cache reads and
 * writes; Anthropic reports them separately, so they are subtracted from `input_tokens`.
 */
export function toAnthropicUsage(usage: Partial<Usage>): AnthropicUsage {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage.inputTokens ?? 0) - cacheRead - cacheWrite),
    output_tokens: usage.outputTokens ?? 0,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

/**
 * A tool call's argument text as the `input` object Anthropic requires. Empty arguments are `{}`;
 * text that is not a JSON object (a model can emit broken JSON) also becomes `{}`, because clients
 * index into `input` and a non-object would crash them; the tool then reports missing arguments,
 * which the model can recover from.
 */
export function parseToolInput(args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(args);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Writes a neutral response as an Anthropic `message`. */
export function toAnthropicMessage(resp: ChatResponse, opts: AnthropicResponseOptions): AnthropicMessage {
  const content: AnthropicContentBlock[] = [];
  let hasToolCalls = false;
  for (const part of resp.content) {
    switch (part.type) {
      case 'text':
        if (part.text !== '') content.push({ type: 'text', text: part.text });
        break;
      case 'thinking':
        if (part.redactedData !== undefined) content.push({ type: 'redacted_thinking', data: part.redactedData });
        else content.push({ type: 'thinking', thinking: part.text, signature: part.signature ?? '' });
        break;
      case 'tool_call':
        hasToolCalls = true;
        content.push({ type: 'tool_use', id: part.id, name: part.name, input: parseToolInput(part.arguments) });
        break;
    }
  }
  const stopReason = toAnthropicStopReason(resp.stopReason, hasToolCalls, resp.stopSequence);
  return {
    id: resp.id,
    type: 'message',
    role: 'assistant',
    model: opts.model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === 'stop_sequence' ? (resp.stopSequence ?? null) : null,
    usage: toAnthropicUsage(resp.usage),
  };
}
