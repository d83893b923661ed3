import type { ModelCatalog } from '../catalog/model-catalog.js';
import type { Config } from '../config/config-schema.js';
import type { DispatchDeps } from '../engine/dispatch.js';
import type { RequestPlan } from '../engine/plan-request.js';
import type { CredentialResolver, RequestCredentials } from '../engine/request-credentials.js';
import type { GatewayLogger } from '../obs/create-logger.js';
import type { GatewayMetrics } from '../obs/gateway-metrics.js';
import type { ChatRequest } from '../types/chat.js';

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
  plan(request: ChatRequest, creds: RequestCredentials): RequestPlan;
  dispatchDeps(): DispatchDeps;
  /** Route alias names (`auto` first). */
  aliases(): readonly string[];
  artifactVersion(): string;
  /** Artifact and config loaded and warm-up done. */
  isReady(): boolean;
  /** Shutting down: new requests are refused, connections are closed after their response. */
  isDraining(): boolean;
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
