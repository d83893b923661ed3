import { convertToAnthropicRequest } from '../providers/anthropic/convert-to-anthropic-request.js';
import { anthropicStreamToParts } from '../providers/anthropic/anthropic-stream-to-parts.js';
import { parseAnthropicResponse } from '../providers/anthropic/parse-anthropic-response.js';
import { convertToGeminiRequest } from '../providers/gemini/convert-to-gemini-request.js';
import { geminiStreamToParts } from '../providers/gemini/gemini-stream-to-parts.js';
import { parseGeminiResponse } from '../providers/gemini/parse-gemini-response.js';
import { convertToOpenAIChatRequest } from '../providers/shared/openai-compatible/convert-to-openai-chat-request.js';
import { openAIStreamToParts } from '../providers/shared/openai-compatible/openai-stream-to-parts.js';
import { parseOpenAIChatResponse } from '../providers/shared/openai-compatible/parse-openai-chat-response.js';
import { decodeSse } from '../providers/shared/sse-decoder.js';
import { parseAnthropicMessagesRequest } from '../request/parse-anthropic-messages-request.js';
import { parseOpenAIChatRequest } from '../request/parse-openai-chat-request.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { StreamPart } from '../types/stream-part.js';
import { createAnthropicStreamEncoder } from '../wire/anthropic-stream-encoder.js';
import { createOpenAIStreamEncoder } from '../wire/openai-stream-encoder.js';
import { toAnthropicMessage } from '../wire/to-anthropic-message.js';
import { toOpenAIChatCompletion } from '../wire/to-openai-chat-completion.js';

// Answers shaped like each provider's documented examples. They are parsed and re-encoded here
// only so that the translation code is compiled before the first real answer; nothing built from
// them is ever sent to a client or an upstream.
const TEXT = ['The answer', ' has three', ' short parts.'];
const OPENAI_ANSWER = {
  id: 'chatcmpl-warm-up',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: TEXT.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 24, completion_tokens: 9, total_tokens: 33, prompt_tokens_details: { cached_tokens: 0 } },
};
const ANTHROPIC_ANSWER = {
  id: 'msg_warm_up',
  type: 'message',
  role: 'assistant',
  model: 'claude-3-5-haiku-latest',
  content: [{ type: 'text', text: TEXT.join('') }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 24, output_tokens: 9 },
};
const GEMINI_ANSWER = {
  candidates: [{ content: { parts: [{ text: TEXT.join('') }], role: 'model' }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 24, candidatesTokenCount: 9, totalTokenCount: 33 },
  modelVersion: 'gemini-2.0-flash',
  responseId: 'warm-up',
};

const sse = (events: ReadonlyArray<{ event?: string; data: unknown }>): string =>
  events.map((e) => `${e.event === undefined ? '' : `event: ${e.event}\n`}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`).join('');

const openAIChunk = (delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> => ({
  id: 'chatcmpl-warm-up',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
});
const OPENAI_STREAM = sse([
  { data: openAIChunk({ role: 'assistant', content: '' }) },
  ...TEXT.map((text) => ({ data: openAIChunk({ content: text }) })),
  { data: openAIChunk({}, 'stop') },
  { data: { ...openAIChunk({}), choices: [], usage: OPENAI_ANSWER.usage } },
  { data: '[DONE]' },
]);
const ANTHROPIC_STREAM = sse([
  { event: 'message_start', data: { type: 'message_start', message: { ...ANTHROPIC_ANSWER, content: [], stop_reason: null, usage: { input_tokens: 24, output_tokens: 1 } } } },
  { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
  { event: 'ping', data: { type: 'ping' } },
  ...TEXT.map((text) => ({ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } } })),
  { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
  { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } } },
  { event: 'message_stop', data: { type: 'message_stop' } },
]);
const GEMINI_STREAM = sse(
  TEXT.map((text, i) => ({
    data: {
      candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0, ...(i === TEXT.length - 1 ? { finishReason: 'STOP' } : {}) }],
      ...(i === TEXT.length - 1 ? { usageMetadata: GEMINI_ANSWER.usageMetadata } : {}),
      modelVersion: GEMINI_ANSWER.modelVersion,
      responseId: GEMINI_ANSWER.responseId,
    },
  })),
);

/** A body as undici delivers it: bytes, cut mid-event so the decoder's carry-over path runs too. */
async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  const all = new TextEncoder().encode(text);
  const cut = Math.floor(all.length / 3);
  yield all.subarray(0, cut);
  yield all.subarray(cut, 2 * cut);
  yield all.subarray(2 * cut);
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

/** What {@link warmUpWire} did, for the start-up log. */
export interface WireWarmUp {
  readonly rounds: number;
  /** Stream parts decoded and re-encoded, over all rounds. */
  readonly streamParts: number;
}

/**
 * Compiles the translation code a request runs after routing, before real traffic arrives: both
 * client request parsers, every provider's request conversion, answer parsing and stream decoding
 * (over in-memory bytes), and both client encodings of answers and streams. Routing is warmed
 * apart ({@link warmUp}); the HTTP layers by {@link warmUpHttp}. A failure in one round ends the
 * warm-up early and is returned, never thrown: a gateway that cannot warm up still serves.
 */
export async function warmUpWire(rounds: number): Promise<WireWarmUp & { readonly error?: Error }> {
  let streamParts = 0;
  let done = 0;
  try {
    for (let i = 0; i < rounds; i++) {
      const prompt = `Give me three short facts about warm-up round ${i}.`;
      const openai = parseOpenAIChatRequest(
        JSON.parse(JSON.stringify({ model: 'auto', max_tokens: 256, stream: i % 2 === 0, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: prompt }] })),
      );
      const anthropic = parseAnthropicMessagesRequest(
        JSON.parse(JSON.stringify({ model: 'auto', max_tokens: 256, stream: i % 2 === 1, system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }] })),
      );
      for (const req of [openai, anthropic]) convertRequests(req);
      const answers: ChatResponse[] = [
        parseOpenAIChatResponse(JSON.parse(JSON.stringify(OPENAI_ANSWER)), { provider: 'openai', model: 'gpt-4o-mini' }),
        parseAnthropicResponse(JSON.parse(JSON.stringify(ANTHROPIC_ANSWER))),
        parseGeminiResponse(JSON.parse(JSON.stringify(GEMINI_ANSWER))),
      ];
      for (const answer of answers) {
        JSON.stringify(toOpenAIChatCompletion(answer, { model: answer.model, created: answer.created ?? 1_700_000_000 }));
        JSON.stringify(toAnthropicMessage(answer, { model: answer.model }));
      }
      const streams: Array<AsyncIterable<StreamPart>> = [
        openAIStreamToParts(decodeSse(bytes(OPENAI_STREAM)), { provider: 'openai', model: 'gpt-4o-mini' }),
        anthropicStreamToParts(decodeSse(bytes(ANTHROPIC_STREAM))),
        geminiStreamToParts(decodeSse(bytes(GEMINI_STREAM))),
      ];
      for (const stream of streams) {
        const parts = await collect(stream);
        const toOpenAI = createOpenAIStreamEncoder({ model: 'auto', created: 1_700_000_000, includeUsage: i % 2 === 0 });
        const toAnthropic = createAnthropicStreamEncoder({ model: 'auto' });
        toAnthropic.ping();
        for (const part of parts) {
          toOpenAI.encode(part);
          toAnthropic.encode(part);
        }
        streamParts += parts.length;
      }
      done++;
    }
  } catch (err) {
    return { rounds: done, streamParts, error: err instanceof Error ? err : new Error(String(err)) };
  }
  return { rounds: done, streamParts };
}

function convertRequests(req: ChatRequest): void {
  JSON.stringify(convertToOpenAIChatRequest(req, 'gpt-4o-mini'));
  JSON.stringify(convertToAnthropicRequest(req, 'claude-3-5-haiku-latest'));
  JSON.stringify(convertToGeminiRequest(req, 'gemini-2.0-flash'));
}
