import { GatewayError } from '../../errors/gateway-error.js';
import type { StopReason } from '../../types/chat.js';
import type { StreamPart } from '../../types/stream-part.js';
import { classifyStreamError } from '../shared/classify-upstream.js';
import type { SseEvent } from '../shared/sse-decoder.js';
import { geminiToolCallId, isRecord, mapGeminiFinishReason, parseGeminiUsage, readGeminiPart } from './parse-gemini-response.js';

/** Options of {@link geminiStreamToParts}. */
export interface GeminiStreamOptions {
  /** Model reported in `start` when chunks carry no `modelVersion`, and attached to errors. */
  readonly model?: string;
  /** Message id used when chunks carry no `responseId`. */
  readonly fallbackId?: string;
  /** Credentials sent upstream, scrubbed from error messages the stream echoes. */
  readonly secrets?: ReadonlyArray<string>;
}

/**
 * Turns `streamGenerateContent?alt=sse` into neutral stream parts. Every event is a whole
 * `GenerateContentResponse` chunk: the first one yields `start`; text -> `text-delta`, thoughts ->
 * `thinking-delta`, thought signatures -> `thinking-signature` (with the `gemini:` prefix, before the
 * part they belong to), and each function call (Gemini never splits one) -> `tool-call-start` plus
 * one `tool-call-delta` with the whole arguments. `finish` is emitted when the stream ends, with
 * the last `usageMetadata` (usage may arrive after the chunk with `finishReason`).
 *
 * Gemini has no terminal event: a stream that ends without any `finishReason` (or prompt block) was
 * cut off and throws `provider_bad_response`, as do invalid JSON and an empty stream. An `error`
 * object in the stream throws the classified `GatewayError`.
 */
export async function* geminiStreamToParts(events: AsyncIterable<SseEvent>, options: GeminiStreamOptions = {}): AsyncGenerator<StreamPart> {
  const errOpts = { provider: 'gemini', ...(options.model === undefined ? {} : { model: options.model }) };
  let started = false;
  let responseId: string | undefined;
  let calls = 0;
  let finishReason: unknown;
  let finished = false;
  let blocked = false;
  let usageMetadata: unknown;

  for await (const ev of events) {
    let chunk: unknown;
    try {
      chunk = JSON.parse(ev.data);
    } catch (cause) {
      throw new GatewayError('provider_bad_response', 'Gemini stream carried invalid JSON', Object.assign({}, errOpts, { cause }));
    }
    if (Array.isArray(chunk)) chunk = chunk[0];
    if (!isRecord(chunk)) throw new GatewayError('provider_bad_response', 'Gemini stream chunk is not an object', errOpts);
    if (chunk['error'] !== undefined) {
      throw classifyStreamError({
        provider: 'gemini',
        payload: chunk,
        ...(options.model === undefined ? {} : { model: options.model }),
        ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
      });
    }
    if (chunk['usageMetadata'] !== undefined) usageMetadata = chunk['usageMetadata'];

    if (!started) {
      started = true;
      responseId = typeof chunk['responseId'] === 'string' ? chunk['responseId'] : undefined;
      const prompt = isRecord(usageMetadata) ? usageMetadata['promptTokenCount'] : undefined;
      yield {
        type: 'start',
        id: responseId ?? options.fallbackId ?? '',
        model: typeof chunk['modelVersion'] === 'string' ? chunk['modelVersion'] : (options.model ?? ''),
        ...(typeof prompt === 'number' ? { usage: { inputTokens: prompt } } : {}),
      };
    }

    const feedback = chunk['promptFeedback'];
    if (isRecord(feedback) && typeof feedback['blockReason'] === 'string') blocked = true;

    const candidates = Array.isArray(chunk['candidates']) ? chunk['candidates'] : [];
    const candidate = candidates[0];
    if (!isRecord(candidate)) continue;
    const content = candidate['content'];
    const parts = isRecord(content) && Array.isArray(content['parts']) ? content['parts'] : [];
    for (const part of parts) {
      for (const item of readGeminiPart(part)) {
        switch (item.kind) {
          case 'text':
            yield { type: 'text-delta', text: item.text };
            break;
          case 'thought':
            if (item.text !== '') yield { type: 'thinking-delta', text: item.text };
            if (item.signature !== undefined) yield { type: 'thinking-signature', signature: item.signature };
            break;
          case 'signature':
            yield { type: 'thinking-signature', signature: item.signature };
            break;
          case 'call': {
            const index = calls++;
            yield { type: 'tool-call-start', index, id: item.id ?? geminiToolCallId(responseId, index), name: item.name };
            yield { type: 'tool-call-delta', index, argumentsDelta: item.arguments };
            break;
          }
        }
      }
    }
    if (candidate['finishReason'] !== undefined && candidate['finishReason'] !== null) {
      finishReason = candidate['finishReason'];
      finished = true;
    }
  }

  if (!started) throw new GatewayError('provider_bad_response', 'Gemini stream ended without any chunk', errOpts);
  if (!finished && !blocked) throw new GatewayError('provider_bad_response', 'Gemini stream ended before a finishReason', errOpts);
  const stopReason: StopReason = finished ? mapGeminiFinishReason(finishReason, calls > 0) : 'content_filter';
  yield { type: 'finish', stopReason, usage: parseGeminiUsage(usageMetadata) };
}
