import { GatewayError } from '../errors/gateway-error.js';
import { toAnthropicErrorBody } from '../errors/to-error-body.js';
import type { StreamPart } from '../types/stream-part.js';
import { formatSseEvent } from './format-sse-event.js';
import { toAnthropicStopReason } from './stop-reasons.js';
import type { AnthropicStreamEncoder } from './stream-encoder.js';
import { toAnthropicUsage } from './to-anthropic-message.js';

export interface AnthropicStreamOptions {
  /** The model name the client sees in `message_start`. */
  readonly model: string;
}

type OpenBlock = { kind: 'text' | 'thinking'; index: number } | { kind: 'tool'; index: number; toolIndex: number };

function event(type: string, data: Record<string, unknown>): string {
  return formatSseEvent(JSON.stringify({ type, ...data }), type);
}

/**
 * A `content_block_delta` event carrying text, most of a stream's events: written from a template,
 * byte for byte what {@link event} writes for it (a property test checks), without two objects and
 * a whole `JSON.stringify` per event.
 */
function textDeltaEvent(index: number, head: '{"type":"text_delta","text":' | '{"type":"thinking_delta","thinking":' | '{"type":"input_json_delta","partial_json":', text: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":${head}${JSON.stringify(text)}}}\n\n`;
}

/**
 * Encodes a neutral stream as Anthropic Messages events: `message_start`, then per content block
 * `content_block_start`, its deltas (`text_delta`, `thinking_delta`, `signature_delta`,
 * `input_json_delta`) and `content_block_stop`, then `message_delta` (stop reason, usage) and
 * `message_stop`. A new block opens whenever the kind of part changes. Anthropic never interleaves
 * blocks; if a provider sends argument fragments for an earlier, already closed tool call, they are
 * still sent under that call's block index so no argument text is lost.
 */
export function createAnthropicStreamEncoder(opts: AnthropicStreamOptions): AnthropicStreamEncoder {
  let started = false;
  let closed = false;
  let nextIndex = 0;
  let open: OpenBlock | undefined;
  let sawToolCall = false;
  /** Provider tool index -> Anthropic content block index. */
  const toolBlocks = new Map<number, number>();

  const closeOpen = (): string => {
    if (open === undefined) return '';
    const out = event('content_block_stop', { index: open.index });
    open = undefined;
    return out;
  };

  const openBlock = (block: OpenBlock, contentBlock: Record<string, unknown>): string => {
    const out = closeOpen() + event('content_block_start', { index: block.index, content_block: contentBlock });
    open = block;
    return out;
  };

  const ensure = (kind: 'text' | 'thinking'): string => {
    if (open?.kind === kind) return '';
    const index = nextIndex++;
    return openBlock({ kind, index }, kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '' });
  };

  const openIndex = (): number => {
    if (open === undefined) throw new GatewayError('gateway_internal', 'A delta has no open content block.');
    return open.index;
  };

  const requireStarted = (part: StreamPart): void => {
    if (!started) throw new GatewayError('gateway_internal', `Stream part '${part.type}' arrived before 'start'.`);
  };

  return {
    encode(part: StreamPart): string {
      if (closed) return '';
      switch (part.type) {
        case 'start':
          if (started) throw new GatewayError('gateway_internal', "A stream emitted 'start' twice.");
          started = true;
          return event('message_start', {
            message: {
              id: part.id,
              type: 'message',
              role: 'assistant',
              model: opts.model,
              content: [],
              stop_reason: null,
              stop_sequence: null,
              usage: toAnthropicUsage(part.usage ?? {}),
            },
          });
        case 'text-delta':
          requireStarted(part);
          if (part.text === '') return '';
          return ensure('text') + textDeltaEvent(openIndex(), '{"type":"text_delta","text":', part.text);
        case 'thinking-delta':
          requireStarted(part);
          if (part.text === '') return '';
          return ensure('thinking') + textDeltaEvent(openIndex(), '{"type":"thinking_delta","thinking":', part.text);
        case 'thinking-signature':
          requireStarted(part);
          return ensure('thinking') + event('content_block_delta', { index: open?.index, delta: { type: 'signature_delta', signature: part.signature } });
        case 'tool-call-start': {
          requireStarted(part);
          if (toolBlocks.has(part.index)) throw new GatewayError('gateway_internal', `Tool call index ${part.index} was announced twice.`);
          sawToolCall = true;
          const index = nextIndex++;
          toolBlocks.set(part.index, index);
          return openBlock({ kind: 'tool', index, toolIndex: part.index }, { type: 'tool_use', id: part.id, name: part.name, input: {} });
        }
        case 'tool-call-delta': {
          requireStarted(part);
          const index = toolBlocks.get(part.index);
          if (index === undefined) throw new GatewayError('gateway_internal', `Tool call delta for unannounced index ${part.index}.`);
          if (part.argumentsDelta === '') return '';
          return textDeltaEvent(index, '{"type":"input_json_delta","partial_json":', part.argumentsDelta);
        }
        case 'finish': {
          requireStarted(part);
          closed = true;
          const stopReason = toAnthropicStopReason(part.stopReason, sawToolCall, part.stopSequence);
          return (
            closeOpen() +
            event('message_delta', {
              delta: { stop_reason: stopReason, stop_sequence: stopReason === 'stop_sequence' ? (part.stopSequence ?? null) : null },
              usage: toAnthropicUsage(part.usage),
            }) +
            event('message_stop', {})
          );
        }
      }
    },
    ping(): string {
      return closed ? '' : event('ping', {});
    },
    error(err: GatewayError): string {
      if (closed) return '';
      closed = true;
      return formatSseEvent(JSON.stringify(toAnthropicErrorBody(err)), 'error');
    },
  };
}
