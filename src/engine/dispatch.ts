import { GatewayError, isAbortError, isGatewayError } from '../errors/gateway-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import type { ProviderCallOptions } from '../providers/provider-adapter.js';
import type { ProviderRegistry } from '../providers/create-provider-registry.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { CancelSignal } from '../types/cancel-signal.js';
import type { ProviderId } from '../types/provider-id.js';
import type { StreamPart } from '../types/stream-part.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import type { ClientCooldowns } from './client-cooldowns.js';
import type { DispatchTarget, ResolvedCredential } from './dispatch-target.js';
import type { LatencyStats } from './latency-stats.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';

/** What the dispatcher reports as it works (metrics and logs hang off this). */
export interface DispatchObserver {
  /** One upstream call finished: `status` is the HTTP-ish outcome (`200`, the error's upstream status, or its code). */
  upstream?(target: DispatchTarget, status: string, ms: number): void;
  /** The engine moved on from `from` because of `reason` (an error code, or `circuit_open`). */
  fallback?(from: DispatchTarget, reason: string): void;
  retry?(target: DispatchTarget, reason: ErrorCode, delayMs: number): void;
}

/** The engine's shared machinery, built once per gateway. */
export interface DispatchDeps {
  readonly registry: ProviderRegistry;
  readonly breakers: CircuitBreakers;
  readonly latency: LatencyStats;
  readonly cooldowns: ClientCooldowns;
  readonly retry: RetryPolicy;
  /** Whether to try further targets after a failure at all. */
  readonly fallbacksEnabled: boolean;
  /** Most targets tried for one request. */
  readonly maxAttempts: number;
  readonly anthropicOAuthCooldownMs: number;
  readonly observer?: DispatchObserver;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal: CancelSignal) => Promise<void>;
}

/** One request to dispatch. */
export interface DispatchInput {
  readonly request: ChatRequest;
  /** In order of preference: the decision's choice, then its fallbacks. */
  readonly targets: ReadonlyArray<DispatchTarget>;
  readonly credentialFor: (provider: ProviderId) => ResolvedCredential | undefined;
  readonly signal: CancelSignal;
  /** Headers forwarded upstream (request id, a client's `anthropic-beta`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** How the request was served. */
export interface DispatchOutcome {
  readonly target: DispatchTarget;
  /** Error codes (or `circuit_open`) of the targets given up on before `target`, in order. */
  readonly fallbacks: ReadonlyArray<string>;
  /** Upstream calls made, retries included. */
  readonly attempts: number;
  /** Time spent waiting on upstream calls (and backoff), in ms. */
  readonly upstreamMs: number;
}

export interface GenerateOutcome extends DispatchOutcome {
  readonly response: ChatResponse;
}

/** A committed stream: `head` holds the parts read before the first content part (inclusive). */
export interface StreamOutcome extends DispatchOutcome {
  readonly head: ReadonlyArray<StreamPart>;
  /** The rest of the stream; its errors come after content was sent and must not be retried. */
  readonly rest: AsyncIterator<StreamPart>;
}

/** Errors that say something about the target's health (they count against its circuit breaker). */
const BREAKER_FAILURES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'provider_rate_limited',
  'provider_overloaded',
  'provider_server_error',
  'provider_timeout',
  'provider_connection_failed',
  'provider_bad_response',
]);

/** Sends a non-streaming request to the first target that answers, retrying and falling back per policy. */
export function dispatchGenerate(deps: DispatchDeps, input: DispatchInput): Promise<GenerateOutcome> {
  return run(deps, input, async (req, options, adapter) => ({ response: await adapter.doGenerate(req, options) }));
}

/**
 * Opens a stream on the first target that produces content. The upstream stream is read until its
 * first content part (anything after `start`), so a failure before any content reached the client
 * falls back invisibly; once this resolves the stream is committed.
 */
export function dispatchStream(deps: DispatchDeps, input: DispatchInput): Promise<StreamOutcome> {
  return run(deps, input, async (req, options, adapter) => {
    const iterable = await adapter.doStream(req, options);
    const it = iterable[Symbol.asyncIterator]();
    const head: StreamPart[] = [];
    try {
      for (;;) {
        const next = await it.next();
        if (next.done === true) {
          throw new GatewayError('provider_bad_response', `${adapter.providerId} stream ended before any content`, { provider: adapter.providerId });
        }
        head.push(next.value);
        if (next.value.type !== 'start') return { head, rest: it };
      }
    } catch (err) {
      // Release the upstream connection of a stream we give up on.
      void it.return?.()?.catch(() => undefined);
      throw err;
    }
  });
}

type Attempt<T> = (
  req: ChatRequest,
  options: ProviderCallOptions,
  adapter: ReturnType<ProviderRegistry['get']>,
) => Promise<T>;

async function run<T extends object>(deps: DispatchDeps, input: DispatchInput, attempt: Attempt<T>): Promise<T & DispatchOutcome> {
  const now = deps.now ?? performance.now.bind(performance);
  const sleep = deps.sleep ?? abortableSleep;
  const fallbacks: string[] = [];
  let attempts = 0;
  let upstreamMs = 0;
  let lastError: GatewayError | undefined;
  let minContext = 0;
  let tried = 0;
  const limit = deps.fallbacksEnabled ? deps.maxAttempts : 1;

  for (const target of input.targets) {
    if (tried >= limit) break;
    if (target.contextWindowTokens !== undefined && target.contextWindowTokens <= minContext) continue;
    const cred = input.credentialFor(target.provider);
    if (cred === undefined || !deps.registry.has(target.provider)) {
      lastError ??= new GatewayError('caller_unauthenticated', noCredentialMessage(target.provider), { provider: target.provider });
      continue;
    }
    if (target.provider === 'anthropic' && cred.fromClient && cred.credential.kind === 'oauth') {
      const left = deps.cooldowns.remainingMs(cred.credential.token);
      if (left > 0) {
        lastError = new GatewayError('policy_rate_limited', `Anthropic rate-limited this OAuth token; Anthropic models are skipped for ${Math.ceil(left / 1000)} s`, {
          provider: 'anthropic',
          retryAfterSeconds: Math.ceil(left / 1000),
        });
        continue;
      }
    }
    if (!deps.breakers.tryAcquire(target.id)) {
      lastError ??= new GatewayError('routing_model_unavailable', `${target.id} is temporarily unavailable (circuit open)`, { provider: target.provider, model: target.providerModel });
      fallbacks.push('circuit_open');
      deps.observer?.fallback?.(target, 'circuit_open');
      continue;
    }
    tried++;
    const adapter = deps.registry.get(target.provider);
    const req = requestFor(input.request, target);
    const options: ProviderCallOptions = {
      model: target.providerModel,
      credential: cred.credential,
      signal: input.signal,
      ...(input.headers === undefined ? {} : { headers: input.headers }),
    };
    let err: GatewayError | undefined;
    for (let retry = 0; ; retry++) {
      attempts++;
      const started = now();
      try {
        const result = await attempt(req, options, adapter);
        const ms = now() - started;
        upstreamMs += ms;
        deps.breakers.recordSuccess(target.id);
        deps.latency.record(target.id, ms);
        deps.observer?.upstream?.(target, '200', ms);
        return { target, fallbacks, attempts, upstreamMs, ...result };
      } catch (thrown) {
        const ms = now() - started;
        upstreamMs += ms;
        err = toGatewayError(thrown, target, input.signal);
        deps.observer?.upstream?.(target, err.upstreamStatus === undefined ? err.code : String(err.upstreamStatus), ms);
      }
      if (err.code === 'caller_cancelled') {
        deps.breakers.release(target.id);
        throw err;
      }
      if (BREAKER_FAILURES.has(err.code)) deps.breakers.recordFailure(target.id);
      else deps.breakers.release(target.id);
      if (err.code === 'provider_rate_limited' && target.provider === 'anthropic' && cred.fromClient && cred.credential.kind === 'oauth') {
        deps.cooldowns.start(cred.credential.token, deps.anthropicOAuthCooldownMs);
        break;
      }
      const delay = retryDelayMs(err, retry, deps.retry, deps.random);
      if (delay === undefined || deps.breakers.isOpen(target.id)) break;
      deps.observer?.retry?.(target, err.code, delay);
      const waitStart = now();
      await sleep(delay, input.signal);
      upstreamMs += now() - waitStart;
      if (!deps.breakers.tryAcquire(target.id)) break;
    }
    lastError = err;
    if (!err.fallbackAllowed) throw err;
    if (err.code === 'provider_context_length_exceeded') minContext = Math.max(minContext, target.contextWindowTokens ?? 0);
    fallbacks.push(err.code);
    deps.observer?.fallback?.(target, err.code);
  }
  throw lastError ?? new GatewayError('routing_model_unavailable', 'No target could take this request');
}

/**
 * The request as `target` is called with it: the reasoning setting the router chose for it, and an
 * Anthropic client's own thinking settings only where they were meant to go.
 */
export function requestFor(request: ChatRequest, target: DispatchTarget): ChatRequest {
  if (target.reasoning === undefined) {
    // A named model: the client's settings go as given, unless they were an Anthropic client's
    // reasoning, translated for a model of another provider that takes none.
    const extras = request.anthropic;
    if (target.acceptsReasoning !== false || target.provider === 'anthropic' || (extras?.adaptiveThinking === undefined && extras?.effort === undefined)) return request;
    const { reasoning: _dropped, ...rest } = withoutReasoningExtras(request);
    return rest;
  }
  // The router chose this model: an Anthropic client's adaptive thinking and effort were meant for
  // the model it named (adaptive thinking is Claude 4.6+ only); the neutral `reasoning` stands in.
  const extras = request.anthropic;
  const routed = extras?.adaptiveThinking === undefined && extras?.effort === undefined ? request : withoutReasoningExtras(request);
  if (target.reasoning === null) {
    if (routed.reasoning === undefined) return routed;
    const { reasoning: _dropped, ...rest } = routed;
    return rest;
  }
  return Object.assign({}, routed, { reasoning: target.reasoning });
}

function withoutReasoningExtras(request: ChatRequest): ChatRequest {
  const { anthropic, ...rest } = request;
  if (anthropic === undefined) return rest;
  const { adaptiveThinking: _adaptive, effort: _effort, ...kept } = anthropic;
  return Object.keys(kept).length === 0 ? rest : Object.assign(rest, { anthropic: kept });
}

function toGatewayError(thrown: unknown, target: DispatchTarget, signal: CancelSignal): GatewayError {
  if (isGatewayError(thrown)) return thrown;
  if (signal.aborted || isAbortError(thrown)) return new GatewayError('caller_cancelled', 'Request was cancelled', { cause: thrown });
  return new GatewayError('gateway_internal', `calling ${target.id} failed`, { provider: target.provider, model: target.providerModel, cause: thrown });
}

/** The message a caller sees when no credential exists for a provider. */
export function noCredentialMessage(provider: ProviderId): string {
  const env = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY', gemini: 'GEMINI_API_KEY', openrouter: 'OPENROUTER_API_KEY' }[provider];
  return `No credentials for provider ${provider}: send your own ${provider} key, or configure providers.${provider}.api_key (or ${env}) on the gateway`;
}

function abortableSleep(ms: number, signal: CancelSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new GatewayError('caller_cancelled', 'Request was cancelled'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new GatewayError('caller_cancelled', 'Request was cancelled'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
