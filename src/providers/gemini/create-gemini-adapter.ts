import { randomUUID } from 'node:crypto';
import type { ChatRequest, ChatResponse } from '../../types/chat.js';
import type { StreamPart } from '../../types/stream-part.js';
import type { ProviderAdapter, ProviderCallOptions } from '../provider-adapter.js';
import { postUpstream } from '../shared/post-upstream.js';
import { readTokenCount } from '../shared/read-token-count.js';
import type { HttpClient, HttpResponse } from '../shared/http-client.js';
import { decodeSse } from '../shared/sse-decoder.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { geminiStreamToParts } from './gemini-stream-to-parts.js';
import { parseGeminiResponse } from './parse-gemini-response.js';

/** Options of {@link createGeminiAdapter}. */
export interface GeminiAdapterOptions {
  /** Defaults to `https://generativelanguage.googleapis.com`; a trailing slash is ignored. */
  readonly baseUrl?: string;
  readonly httpClient: HttpClient;
  /** Clock for HTTP-date `Retry-After` (tests inject one). */
  readonly nowMs?: () => number;
  /** API version path segment; defaults to `v1beta` (thinking and function-calling fields live there). */
  readonly apiVersion?: string;
  /** Id for responses without `responseId`; defaults to a random `gemini-<uuid>`. */
  readonly generateId?: () => string;
}

/**
 * The Gemini API adapter: `POST {baseUrl}/{v}/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse`, and `:countTokens` for token counts. An `api_key` credential goes in `x-goog-api-key` (never in the
 * URL, so it cannot leak into access logs); an `oauth` one as `Authorization: Bearer`.
 */
export function createGeminiAdapter(options: GeminiAdapterOptions): ProviderAdapter {
  const baseUrl = (options.baseUrl ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '');
  const apiVersion = options.apiVersion ?? 'v1beta';
  const now = options.nowMs ?? Date.now;
  const generateId = options.generateId ?? ((): string => `gemini-${randomUUID()}`);

  // Callers may pass `models/x` (as Google's own APIs name models); the prefix is not doubled.
  const nameOf = (model: string): string => (model.startsWith('models/') ? model.slice('models/'.length) : model);

  function urlFor(model: string, method: 'generate' | 'stream' | 'count'): string {
    const path = `${baseUrl}/${apiVersion}/models/${encodeURIComponent(nameOf(model))}`;
    return method === 'stream' ? `${path}:streamGenerateContent?alt=sse` : method === 'count' ? `${path}:countTokens` : `${path}:generateContent`;
  }

  function headersFor(call: ProviderCallOptions, stream: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    // Caller headers first, so they can never replace the credential or protocol headers.
    for (const [k, v] of Object.entries(call.headers ?? {})) headers[k.toLowerCase()] = v;
    headers['content-type'] = 'application/json';
    headers['accept'] = stream ? 'text/event-stream' : 'application/json';
    if (call.credential.kind === 'oauth') {
      headers['authorization'] = `Bearer ${call.credential.token}`;
      delete headers['x-goog-api-key'];
    } else {
      headers['x-goog-api-key'] = call.credential.token;
      delete headers['authorization'];
    }
    return headers;
  }

  function send(req: ChatRequest, call: ProviderCallOptions, stream: boolean): Promise<HttpResponse> {
    return postUpstream(options.httpClient, {
      url: urlFor(call.model, stream ? 'stream' : 'generate'),
      headers: headersFor(call, stream),
      body: JSON.stringify(convertToGeminiRequest(req, call.model)),
      provider: 'gemini',
      model: call.model,
      secrets: [call.credential.token],
      ...(call.signal === undefined ? {} : { signal: call.signal }),
      nowMs: now,
    });
  }

  return {
    specificationVersion: 1,
    providerId: 'gemini',
    async doGenerate(req: ChatRequest, call: ProviderCallOptions): Promise<ChatResponse> {
      const res = await send(req, call, false);
      return parseGeminiResponse(await res.json(), { id: generateId(), model: call.model });
    },
    async doStream(req: ChatRequest, call: ProviderCallOptions): Promise<AsyncIterable<StreamPart>> {
      const res = await send(req, call, true);
      return geminiStreamToParts(decodeSse(res.body), {
        model: call.model,
        fallbackId: generateId(),
        secrets: [call.credential.token],
      });
    },
    async countTokens(req: ChatRequest, call: ProviderCallOptions): Promise<number> {
      // The whole generateContent request (system instruction and tools included), as Gemini counts it.
      const res = await postUpstream(options.httpClient, {
        url: urlFor(call.model, 'count'),
        headers: headersFor(call, false),
        body: JSON.stringify({ generateContentRequest: { model: `models/${nameOf(call.model)}`, ...convertToGeminiRequest(req, call.model) } }),
        provider: 'gemini',
        model: call.model,
        secrets: [call.credential.token],
        ...(call.signal === undefined ? {} : { signal: call.signal }),
        nowMs: now,
      });
      return readTokenCount(await res.json(), 'totalTokens', 'gemini', call.model);
    },
  };
}
