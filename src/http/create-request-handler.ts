import type { IncomingMessage, ServerResponse } from 'node:http';
import { castToError, GatewayError, isGatewayError } from '../errors/gateway-error.js';
import { handleChat } from './chat-handler.js';
import { handleCountTokens } from './count-tokens-handler.js';
import { handleDashboard, handleDashboardData } from './dashboard/dashboard-handler.js';
import { handleFeedback } from './feedback-handler.js';
import type { GatewayServices, RequestContext } from './gateway-services.js';
import { handleModels } from './models-handler.js';
import { newRequestId } from './request-id.js';
import { handleRoute } from './route-handler.js';
import { sendError, sendJson, type ErrorDialect } from './send.js';

type Handler = (services: GatewayServices, req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void> | void;

interface Route {
  /** Label for metrics and logs. */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly dialect: ErrorDialect;
  /** Chat routes report gateway overhead. */
  readonly chat: boolean;
  readonly handle: Handler;
}

const ROUTES: Readonly<Record<string, Route>> = {
  '/v1/chat/completions': { name: 'chat_completions', method: 'POST', dialect: 'openai', chat: true, handle: (s, q, r, c) => handleChat(s, 'openai', q, r, c) },
  '/v1/messages': { name: 'messages', method: 'POST', dialect: 'anthropic', chat: true, handle: (s, q, r, c) => handleChat(s, 'anthropic', q, r, c) },
  '/v1/messages/count_tokens': { name: 'count_tokens', method: 'POST', dialect: 'anthropic', chat: false, handle: handleCountTokens },
  '/v1/route': { name: 'route', method: 'POST', dialect: 'openai', chat: false, handle: handleRoute },
  '/v1/feedback': { name: 'feedback', method: 'POST', dialect: 'openai', chat: false, handle: handleFeedback },
  '/v1/models': { name: 'models', method: 'GET', dialect: 'openai', chat: false, handle: (s, _q, r) => handleModels(s, r) },
  '/health': { name: 'health', method: 'GET', dialect: 'openai', chat: false, handle: (_s, _q, r) => sendJson(r, 200, { status: 'ok' }) },
  '/ready': { name: 'ready', method: 'GET', dialect: 'openai', chat: false, handle: ready },
  '/metrics': { name: 'metrics', method: 'GET', dialect: 'openai', chat: false, handle: metrics },
  '/dashboard': { name: 'dashboard', method: 'GET', dialect: 'openai', chat: false, handle: handleDashboard },
  '/dashboard/data': { name: 'dashboard_data', method: 'GET', dialect: 'openai', chat: false, handle: handleDashboardData },
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The gateway's HTTP edge on plain `node:http`: a table lookup by path, a request id in and out
 * (`x-request-id`, plus Anthropic's `request-id` on `/v1/messages`), and one error handler that
 * writes any `GatewayError` in the endpoint's own error shape and anything else as a generic 500
 * whose cause is logged, never sent.
 */
export function createRequestHandler(services: GatewayServices): (req: IncomingMessage, res: ServerResponse) => void {
  // Chat requests being served by this worker, for `server.max_in_flight`.
  let chatInFlight = 0;
  return (req, res) => {
    const startedAt = performance.now();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newRequestId();
    res.setHeader('x-request-id', requestId);
    const ctx: RequestContext = { requestId, startedAt, query: q === -1 ? undefined : new URLSearchParams(rawUrl.slice(q + 1)), upstreamMs: 0 };
    const route = ROUTES[path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path];
    if (services.isDraining()) res.setHeader('connection', 'close');
    if (route === undefined) {
      req.resume();
      sendError(res, path.startsWith('/v1/messages') ? 'anthropic' : 'openai', new GatewayError('caller_not_found', `No route for ${req.method ?? ''} ${path}`));
      finish(services, 'unknown', ctx, res, false);
      return;
    }
    if (route.dialect === 'anthropic') res.setHeader('request-id', requestId);
    if (req.method !== route.method && !(route.method === 'GET' && req.method === 'HEAD')) {
      req.resume();
      res.setHeader('allow', route.method);
      sendJson(res, 405, errorBody(route.dialect, `Method ${req.method ?? ''} not allowed on ${path}; use ${route.method}`));
      finish(services, route.name, ctx, res, false);
      return;
    }
    const limit = route.chat ? services.config().server.max_in_flight : 0;
    if (limit > 0) {
      if (chatInFlight >= limit) {
        req.resume();
        ctx.errorCode = 'gateway_unavailable';
        sendError(res, route.dialect, new GatewayError('gateway_unavailable', `The gateway is serving its limit of ${limit} requests; retry shortly`, { retryAfterSeconds: 1 }));
        finish(services, route.name, ctx, res, false);
        return;
      }
      // Counted only under a limit (no listener per request otherwise); 'close' comes once the
      // answer is out or the client is gone, whichever ends the request.
      chatInFlight++;
      res.once('close', () => {
        chatInFlight--;
      });
    }
    services.metrics?.inFlight(1);
    let result: Promise<void> | void;
    try {
      result = route.handle(services, req, res, ctx);
    } catch (err) {
      result = Promise.reject(err);
    }
    if (result === undefined) {
      services.metrics?.inFlight(-1);
      finish(services, route.name, ctx, res, false);
      return;
    }
    result
      .catch((err: unknown) => fail(services, route, req, res, ctx, err))
      .finally(() => {
        services.metrics?.inFlight(-1);
        finish(services, route.name, ctx, res, route.chat);
      });
  };
}

function fail(services: GatewayServices, route: Route, req: IncomingMessage, res: ServerResponse, ctx: RequestContext, thrown: unknown): void {
  let err: GatewayError;
  if (isGatewayError(thrown)) err = thrown;
  else {
    const cause = castToError(thrown);
    services.log.error({ reqId: ctx.requestId, route: route.name, err: { message: cause.message, stack: cause.stack } }, 'unhandled error');
    err = new GatewayError('gateway_internal', `Internal error (request id ${ctx.requestId})`, { cause });
  }
  ctx.errorCode = err.code;
  if (err.code === 'gateway_internal' && isGatewayError(thrown)) {
    const cause = castToError(err.cause ?? err);
    services.log.error({ reqId: ctx.requestId, route: route.name, err: { message: cause.message, stack: cause.stack } }, err.message);
  }
  // Drain the rest of a rejected upload so the connection stays usable.
  if (!req.complete) req.resume();
  if (err.code === 'caller_cancelled' && res.destroyed) return;
  sendError(res, route.dialect, err);
}

function finish(services: GatewayServices, route: string, ctx: RequestContext, res: ServerResponse, chat: boolean): void {
  const totalMs = performance.now() - ctx.startedAt;
  const status = res.statusCode;
  const m = services.metrics;
  if (m !== undefined) {
    m.request(route, status, totalMs / 1000);
    if (chat && ctx.upstreamMs > 0) m.overhead(route, Math.max(0, totalMs - ctx.upstreamMs) / 1000);
  }
  if (route === 'health' || route === 'ready' || route === 'metrics' || route === 'dashboard_data') return;
  const log = services.log;
  if (status >= 500) log.warn(accessLine(route, ctx, status, totalMs), 'request failed');
  else if (log.isLevelEnabled('info')) log.info(accessLine(route, ctx, status, totalMs), 'request');
}

function accessLine(route: string, ctx: RequestContext, status: number, totalMs: number): Record<string, unknown> {
  return {
    reqId: ctx.requestId,
    route,
    status,
    ms: Math.round(totalMs * 1000) / 1000,
    ...(ctx.model === undefined ? {} : { model: ctx.model }),
    ...(ctx.provider === undefined ? {} : { provider: ctx.provider }),
    ...(ctx.fallbacks === undefined ? {} : { fallbacks: ctx.fallbacks }),
    ...(ctx.errorCode === undefined ? {} : { code: ctx.errorCode }),
  };
}

function errorBody(dialect: ErrorDialect, message: string): unknown {
  return dialect === 'anthropic'
    ? { type: 'error', error: { type: 'invalid_request_error', message } }
    : { error: { message, type: 'invalid_request_error', param: null, code: 'method_not_allowed' } };
}

function ready(services: GatewayServices, _req: IncomingMessage, res: ServerResponse): void {
  const ok = services.isReady() && !services.isDraining();
  sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : services.isDraining() ? 'draining' : 'starting', artifact_version: services.artifactVersion() });
}

async function metrics(services: GatewayServices, _req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (services.metrics === undefined) {
    sendError(res, 'openai', new GatewayError('caller_not_found', 'Metrics are disabled (metrics.enabled: false)'));
    return;
  }
  const registry = services.metrics.registry;
  let text: string;
  if (services.scrapeMetrics === undefined) text = await registry.metrics();
  else {
    try {
      text = await services.scrapeMetrics();
    } catch (err) {
      // A partial scrape would read as counters dropping; a failed one is recorded as such by Prometheus.
      throw new GatewayError('gateway_unavailable', `The cluster's metrics could not be gathered: ${castToError(err).message}`);
    }
  }
  res.statusCode = 200;
  res.setHeader('content-type', registry.contentType);
  res.end(text);
}
