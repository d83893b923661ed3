import type { ProviderAdapter } from '../provider-adapter.js';
import type { HttpClient } from '../shared/http-client.js';
import { convertToOpenAIChatRequest } from '../shared/openai-compatible/convert-to-openai-chat-request.js';
import { createOpenAICompatibleAdapter } from '../shared/openai-compatible/create-openai-compatible-adapter.js';

/** The public OpenAI API. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIAdapterOptions {
  /** Defaults to {@link OPENAI_DEFAULT_BASE_URL}; any OpenAI-compatible base URL works. */
  readonly baseUrl?: string;
  readonly httpClient: HttpClient;
  /** Sent on every call (e.g. `OpenAI-Organization`, `OpenAI-Project`). */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  /** `max_completion_tokens` (default, required by reasoning models) or `max_tokens` for older compatible servers. */
  readonly maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  readonly nowMs?: () => number;
}

/** OpenAI chat completions: `POST {baseUrl}/chat/completions` with a Bearer key. */
export function createOpenAIAdapter(options: OpenAIAdapterOptions): ProviderAdapter {
  const maxTokensField = options.maxTokensField ?? 'max_completion_tokens';
  return createOpenAICompatibleAdapter({
    providerId: 'openai',
    baseUrl: options.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
    httpClient: options.httpClient,
    ...(options.defaultHeaders === undefined ? {} : { defaultHeaders: options.defaultHeaders }),
    ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }),
    buildBody: (req, call) => convertToOpenAIChatRequest(req, call.model, { maxTokensField }),
  });
}
