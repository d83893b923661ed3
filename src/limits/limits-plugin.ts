import { toRoutingText } from '../core/request/routing-text.js';
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import type { HookContext, HookOutcome, Plugin, PreHookResult } from '../engine/hook-pipeline.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { RoutingDecision } from '../types/routing-decision.js';
import type { LimitAmounts, RateLimiter, Reservation } from './rate-limiter.js';

/** `HookContext.values` key under which the gateway puts the caller's gateway key name. */
export const GATEWAY_KEY_NAME = 'gateway-key-name';
/** `HookContext.values` key of this plugin's reservation. */
const RESERVATION = 'heimdall-limits';

/**
 * Tokens and USD a request is expected to use: from the routing decision when there is one
 * (prompt tokens plus the expected output, and the chosen candidate's expected cost), otherwise
 * the prompt estimate plus `max_tokens` with an unknown (0) cost, which the settlement corrects.
 */
export function estimateRequest(request: ChatRequest, decision: RoutingDecision | undefined): LimitAmounts {
  if (decision !== undefined) {
    const f = decision.explanation.features;
    return { tokens: f.promptTokens + f.expectedOutputTokens, costUsd: decision.candidates[0]?.costUsd ?? 0 };
  }
  return { tokens: toRoutingText(request).promptTokens + (request.maxOutputTokens ?? 0), costUsd: 0 };
}

/** Options of {@link createLimitsPlugin}. */
export interface LimitsPluginOptions {
  /** The gateway key the request runs as; default: `context.values.get(GATEWAY_KEY_NAME)`. Undefined: not limited. */
  readonly keyOf?: (request: ChatRequest, context: HookContext) => string | undefined;
  /** Default: {@link estimateRequest} with `context.decision`. */
  readonly estimate?: (request: ChatRequest, context: HookContext) => LimitAmounts;
  /** USD a response actually cost (catalog prices). Absent or undefined: the estimate stands. */
  readonly costOf?: (response: ChatResponse, context: HookContext) => number | undefined;
  /** Told when settling failed (the response still goes out). */
  readonly onSettleError?: (error: unknown) => void;
}

/**
 * Rate limits and budgets as a pipeline plugin. Its PreHook reserves one request plus the
 * estimated tokens and USD (refusing with 429 when a limit is reached); its PostHook settles the
 * reservation with the response's usage, or gives tokens and USD back when the call failed.
 * Register it AFTER the router, so the estimate can use the decision.
 */
export function createLimitsPlugin(limiter: RateLimiter, options: LimitsPluginOptions = {}): Plugin {
  const keyOf = options.keyOf ?? ((_r: ChatRequest, c: HookContext) => {
    const v = c.values.get(GATEWAY_KEY_NAME);
    return typeof v === 'string' ? v : undefined;
  });
  const estimate = options.estimate ?? ((r: ChatRequest, c: HookContext) => estimateRequest(r, c.decision));
  return {
    name: 'heimdall-limits',
    async preHook(request, context): Promise<PreHookResult> {
      const name = keyOf(request, context);
      if (name === undefined) return { kind: 'continue' };
      try {
        const reservation = await limiter.reserve(name, estimate(request, context));
        if (reservation !== undefined) context.values.set(RESERVATION, reservation);
        return { kind: 'continue' };
      } catch (err) {
        if (isGatewayError(err)) return { kind: 'error', error: err };
        return { kind: 'error', error: new GatewayError('gateway_internal', 'rate limit check failed', { cause: err }) };
      }
    },
    async postHook(outcome, context): Promise<HookOutcome> {
      const reservation = context.values.get(RESERVATION) as Reservation | undefined;
      if (reservation === undefined) return outcome;
      context.values.delete(RESERVATION);
      try {
        if (outcome.response === undefined) {
          await limiter.release(reservation);
        } else {
          const usage = outcome.response.usage;
          const cost = options.costOf?.(outcome.response, context);
          const costUsd = cost ?? reservation.microUsd / 1_000_000;
          await limiter.settle(reservation, { tokens: usage.inputTokens + usage.outputTokens, costUsd });
        }
      } catch (err) {
        // Accounting must never turn a served answer into an error.
        options.onSettleError?.(err);
      }
      return outcome;
    },
  };
}
