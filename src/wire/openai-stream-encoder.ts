import { GatewayError } from '../errors/gateway-error.js';
import { toOpenAIErrorBody } from '../errors/to-error-body.js';
import type { StreamPart } from '../types/stream-part.js';
import { formatSseEvent } from './format-sse-event.js';
import type { OpenAIChatCompletionChunk, OpenAIChunkDelta } from './openai-types.js';
import { type OpenAIFinishReason, toOpenAIFinishReason } from './stop-reasons.js';
import type { StreamEncoder } from './stream-encoder.js';
import { toOpenAIUsage } from './to-openai-chat-completion.js';

export interface OpenAIStreamOptions {
  /** The model name the client sees in every chunk. */
  readonly model: string;
  /** Unix seconds; the same on every chunk, as OpenAI does. */
  readonly created: number;
  /** `stream_options.include_usage`: `usage: null` on every chunk, then a usage-only chunk before `[DONE]`. */
  readonly includeUsage: boolean;
}

const DONE = 'data: [DONE]\n\n';

/**
 * Encodes a neutral stream as OpenAI `chat.completion.chunk` events: a role chunk first, then
 * content / `reasoning_content` / `tool_calls` deltas (a tool call's first delta carries its index,
 * id and name, later ones argument fragments), a `finish_reason` chunk, the usage chunk when asked
 * for, and `data: [DONE]`. Tool-call indexes are renumbered densely from 0 in announcement order,
 * whatever numbering the provider used; thinking signatures have no OpenAI form and are dropped.
 */
export function createOpenAIStreamEncoder(opts: OpenAIStreamOptions): StreamEncoder {
  let id: string | undefined;
  let closed = false;
  /** Provider tool index -> OpenAI tool index. */
  const toolIndexes = new Map<number, number>();
  /** Per OpenAI tool index: whether any argument text was sent. */
  const toolHasArguments: boolean[] = [];

  const chunk = (delta: OpenAIChunkDelta, finishReason: OpenAIFinishReason | null = null): string => {
    const body: OpenAIChatCompletionChunk = {
      id: id ?? '',
      object: 'chat.completion.chunk',
      created: opts.created,
      model: opts.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    if (opts.includeUsage) body.usage = null;
    return formatSseEvent(JSON.stringify(body));
  };

  // Content and reasoning deltas are most of a stream: written from a template whose constant
  // head is built once, byte for byte what `chunk` writes (a property test checks), without an
  // object and a whole `JSON.stringify` per event.
  let deltaHead: string | undefined;
  const deltaTail = `,"logprobs":null,"finish_reason":null}]${opts.includeUsage ? ',"usage":null' : ''}}\n\n`;
  const textChunk = (key: '{"content":' | '{"reasoning_content":', text: string): string => {
    deltaHead ??= `data: {"id":${JSON.stringify(id ?? '')},"object":"chat.completion.chunk","created":${JSON.stringify(opts.created)},"model":${JSON.stringify(opts.model)},"choices":[{"index":0,"delta":`;
    return `${deltaHead}${key}${JSON.stringify(text)}}${deltaTail}`;
  };

  const requireStarted = (part: StreamPart): void => {
    if (id === undefined) {
      throw new GatewayError('gateway_internal', `Stream part '${part.type}' arrived before 'start'.`);
    }
  };

  return {
    encode(part: StreamPart): string {
      if (closed) return '';
      switch (part.type) {
        case 'start':
          if (id !== undefined) throw new GatewayError('gateway_internal', "A stream emitted 'start' twice.");
          id = part.id;
          return chunk({ role: 'assistant', content: '' });
        case 'text-delta':
          requireStarted(part);
          return part.text === '' ? '' : textChunk('{"content":', part.text);
        case 'thinking-delta':
          requireStarted(part);
          return part.text === '' ? '' : textChunk('{"reasoning_content":', part.text);
        case 'thinking-signature':
          requireStarted(part);
          return '';
        case 'tool-call-start': {
          requireStarted(part);
          if (toolIndexes.has(part.index)) throw new GatewayError('gateway_internal', `Tool call index ${part.index} was announced twice.`);
          const index = toolIndexes.size;
          toolIndexes.set(part.index, index);
          toolHasArguments.push(false);
          return chunk({ tool_calls: [{ index, id: part.id, type: 'function', function: { name: part.name, arguments: '' } }] });
        }
        case 'tool-call-delta': {
          requireStarted(part);
          const index = toolIndexes.get(part.index);
          if (index === undefined) throw new GatewayError('gateway_internal', `Tool call delta for unannounced index ${part.index}.`);
          if (part.argumentsDelta === '') return '';
          toolHasArguments[index] = true;
          return chunk({ tool_calls: [{ index, function: { arguments: part.argumentsDelta } }] });
        }
        case 'finish': {
          requireStarted(part);
          closed = true;
          let out = '';
          // Clients JSON.parse the accumulated arguments; a call that streamed none gets `{}`.
          toolHasArguments.forEach((has, index) => {
            if (!has) out += chunk({ tool_calls: [{ index, function: { arguments: '{}' } }] });
          });
          out += chunk({}, toOpenAIFinishReason(part.stopReason, toolIndexes.size > 0));
          if (opts.includeUsage) {
            const usageChunk: OpenAIChatCompletionChunk = {
              id: id ?? '',
              object: 'chat.completion.chunk',
              created: opts.created,
              model: opts.model,
              choices: [],
              usage: toOpenAIUsage(part.usage),
            };
            out += formatSseEvent(JSON.stringify(usageChunk));
          }
          return out + DONE;
        }
      }
    },
    error(err: GatewayError): string {
      if (closed) return '';
      closed = true;
      // No [DONE] after it: a stream that ends without one reads as incomplete, which it is.
      return formatSseEvent(JSON.stringify(toOpenAIErrorBody(err)));
    },
  };
}
