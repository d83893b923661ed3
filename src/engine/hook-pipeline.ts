import { castToError, GatewayError, isGatewayError } from '../errors/gateway-error.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { RoutingDecision } from '../types/routing-decision.js';

/** Per-request state shared by the plugins of one pipeline run. */
export interface HookContext {
  readonly requestId: string;
  /** Providers this request may use (client credentials plus configured keys). */
  readonly providers: ReadonlySet<string>;
  /** Set by the routing plugin; later plugins and the dispatcher read it. */
  decision?: RoutingDecision;
  /** Scratch space for plugins, keyed by plugin name. */
  readonly values: Map<string, unknown>;
}

/** What a PreHook decides: go on (optionally with a decision), or answer/fail right here. */
export type PreHookResult =
  | { readonly kind: 'continue' }
  | { readonly kind: 'response'; readonly response: ChatResponse }
  | { readonly kind: 'error'; readonly error: GatewayError };

/** The outcome PostHooks see and may replace (for example, recover from an error). */
export type HookOutcome = { readonly response: ChatResponse; readonly error?: undefined } | { readonly response?: undefined; readonly error: GatewayError };

/**
 * A plugin. Contract: PreHooks run in registration order; the first that returns `response` or `error`
 * short-circuits: later PreHooks and the provider call are skipped. PostHooks run in REVERSE order, and
 * every plugin whose PreHook ran gets its PostHook, with the response or the error, even after a
 * short-circuit. A hook that throws is treated as returning that error (wrapped as `gateway_internal`
 * when it is not a GatewayError); it never escapes the pipeline.
 */
export interface Plugin {
  readonly name: string;
  preHook?(request: ChatRequest, context: HookContext): PreHookResult | Promise<PreHookResult>;
  postHook?(outcome: HookOutcome, context: HookContext): HookOutcome | Promise<HookOutcome>;
}

/** Runs plugins around a provider call. */
export interface HookPipeline {
  run(request: ChatRequest, context: HookContext, call: (request: ChatRequest, context: HookContext) => Promise<ChatResponse>): Promise<HookOutcome>;
  /** PreHooks only, for streaming, where the call happens outside; returns how many ran. */
  runPre(request: ChatRequest, context: HookContext): Promise<{ ran: number; shortCircuit?: HookOutcome }>;
  /** PostHooks of the first `ran` plugins, in reverse. */
  runPost(outcome: HookOutcome, context: HookContext, ran: number): Promise<HookOutcome>;
}

export function createHookPipeline(plugins: readonly Plugin[]): HookPipeline {
  const runPre = async (request: ChatRequest, context: HookContext): Promise<{ ran: number; shortCircuit?: HookOutcome }> => {
    let ran = 0;
    for (const p of plugins) {
      ran++;
      if (!p.preHook) continue;
      let r: PreHookResult;
      try {
        r = await p.preHook(request, context);
      } catch (err) {
        return { ran, shortCircuit: { error: toGatewayError(err, p.name) } };
      }
      if (r.kind === 'response') return { ran, shortCircuit: { response: r.response } };
      if (r.kind === 'error') return { ran, shortCircuit: { error: r.error } };
    }
    return { ran };
  };
  const runPost = async (outcome: HookOutcome, context: HookContext, ran: number): Promise<HookOutcome> => {
    let current = outcome;
    for (let i = ran - 1; i >= 0; i--) {
      const p = plugins[i];
      if (!p?.postHook) continue;
      try {
        current = await p.postHook(current, context);
      } catch (err) {
        current = { error: toGatewayError(err, p.name) };
      }
    }
    return current;
  };
  return {
    runPre,
    runPost,
    async run(request, context, call) {
      const pre = await runPre(request, context);
      let outcome: HookOutcome;
      if (pre.shortCircuit) outcome = pre.shortCircuit;
      else {
        try {
          outcome = { response: await call(request, context) };
        } catch (err) {
          outcome = { error: toGatewayError(err, 'dispatch') };
        }
      }
      return runPost(outcome, context, pre.ran);
    },
  };
}

function toGatewayError(err: unknown, where: string): GatewayError {
  if (isGatewayError(err)) return err;
  const e = castToError(err);
  return new GatewayError('gateway_internal', `internal error in ${where}`, { cause: e });
}
