import { GatewayError } from '../../errors/gateway-error.js';
import type { StopReason, Usage } from '../../types/chat.js';
import type { StreamPart } from '../../types/stream-part.js';
import { classifyStreamError } from '../shared/classify-upstream.js';
import type { SseEvent } from '../shared/sse-decoder.js';
import { isRecord, mapAnthropicStopReason, parseAnthropicUsage } from './parse-anthropic-response.js';

/** Options of {@link anthropicStreamToParts}. */
export interface AnthropicStreamOptions {
  /** Model id attached to errors raised from the stream. */
  readonly model?: string;
  /** Credentials sent upstream, scrubbed from error messages the stream echoes. */
  readonly secrets?: ReadonlyArray<string>;
}

/**
 * Turns the Messages API event stream into neutral stream parts.
 *
 * - `message_start` -> `start` (with the prompt usage known so far).
 * - `content_block_start`/`content_block_delta`: text -> `text-delta`; tool_use -> `tool-call-start`
 *   then `tool-call-delta` per `input_json_delta` (tool indexes count tool blocks from 0, as OpenAI
 *   clients expect, not Anthropic block indexes); thinking -> `thinking-delta`; `signature_delta`
 *   -> `thinking-signature`. Server-tool blocks, citations and redacted thinking have no neutral
 *   stream part and are skipped.
 * - `message_delta` carries the stop reason and the final usage; `message_stop` emits `finish`.
 * - `ping` is ignored; an `error` event throws the classified `GatewayError`.
 * - A stream that ends before `message_stop`, lacks `message_start`, or carries invalid JSON
 *   throws `provider_bad_response`.
 */
export async function* anthropicStreamToParts(
  events: AsyncIterable<SseEvent>,
  options: AnthropicStreamOptions = {},
): AsyncGenerator<StreamPart> {
  const errOpts = { provider: 'anthropic', ...(options.model === undefined ? {} : { model: options.model }) };
  const bad = (message: string): GatewayError => new GatewayError('provider_bad_response', message, errOpts);

  let started = false;
  let usage: Record<string, unknown> = {};
  let stopReason: StopReason = 'stop';
  let stopSequence: string | undefined;
  /** Anthropic block index -> neutral tool-call index. */
  const toolIndexByBlock = new Map<number, number>();

  for await (const ev of events) {
    let payload: unknown;
    try {
      payload = JSON.parse(ev.data);
    } catch (cause) {
      throw new GatewayError('provider_bad_response', 'Anthropic stream carried invalid JSON', Object.assign({}, errOpts, { cause }));
    }
    if (!isRecord(payload)) throw bad('Anthropic stream event is not an object');
    const type = payload['type'] ?? ev.event;

    if (type === 'ping') continue;
    if (type === 'error') {
      throw classifyStreamError({
        provider: 'anthropic',
        payload,
        ...(options.model === undefined ? {} : { model: options.model }),
        ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
      });
    }
    if (type === 'message_start') {
      if (started) throw bad('Anthropic stream sent message_start twice');
      started = true;
      const message = isRecord(payload['message']) ? payload['message'] : {};
      usage = isRecord(message['usage']) ? { ...message['usage'] } : {};
      const initial = parseAnthropicUsage(usage);
      yield {
        type: 'start',
        id: typeof message['id'] === 'string' ? message['id'] : '',
        model: typeof message['model'] === 'string' ? message['model'] : (options.model ?? ''),
        usage: { inputTokens: initial.inputTokens, ...pickCache(initial) },
      };
      continue;
    }
    if (!started) throw bad(`Anthropic stream sent ${String(type)} before message_start`);

    switch (type) {
      case 'content_block_start': {
        const index = blockIndex(payload);
        const block = isRecord(payload['content_block']) ? payload['content_block'] : {};
        if (block['type'] === 'text' && typeof block['text'] === 'string' && block['text'] !== '') {
          yield { type: 'text-delta', text: block['text'] };
        } else if (block['type'] === 'thinking' && typeof block['thinking'] === 'string' && block['thinking'] !== '') {
          yield { type: 'thinking-delta', text: block['thinking'] };
        } else if (block['type'] === 'tool_use') {
          const toolIndex = toolIndexByBlock.size;
          toolIndexByBlock.set(index, toolIndex);
          yield {
            type: 'tool-call-start',
            index: toolIndex,
            id: typeof block['id'] === 'string' ? block['id'] : '',
            name: typeof block['name'] === 'string' ? block['name'] : '',
          };
          // The start block normally carries `input: {}` and the arguments follow as deltas.
          const input = block['input'];
          if (isRecord(input) && Object.keys(input).length > 0) {
            yield { type: 'tool-call-delta', index: toolIndex, argumentsDelta: JSON.stringify(input) };
          }
        }
        break;
      }
      case 'content_block_delta': {
        const delta = isRecord(payload['delta']) ? payload['delta'] : {};
        switch (delta['type']) {
          case 'text_delta':
            if (typeof delta['text'] === 'string' && delta['text'] !== '') yield { type: 'text-delta', text: delta['text'] };
            break;
          case 'thinking_delta':
            if (typeof delta['thinking'] === 'string' && delta['thinking'] !== '') yield { type: 'thinking-delta', text: delta['thinking'] };
            break;
          case 'signature_delta':
            if (typeof delta['signature'] === 'string') yield { type: 'thinking-signature', signature: delta['signature'] };
            break;
          case 'input_json_delta': {
            const toolIndex = toolIndexByBlock.get(blockIndex(payload));
            if (toolIndex === undefined) throw bad('Anthropic stream sent input_json_delta for a block that is not a tool call');
            const partial = delta['partial_json'];
            if (typeof partial === 'string' && partial !== '') yield { type: 'tool-call-delta', index: toolIndex, argumentsDelta: partial };
            break;
          }
          default:
            break;
        }
        break;
      }
      case 'message_delta': {
        const delta = isRecord(payload['delta']) ? payload['delta'] : {};
        if (delta['stop_reason'] !== undefined && delta['stop_reason'] !== null) stopReason = mapAnthropicStopReason(delta['stop_reason']);
        if (typeof delta['stop_sequence'] === 'string') stopSequence = delta['stop_sequence'];
        // message_delta usage is cumulative; fields it omits keep their message_start values.
        if (isRecord(payload['usage'])) {
          for (const [k, v] of Object.entries(payload['usage'])) if (typeof v === 'number') usage[k] = v;
        }
        break;
      }
      case 'message_stop': {
        const final: Usage = parseAnthropicUsage(usage);
        yield { type: 'finish', stopReason, usage: final, ...(stopSequence === undefined ? {} : { stopSequence }) };
        return;
      }
      default:
        // content_block_stop and event types added later carry nothing the neutral stream needs.
        break;
    }
  }
  throw bad(started ? 'Anthropic stream ended before message_stop' : 'Anthropic stream ended before message_start');
}

function blockIndex(payload: Record<string, unknown>): number {
  const index = payload['index'];
  return typeof index === 'number' ? index : -1;
}

function pickCache(usage: Usage): Partial<Usage> {
  const out: { cacheReadTokens?: number; cacheWriteTokens?: number } = {};
  if (usage.cacheReadTokens !== undefined) out.cacheReadTokens = usage.cacheReadTokens;
  if (usage.cacheWriteTokens !== undefined) out.cacheWriteTokens = usage.cacheWriteTokens;
  return out;
}
