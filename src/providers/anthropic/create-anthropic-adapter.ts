import type { ChatRequest, ChatResponse } from '../../types/chat.js';
import type { StreamPart } from '../../types/stream-part.js';
import type { ProviderAdapter, ProviderCallOptions } from '../provider-adapter.js';
import { postUpstream } from '../shared/post-upstream.js';
import { readTokenCount } from '../shared/read-token-count.js';
import type { HttpClient, HttpResponse } from '../shared/http-client.js';
import { decodeSse } from '../shared/sse-decoder.js';
import { anthropicStreamToParts } from './anthropic-stream-to-parts.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { parseAnthropicResponse } from './parse-anthropic-response.js';

/** The Messages API version every request pins. */
export const ANTHROPIC_API_VERSION = '2023-06-01';

/** Beta flag Anthropic requires alongside an OAuth access token. */
export const ANTHROPIC_OAUTH_BETA = 'oauth-2025-04-20';

/** Options of {@link createAnthropicAdapter}. */
export interface AnthropicAdapterOptions {
  /** Defaults to `https://api.anthropic.com`; a trailing slash is ignored. */
  readonly baseUrl?: string;
  readonly httpClient: HttpClient;
  /** Clock for HTTP-date `Retry-After` (tests inject one). */
  readonly nowMs?: () => number;
  /** `anthropic-version` header; defaults to {@link ANTHROPIC_API_VERSION}. */
  readonly version?: string;
  /** Extra `anthropic-beta` flags sent with every request. */
  readonly betas?: ReadonlyArray<string>;
}

/**
 * The Anthropic Messages API adapter: `POST {baseUrl}/v1/messages`. An `api_key` credential goes
 * in `x-api-key`; an `oauth` one as `Authorization: Bearer` plus the `oauth-2025-04-20` beta.
 * Error answers are classified by {@link classifyUpstreamError} (529 and `overloaded_error` ->
 * `provider_overloaded`, "prompt is too long" -> `provider_context_length_exceeded`, ...).
 */
export function createAnthropicAdapter(options: AnthropicAdapterOptions): ProviderAdapter {
  const baseUrl = (options.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '');
  const url = `${baseUrl}/v1/messages`;
  const countUrl = `${baseUrl}/v1/messages/count_tokens`;
  const version = options.version ?? ANTHROPIC_API_VERSION;
  const betas = options.betas ?? [];
  const now = options.nowMs ?? Date.now;

  function headersFor(call: ProviderCallOptions, stream: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    // Caller headers first, so they can never replace the credential or protocol headers.
    for (const [k, v] of Object.entries(call.headers ?? {})) headers[k.toLowerCase()] = v;
    headers['content-type'] = 'application/json';
    headers['accept'] = stream ? 'text/event-stream' : 'application/json';
    headers['anthropic-version'] = version;
    // Betas the caller forwards (a client's own `anthropic-beta`) are kept next to the configured ones.
    const beta = [...betas];
    for (const flag of (headers['anthropic-beta'] ?? '').split(',')) {
      const trimmed = flag.trim();
      if (trimmed !== '' && !beta.includes(trimmed)) beta.push(trimmed);
    }
    delete headers['anthropic-beta'];
    if (call.credential.kind === 'oauth') {
      headers['authorization'] = `Bearer ${call.credential.token}`;
      delete headers['x-api-key'];
      if (!beta.includes(ANTHROPIC_OAUTH_BETA)) beta.push(ANTHROPIC_OAUTH_BETA);
    } else {
      headers['x-api-key'] = call.credential.token;
      delete headers['authorization'];
    }
    if (beta.length > 0) headers['anthropic-beta'] = beta.join(',');
    return headers;
  }

  function send(req: ChatRequest, call: ProviderCallOptions, stream: boolean): Promise<HttpResponse> {
    return postUpstream(options.httpClient, {
      url,
      headers: headersFor(call, stream),
      body: JSON.stringify(convertToAnthropicRequest(Object.assign({}, req, { stream }), call.model)),
      provider: 'anthropic',
      model: call.model,
      secrets: [call.credential.token],
      ...(call.signal === undefined ? {} : { signal: call.signal }),
      nowMs: now,
    });
  }

  return {
    specificationVersion: 1,
    providerId: 'anthropic',
    async doGenerate(req: ChatRequest, call: ProviderCallOptions): Promise<ChatResponse> {
      const res = await send(req, call, false);
      return parseAnthropicResponse(await res.json());
    },
    async doStream(req: ChatRequest, call: ProviderCallOptions): Promise<AsyncIterable<StreamPart>> {
      const res = await send(req, call, true);
      return anthropicStreamToParts(decodeSse(res.body), { model: call.model, secrets: [call.credential.token] });
    },
    async countTokens(req: ChatRequest, call: ProviderCallOptions): Promise<number> {
      const res = await postUpstream(options.httpClient, {
        url: countUrl,
        headers: headersFor(call, false),
        body: JSON.stringify(toCountTokensBody(convertToAnthropicRequest(req, call.model))),
        provider: 'anthropic',
        model: call.model,
        secrets: [call.credential.token],
        ...(call.signal === undefined ? {} : { signal: call.signal }),
        nowMs: now,
      });
      return readTokenCount(await res.json(), 'input_tokens', 'anthropic', call.model);
    },
  };
}

/** Fields of a messages body that `count_tokens` accepts; it refuses the output settings. */
const COUNT_TOKENS_FIELDS = ['model', 'system', 'messages', 'tools', 'tool_choice', 'thinking', 'output_config', 'context_management', 'cache_control'] as const;

function toCountTokensBody(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of COUNT_TOKENS_FIELDS) if (body[key] !== undefined) out[key] = body[key];
  return out;
}
