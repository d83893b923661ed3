import { GatewayError } from '../../../errors/gateway-error.js';
import type { StreamPart } from '../../../types/stream-part.js';
import { classifyStreamError } from '../classify-upstream.js';
import type { SseEvent } from '../sse-decoder.js';
import { mapOpenAIFinishReason, mapOpenAIUsage, readOpenAIUsage, type OpenAIUsage } from './openai-usage.js';
import type { OpenAIParseContext } from './parse-openai-chat-response.js';

interface ToolCallState {
  /** Our index, assigned when the call is announced (in announcement order). */
  outIndex: number;
  id: string | undefined;
  name: string | undefined;
  announced: boolean;
  /** Argument text received before the call's name was known. */
  pending: string;
}

/**
 * Turns an OpenAI chat-completions SSE stream into neutral stream parts. The first chunk yields
 * `start` (whatever it carries); `content`, `reasoning`/`reasoning_content` and `refusal` deltas
 * yield text/thinking deltas; `tool_calls` deltas are tracked by their upstream index (a new `id`
 * at a known index starts a new call, as some compatible servers reuse index 0) and announced
 * once their name is known; `finish_reason` and the trailing usage chunk are held until `[DONE]`
 * (or a clean end after a finish reason), then `finish` is yielded. An `error` payload throws
 * the classified `GatewayError`; unparseable data, or an end with neither `[DONE]` nor a finish
 * reason, throws `provider_bad_response`. Only choice 0 is read.
 */
export async function* openAIStreamToParts(
  events: AsyncIterable<SseEvent>,
  context: OpenAIParseContext = { provider: 'openai', model: '' },
): AsyncGenerator<StreamPart> {
  const bad = (message: string): GatewayError =>
    new GatewayError('provider_bad_response', `${context.provider} stream: ${message}`, { provider: context.provider, model: context.model });

  let started = false;
  let done = false;
  let finishReason: string | undefined;
  let refused = false;
  let usage: OpenAIUsage | undefined;
  const tools = new Map<number, ToolCallState>();
  let nextToolIndex = 0;

  for await (const ev of events) {
    const data = ev.data.trim();
    if (data === '[DONE]') {
      done = true;
      break;
    }
    if (data === '') continue;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw bad(`unparseable event data: ${data.slice(0, 80)}`);
    }
    if (!isRecord(chunk)) throw bad('event data is not an object');
    if (ev.event === 'error' || (chunk['error'] !== undefined && chunk['error'] !== null)) {
      throw classifyStreamError({ provider: context.provider, payload: chunk, model: context.model });
    }
    const choices = chunk['choices'];
    if (!started) {
      // Azure opens with a `prompt_filter_results` chunk that has no choices, id or model.
      if (Array.isArray(choices) && choices.length === 0 && !isRecord(chunk['usage'])) continue;
      started = true;
      yield { type: 'start', id: str(chunk['id']) ?? '', model: str(chunk['model']) || context.model };
    }
    if (isRecord(chunk['usage'])) usage = readOpenAIUsage(chunk['usage']) ?? usage;
    if (!Array.isArray(choices)) continue;
    const choice: unknown = choices.find((c) => isRecord(c) && (c['index'] === undefined || c['index'] === 0)) ?? choices[0];
    if (!isRecord(choice)) continue;
    const delta = choice['delta'];
    if (isRecord(delta)) {
      const reasoning = str(delta['reasoning']) ?? str(delta['reasoning_content']);
      if (reasoning) yield { type: 'thinking-delta', text: reasoning };
      const content = str(delta['content']);
      if (content) yield { type: 'text-delta', text: content };
      const refusal = str(delta['refusal']);
      if (refusal) {
        refused = true;
        yield { type: 'text-delta', text: refusal };
      }
      const toolCalls = delta['tool_calls'];
      if (Array.isArray(toolCalls)) {
        for (let i = 0; i < toolCalls.length; i++) {
          const call: unknown = toolCalls[i];
          if (!isRecord(call)) continue;
          const upstreamIndex = typeof call['index'] === 'number' ? call['index'] : i;
          const id = str(call['id']);
          const fn = isRecord(call['function']) ? call['function'] : {};
          const name = str(fn['name']);
          const args = str(fn['arguments']) ?? '';
          let state = tools.get(upstreamIndex);
          if (state === undefined || (id !== undefined && state.id !== undefined && id !== state.id)) {
            state = { outIndex: -1, id: undefined, name: undefined, announced: false, pending: '' };
            tools.set(upstreamIndex, state);
          }
          if (id !== undefined) state.id ??= id;
          if (name) state.name ??= name;
          if (!state.announced && state.name !== undefined) {
            state.announced = true;
            state.outIndex = nextToolIndex++;
            yield { type: 'tool-call-start', index: state.outIndex, id: state.id ?? `call_${state.outIndex}`, name: state.name };
            if (state.pending !== '') {
              yield { type: 'tool-call-delta', index: state.outIndex, argumentsDelta: state.pending };
              state.pending = '';
            }
          }
          if (args !== '') {
            if (state.announced) yield { type: 'tool-call-delta', index: state.outIndex, argumentsDelta: args };
            else state.pending += args;
          }
        }
      }
    }
    const reason = str(choice['finish_reason']);
    if (reason !== undefined) finishReason = reason;
  }

  if (!started) throw bad(done ? 'stream finished without any chunk' : 'stream ended without any chunk');
  if (!done && finishReason === undefined) throw bad('stream ended before its finish reason or [DONE]');
  const announced = nextToolIndex > 0;
  yield {
    type: 'finish',
    stopReason: refused ? 'refusal' : mapOpenAIFinishReason(finishReason, announced),
    usage: mapOpenAIUsage(usage),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
