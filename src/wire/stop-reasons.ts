import type { StopReason } from '../types/chat.js';

/** The `finish_reason` values OpenAI clients understand. */
export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** The `stop_reason` values Anthropic clients understand. */
export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal';

/**
 * Maps a neutral stop reason to OpenAI's. `refusal` becomes `content_filter` (the only refusal-like
 * value); `pause` (Anthropic `pause_turn`) becomes `length`, because like a truncation it tells the
 * client the turn is incomplete and should be continued; `error` becomes `stop`. A turn that made
 * tool calls but reports a plain stop (Gemini does) is reported as `tool_calls`, which agent loops test.
 */
export function toOpenAIFinishReason(reason: StopReason, hasToolCalls: boolean): OpenAIFinishReason {
  switch (reason) {
    case 'stop':
    case 'error':
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'length':
    case 'pause':
      return 'length';
    case 'tool_calls':
      return 'tool_calls';
    case 'content_filter':
    case 'refusal':
      return 'content_filter';
  }
}

/**
 * Maps a neutral stop reason to Anthropic's. `stop` is `stop_sequence` when a matched stop sequence
 * is known, else `end_turn` (or `tool_use` when the turn made tool calls); `content_filter` is `refusal`.
 */
export function toAnthropicStopReason(reason: StopReason, hasToolCalls: boolean, stopSequence: string | undefined): AnthropicStopReason {
  switch (reason) {
    case 'stop':
      if (stopSequence !== undefined) return 'stop_sequence';
      return hasToolCalls ? 'tool_use' : 'end_turn';
    case 'error':
      return hasToolCalls ? 'tool_use' : 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
    case 'refusal':
      return 'refusal';
    case 'pause':
      return 'pause_turn';
  }
}
