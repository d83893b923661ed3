import type { ChatRequest, ReasoningRequest } from '../../types/chat.js';
import type { ProviderAdapter } from '../provider-adapter.js';
import type { HttpClient } from '../shared/http-client.js';
import { convertToOpenAIChatRequest } from '../shared/openai-compatible/convert-to-openai-chat-request.js';
import { createOpenAICompatibleAdapter } from '../shared/openai-compatible/create-openai-compatible-adapter.js';

/** The public OpenRouter API. */
export const OPENROUTER_DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

export interface OpenRouterAdapterOptions {
  /** Defaults to {@link OPENROUTER_DEFAULT_BASE_URL}. */
  readonly baseUrl?: string;
  readonly httpClient: HttpClient;
  /** Sent as `X-Title` (OpenRouter app attribution). */
  readonly appName?: string;
  /** Sent as `HTTP-Referer` (OpenRouter app attribution). */
  readonly appUrl?: string;
  readonly nowMs?: () => number;
}

/**
 * OpenRouter chat completions. Differs from OpenAI in: `max_tokens` (not
 * `max_completion_tokens`), the unified `reasoning` object instead of `reasoning_effort`,
 * `top_k` passed through, the call's `providerPreferences` sent as `provider`, an Anthropic
 * client's prompt-cache breakpoints kept for Anthropic and Gemini models, and attribution headers.
 * Keep-alive SSE comments (`: OPENROUTER PROCESSING`) are dropped by the SSE decoder.
 */
export function createOpenRouterAdapter(options: OpenRouterAdapterOptions): ProviderAdapter {
  const defaultHeaders: Record<string, string> = {};
  if (options.appUrl !== undefined) defaultHeaders['http-referer'] = options.appUrl;
  if (options.appName !== undefined) defaultHeaders['x-title'] = options.appName;
  return createOpenAICompatibleAdapter({
    providerId: 'openrouter',
    baseUrl: options.baseUrl ?? OPENROUTER_DEFAULT_BASE_URL,
    httpClient: options.httpClient,
    defaultHeaders,
    ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }),
    buildBody: (req, call) => {
      const body = convertToOpenAIChatRequest(req, call.model, { maxTokensField: 'max_tokens', cacheControl: takesCacheControl(call.model) });
      delete body['reasoning_effort'];
      const reasoning = toOpenRouterReasoning(req.reasoning);
      if (reasoning !== undefined) body['reasoning'] = reasoning;
      if (req.topK !== undefined) body['top_k'] = req.topK;
      if (call.providerPreferences !== undefined) body['provider'] = { ...call.providerPreferences };
      return body;
    },
  });
}

/**
 * Models whose providers take explicit prompt-cache breakpoints through OpenRouter (`cache_control`
 * on content parts): Anthropic's and Gemini's. Others cache implicitly, or not at all.
 */
export function takesCacheControl(model: string): boolean {
  return model.startsWith('anthropic/') || model.startsWith('google/gemini');
}

/**
 * OpenRouter's `reasoning` object: `effort` wins over a token budget (the API takes one of the
 * two); `enabled: false` alone turns reasoning off. Nothing is sent when nothing was asked.
 */
export function toOpenRouterReasoning(reasoning: ChatRequest['reasoning']): Record<string, unknown> | undefined {
  if (reasoning === undefined) return undefined;
  const r: ReasoningRequest = reasoning;
  if (r.enabled === false) return { enabled: false };
  if (r.effort !== undefined) return { effort: r.effort };
  if (r.budgetTokens !== undefined) return { max_tokens: r.budgetTokens };
  if (r.enabled === true) return { enabled: true };
  return undefined;
}
