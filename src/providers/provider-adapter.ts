import type { CancelSignal } from '../types/cancel-signal.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { ProviderId } from '../types/provider-id.js';
import type { StreamPart } from '../types/stream-part.js';

/** A credential resolved for one provider: the client's own, or one configured for the gateway. */
export interface ProviderCredential {
  /** `api_key` goes in the provider's key header; `oauth` as a Bearer token (Anthropic OAuth, Google OAuth). */
  readonly kind: 'api_key' | 'oauth';
  readonly token: string;
}

/** Per-call options: which model, with which credential, under which signal. */
export interface ProviderCallOptions {
  /** The provider's own model id (`gpt-4o-mini`, `claude-sonnet-4-5`, `qwen/qwen-2.5-7b-instruct`). */
  readonly model: string;
  readonly credential: ProviderCredential;
  /**
   * Aborts the upstream call (client went away, or the attempt's deadline passed). An `AbortSignal`
   * is one; the gateway passes a lighter one of its own, so an adapter that needs a real
   * `AbortSignal` (for `fetch`) makes one with `toAbortSignal`.
   */
  readonly signal?: CancelSignal;
  /** Extra headers to send upstream (request id, OpenRouter attribution). */
  readonly headers?: Readonly<Record<string, string>>;
  /** OpenRouter `provider` routing preferences, passed through as given. */
  readonly providerPreferences?: Readonly<Record<string, unknown>>;
}

/**
 * One upstream provider. Contract:
 * - `req.reasoning` is already the effective reasoning setting (the router's bucket default, or the client's own);
 *   the adapter translates it into the provider's parameter and never invents one.
 * - Failures are thrown as `GatewayError` with a `provider_*` code (classified from status, body markers and
 *   `Retry-After`), never as raw errors. Aborts surface as `caller_cancelled` or `provider_timeout`.
 * - `doStream` resolves once the upstream answered 2xx with headers; an error status rejects the promise.
 *   The iterable yields exactly one `start` first and at most one `finish` last; a stream that ends without
 *   its terminal event or carries garbage throws `provider_bad_response` from the iterator.
 * - Breaking out of the iteration (return()) releases the upstream connection.
 */
export interface ProviderAdapter {
  readonly specificationVersion: 1;
  readonly providerId: ProviderId;
  doGenerate(req: ChatRequest, options: ProviderCallOptions): Promise<ChatResponse>;
  doStream(req: ChatRequest, options: ProviderCallOptions): Promise<AsyncIterable<StreamPart>>;
  /**
   * The provider's own count of the input tokens `req` would cost on `options.model`, for providers
   * with a counting endpoint (Anthropic's `/v1/messages/count_tokens`, Gemini's `:countTokens`).
   * Failures as for `doGenerate`.
   */
  countTokens?(req: ChatRequest, options: ProviderCallOptions): Promise<number>;
}
