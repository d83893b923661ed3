import type { ModelCatalog } from '../catalog/model-catalog.js';
import type { Config } from '../config/config-schema.js';
import type { DispatchDeps } from '../engine/dispatch.js';
import type { RequestPlan } from '../engine/plan-request.js';
import type { CredentialResolver, RequestCredentials } from '../engine/request-credentials.js';
import type { GatewayLogger } from '../obs/create-logger.js';
import type { GatewayMetrics } from '../obs/gateway-metrics.js';
import type { SessionTracker } from '../engine/sessions.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { DecisionLogger } from '../logs/create-decision-logger.js';
import type { FeedbackResult } from '../logs/record-feedback.js';
import type { ChatRequest } from '../types/chat.js';
import type { Bucket } from '../types/routing-decision.js';

/** What a request tells the planner beyond its body: its conversation and the tier that conversation reached. */
export interface PlanHints {
  readonly sessionId?: string;
  /** Route no lower than this bucket (the session's tier so far). */
  readonly floor?: Bucket;
  /** Fallback id for sticky canary assignment when the request has no session or client id. */
  readonly requestId?: string;
}

/** Operations the request path reports to: all optional, so a bare gateway pays nothing. */
export interface RequestOps {
  /** Decision records (queued; written in batches off the request path). */
  readonly decisionLog?: Pick<DecisionLogger, 'log'>;
  /** Per gateway key rpm / tpm / budget. */
  readonly limiter?: RateLimiter;
  readonly sessions?: SessionTracker;
  /** `POST /v1/feedback`. */
  feedback?(body: unknown): Promise<FeedbackResult>;
}

/**
 * Everything the HTTP layer needs from the gateway. Getters return the snapshot in service now,
 * so a config or artifact reload takes effect between requests, never within one.
 */
export interface GatewayServices {
  readonly log: GatewayLogger;
  readonly metrics: GatewayMetrics | undefined;
  readonly catalog: ModelCatalog;
  config(): Config;
  credentials(): CredentialResolver;
  plan(request: ChatRequest, creds: RequestCredentials, hints?: PlanHints): Promise<RequestPlan>;
  dispatchDeps(): DispatchDeps;
  /** Route alias names (`auto` first). */
  aliases(): readonly string[];
  artifactVersion(): string;
  /** Artifact and config loaded and warm-up done. */
  isReady(): boolean;
  /** Shutting down: new requests are refused, connections are closed after their response. */
  isDraining(): boolean;
  /** Decision logs, limits, sessions, feedback (absent when the gateway runs without them). */
  readonly ops?: RequestOps;
  /** `GET /metrics` under a cluster: every worker's metrics, gathered through the primary (absent: this process's registry). */
  scrapeMetrics?(): Promise<string>;
}

/** Per-request facts the edge records once the handler is done. */
export interface RequestContext {
  readonly requestId: string;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  readonly query: URLSearchParams | undefined;
  /** Time spent waiting on upstreams (for the overhead metric). */
  upstreamMs: number;
  /** Set by handlers for the access log. */
  model?: string;
  provider?: string;
  fallbacks?: string;
  errorCode?: string;
}
