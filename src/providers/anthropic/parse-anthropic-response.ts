import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatResponse, StopReason, TextPart, ThinkingPart, ToolCallPart, Usage } from '../../types/chat.js';

type Json = Record<string, unknown>;

/** Narrowing helper for untrusted JSON. */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Maps Anthropic's `stop_reason`. `model_context_window_exceeded` is a length stop; an absent
 * or unknown reason is treated as a normal stop (the message was delivered whole).
 */
export function mapAnthropicStopReason(reason: unknown): StopReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'refusal';
    case 'pause_turn':
      return 'pause';
    default:
      return 'stop';
  }
}

/**
 * Normalises Anthropic's usage block. `inputTokens` is the whole prompt (Anthropic's
 * `input_tokens` excludes cache reads and writes; the neutral usage counts them in, as OpenAI's
 * `prompt_tokens` does), with the cached parts also reported on their own.
 */
export function parseAnthropicUsage(usage: unknown): Usage {
  const u = isRecord(usage) ? usage : {};
  const cacheRead = count(u['cache_read_input_tokens']);
  const cacheWrite = count(u['cache_creation_input_tokens']);
  return {
    inputTokens: count(u['input_tokens']) + cacheRead + cacheWrite,
    outputTokens: count(u['output_tokens']),
    ...(cacheRead > 0 ? { cacheReadTokens: cacheRead } : {}),
    ...(cacheWrite > 0 ? { cacheWriteTokens: cacheWrite } : {}),
  };
}

/**
 * Parses a non-streamed Messages API response. Lenient about what it does not need (unknown
 * block types such as server tool results are skipped), strict about what it does: a body that
 * is not a `message` object with a `content` array is `provider_bad_response`.
 * `redacted_thinking` becomes a thinking part with empty text and `redactedData`.
 */
export function parseAnthropicResponse(json: unknown): ChatResponse {
  if (!isRecord(json) || !Array.isArray(json['content'])) {
    throw new GatewayError('provider_bad_response', 'Anthropic response has no content array', { provider: 'anthropic' });
  }
  const content: Array<TextPart | ToolCallPart | ThinkingPart> = [];
  for (const block of json['content']) {
    const part = parseBlock(block);
    if (part !== undefined) content.push(part);
  }
  const stopSequence = str(json['stop_sequence']);
  return {
    id: str(json['id']) ?? '',
    model: str(json['model']) ?? '',
    content,
    stopReason: mapAnthropicStopReason(json['stop_reason']),
    ...(stopSequence === undefined ? {} : { stopSequence }),
    usage: parseAnthropicUsage(json['usage']),
  };
}

function parseBlock(block: unknown): TextPart | ToolCallPart | ThinkingPart | undefined {
  if (!isRecord(block)) return undefined;
  switch (block['type']) {
    case 'text':
      return { type: 'text', text: str(block['text']) ?? '' };
    case 'tool_use':
      return {
        type: 'tool_call',
        id: str(block['id']) ?? '',
        name: str(block['name']) ?? '',
        arguments: JSON.stringify(block['input'] ?? {}),
      };
    case 'thinking': {
      const signature = str(block['signature']);
      return { type: 'thinking', text: str(block['thinking']) ?? '', ...(signature === undefined ? {} : { signature }) };
    }
    case 'redacted_thinking':
      return { type: 'thinking', text: '', redactedData: str(block['data']) ?? '' };
    default:
      return undefined;
  }
}
