import type { GatewayPrincipal } from '../auth/api-key-authenticator.js';
import { estimateCostUsd } from '../catalog/estimate-cost.js';
import type { DispatchOutcome } from '../engine/dispatch.js';
import type { RequestPlan } from '../engine/plan-request.js';
import { isGatewayError } from '../errors/gateway-error.js';
import { estimateRequest } from '../limits/limits-plugin.js';
import type { Reservation } from '../limits/rate-limiter.js';
import type { ChatRequest, Usage } from '../types/chat.js';
import type { Bucket } from '../types/routing-decision.js';
import type { GatewayServices, RequestContext } from './gateway-services.js';

/** The session a request belongs to, and the tier it had reached before this turn. */
export interface RequestSession {
  readonly id: string;
  readonly floor?: Bucket;
}

/** Bookkeeping around one chat request: limits before the call; logs, settlement and session after it. */
export interface RequestAccounting {
  /**
   * Reserves the key's limits; undefined (nothing to wait for) when the key has none.
   * @throws GatewayError 429 (`policy_rate_limited`, `policy_budget_exceeded`); the refusal is logged.
   */
  reserve(): Promise<void> | undefined;
  /** Called exactly once when the answer (or the stream) ended, with what is known. Never throws, never waits. */
  end(outcome: DispatchOutcome | undefined, usage: Usage | undefined, failure: unknown): void;
}

/**
 * Starts the bookkeeping of a chat request, or returns undefined when there is none to do (no
 * decision log, no limit on the caller's key, no session), so a bare gateway's hot path is untouched.
 * Everything after the response is fire-and-forget: the store and Redis never delay an answer.
 */
export function startAccounting(
  services: GatewayServices,
  ctx: RequestContext,
  request: ChatRequest,
  principal: GatewayPrincipal,
  plan: RequestPlan,
  session: RequestSession | undefined,
): RequestAccounting | undefined {
  const ops = services.ops;
  if (ops === undefined) return undefined;
  const log = ops.decisionLog;
  const limiter = ops.limiter;
  const keyName = principal.anonymous || limiter?.limitsFor(principal.name) === undefined ? undefined : principal.name;
  const sessions = plan.routed && session !== undefined ? ops.sessions : undefined;
  if (log === undefined && keyName === undefined && sessions === undefined) return undefined;
  const createdAt = Date.now() - (performance.now() - ctx.startedAt);
  let reservation: Reservation | undefined;
  let ended = false;

  const costOf = (outcome: DispatchOutcome, usage: Usage): number | undefined => {
    const model = services.catalog.findByProviderModel(outcome.target.provider, outcome.target.providerModel);
    if (model === undefined) return undefined;
    return estimateCostUsd(model, {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      ...(usage.cacheReadTokens === undefined ? {} : { cachedInputTokens: usage.cacheReadTokens }),
    });
  };

  const write = (outcome: DispatchOutcome | undefined, usage: Usage | undefined, costUsd: number | undefined, errorCode: string | undefined): void => {
    if (log === undefined) return;
    const decision = plan.decision;
    log.log({
      requestId: ctx.requestId,
      createdAt,
      request,
      ...(decision === undefined ? {} : { decision }),
      artifactVersion: decision?.artifactVersion ?? services.artifactVersion(),
      ...(outcome === undefined ? {} : { target: { id: outcome.target.id, provider: outcome.target.provider, providerModel: outcome.target.providerModel }, fallbacks: outcome.fallbacks }),
      latencyMs: performance.now() - ctx.startedAt,
      decisionMs: plan.decisionMs,
      ...(usage === undefined ? {} : { usage }),
      ...(costUsd === undefined ? {} : { costUsd }),
      ...(errorCode === undefined ? {} : { errorCode }),
      ...(principal.anonymous ? {} : { client: principal.name }),
      ...(session === undefined ? {} : { sessionId: session.id }),
      ...(plan.embedding === undefined ? {} : { embedding: plan.embedding }),
    });
  };

  return {
    reserve() {
      if (keyName === undefined || limiter === undefined) return undefined;
      return limiter.reserve(keyName, estimateRequest(request, plan.decision)).then(
        (r) => {
          reservation = r;
        },
        (err: unknown) => {
          ended = true;
          write(undefined, undefined, undefined, isGatewayError(err) ? err.code : 'gateway_internal');
          throw err;
        },
      );
    },
    end(outcome, usage, failure) {
      if (ended) return;
      ended = true;
      const errorCode = failure !== undefined ? (isGatewayError(failure) ? failure.code : 'gateway_internal') : ctx.errorCode;
      const costUsd = outcome !== undefined && usage !== undefined ? costOf(outcome, usage) : undefined;
      write(outcome, usage, costUsd, errorCode);
      if (reservation !== undefined && limiter !== undefined) {
        const r = reservation;
        const settled =
          outcome === undefined || usage === undefined
            ? limiter.release(r)
            : limiter.settle(r, { tokens: usage.inputTokens + usage.outputTokens, costUsd: costUsd ?? r.microUsd / 1_000_000 });
        // Accounting must never turn a served answer into an error.
        settled.catch((err: unknown) => services.log.warn({ reqId: ctx.requestId, err: String(err) }, 'settling rate limits failed'));
      }
      if (sessions !== undefined && session !== undefined && outcome !== undefined && errorCode === undefined) {
        const answered = plan.decision?.candidates.find((c) => c.id === outcome.target.id);
        const bucket = answered?.bucket ?? plan.decision?.bucket;
        if (bucket !== undefined) sessions.reached(session.id, bucket, session.floor);
      }
    },
  };
}

/**
 * Records a chat request that failed before it had a plan (unknown model, no provider credentials,
 * nothing routable): no target and no decision, but the reports and the training data see it.
 * Malformed requests are not recorded; there is no request to record, and the access log has them.
 */
export function recordPlanningFailure(services: GatewayServices, ctx: RequestContext, request: ChatRequest, principal: GatewayPrincipal, failure: unknown): void {
  const log = services.ops?.decisionLog;
  if (log === undefined) return;
  log.log({
    requestId: ctx.requestId,
    createdAt: Date.now() - (performance.now() - ctx.startedAt),
    request,
    artifactVersion: services.artifactVersion(),
    latencyMs: performance.now() - ctx.startedAt,
    errorCode: isGatewayError(failure) ? failure.code : 'gateway_internal',
    ...(principal.anonymous ? {} : { client: principal.name }),
  });
}

