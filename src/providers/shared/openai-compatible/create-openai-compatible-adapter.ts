import type { ChatRequest, ChatResponse } from '../../../types/chat.js';
import type { ProviderId } from '../../../types/provider-id.js';
import type { StreamPart } from '../../../types/stream-part.js';
import type { ProviderAdapter, ProviderCallOptions } from '../../provider-adapter.js';
import { postUpstream } from '../post-upstream.js';
import type { HttpClient, HttpResponse } from '../http-client.js';
import { decodeSse } from '../sse-decoder.js';
import { openAIStreamToParts } from './openai-stream-to-parts.js';
import { parseOpenAIChatResponse } from './parse-openai-chat-response.js';

/** What differs between OpenAI-compatible providers. */
export interface OpenAICompatibleAdapterConfig {
  readonly providerId: ProviderId;
  /** Without trailing slash handling concerns: a trailing `/` is removed. */
  readonly baseUrl: string;
  readonly httpClient: HttpClient;
  /** Headers sent on every call (attribution, organisation); per-call headers override them. */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  /** Builds the request body (already including `model` and `stream`). */
  buildBody(req: ChatRequest, options: ProviderCallOptions): Record<string, unknown>;
  /** Clock for HTTP-date `Retry-After` (tests inject one). */
  readonly nowMs?: () => number;
}

/**
 * A {@link ProviderAdapter} for any `/chat/completions` endpoint: posts the body from
 * `buildBody`, classifies non-2xx answers, parses JSON answers and SSE streams. A stream request
 * answered with JSON (some compatible servers ignore `stream`) is replayed as stream parts.
 */
export function createOpenAICompatibleAdapter(config: OpenAICompatibleAdapterConfig): ProviderAdapter {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const provider = config.providerId;
  const now = config.nowMs ?? Date.now;

  function post(req: ChatRequest, options: ProviderCallOptions, stream: boolean): Promise<HttpResponse> {
    // Assigned into one object, not spread into a literal (see eslint.config.js): the defaults,
    // then the call's headers, then ours.
    const headers: Record<string, string> = {};
    assignLowerCaseKeys(headers, config.defaultHeaders);
    assignLowerCaseKeys(headers, options.headers);
    headers['authorization'] = `Bearer ${options.credential.token}`;
    headers['content-type'] = 'application/json';
    headers['accept'] = stream ? 'text/event-stream' : 'application/json';
    return postUpstream(config.httpClient, {
      url,
      headers,
      body: JSON.stringify(config.buildBody(Object.assign({}, req, { stream }), options)),
      provider,
      model: options.model,
      secrets: [options.credential.token],
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      nowMs: now,
    });
  }

  return {
    specificationVersion: 1,
    providerId: provider,
    async doGenerate(req: ChatRequest, options: ProviderCallOptions): Promise<ChatResponse> {
      const res = await post(req, options, false);
      return parseOpenAIChatResponse(await res.json(), { provider, model: options.model });
    },
    async doStream(req: ChatRequest, options: ProviderCallOptions): Promise<AsyncIterable<StreamPart>> {
      const res = await post(req, options, true);
      const context = { provider, model: options.model };
      if ((res.headers['content-type'] ?? '').includes('application/json')) {
        return fromArray(responseToParts(parseOpenAIChatResponse(await res.json(), context)));
      }
      return openAIStreamToParts(decodeSse(res.body), context);
    },
  };
}

/** Replays a complete answer as the stream parts that would have produced it. */
export function responseToParts(response: ChatResponse): StreamPart[] {
  const parts: StreamPart[] = [{ type: 'start', id: response.id, model: response.model }];
  let toolIndex = 0;
  for (const part of response.content) {
    if (part.type === 'text') parts.push({ type: 'text-delta', text: part.text });
    else if (part.type === 'thinking') {
      parts.push({ type: 'thinking-delta', text: part.text });
      if (part.signature !== undefined) parts.push({ type: 'thinking-signature', signature: part.signature });
    } else {
      const index = toolIndex++;
      parts.push({ type: 'tool-call-start', index, id: part.id, name: part.name });
      if (part.arguments !== '') parts.push({ type: 'tool-call-delta', index, argumentsDelta: part.arguments });
    }
  }
  parts.push({
    type: 'finish',
    stopReason: response.stopReason,
    usage: response.usage,
    ...(response.stopSequence === undefined ? {} : { stopSequence: response.stopSequence }),
  });
  return parts;
}

async function* fromArray<T>(items: ReadonlyArray<T>): AsyncGenerator<T> {
  yield* items;
}

function assignLowerCaseKeys(out: Record<string, string>, headers: Readonly<Record<string, string>> | undefined): void {
  if (headers === undefined) return;
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
}
