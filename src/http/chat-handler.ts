import type { IncomingMessage, ServerResponse } from 'node:http';
import { estimateCostUsd } from '../catalog/estimate-cost.js';
import { Cancellation } from '../engine/cancellation.js';
import { dispatchGenerate, dispatchStream, type DispatchInput, type DispatchOutcome } from '../engine/dispatch.js';
import type { RequestPlan } from '../engine/plan-request.js';
import { sessionIdOf, type SessionTracker } from '../engine/sessions.js';
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import { parseAnthropicMessagesRequest } from '../request/parse-anthropic-messages-request.js';
import { parseOpenAIChatRequest } from '../request/parse-openai-chat-request.js';
import type { ApiFormat, ChatRequest, Usage } from '../types/chat.js';
import type { StreamPart } from '../types/stream-part.js';
import { createAnthropicStreamEncoder } from '../wire/anthropic-stream-encoder.js';
import { createOpenAIStreamEncoder } from '../wire/openai-stream-encoder.js';
import type { StreamEncoder } from '../wire/stream-encoder.js';
import { toAnthropicMessage } from '../wire/to-anthropic-message.js';
import { toOpenAIChatCompletion } from '../wire/to-openai-chat-completion.js';
import type { GatewayServices, RequestContext } from './gateway-services.js';
import { createDeadlines } from './deadlines.js';
import { readJsonBody } from './read-json-body.js';
import { recordPlanningFailure, startAccounting, type RequestSession } from './request-accounting.js';
import { sendJson, writeChunk } from './send.js';
import { transparencyHeaders, wantsExplanation } from './transparency-headers.js';

const DEADLINES = createDeadlines();

/** Headers a client may send that are forwarded to the provider. */
const FORWARDED_HEADERS = ['anthropic-beta'] as const;

/**
 * `POST /v1/chat/completions` and `POST /v1/messages`: parse the client's dialect, plan (route or
 * resolve the explicit model), dispatch with retries and fallbacks, and answer in the same dialect,
 * as JSON or as a stream that is committed only once the upstream produced content.
 */
export async function handleChat(services: GatewayServices, format: ApiFormat, req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
  const config = services.config();
  const body = await readJsonBody(req, config.server.body_limit_bytes);
  const request = format === 'openai' ? parseOpenAIChatRequest(body) : parseAnthropicMessagesRequest(body);
  ctx.model = request.model;
  const creds = services.credentials().resolve(req.headers, ctx.query);
  const sessions = services.ops?.sessions;
  const sessionId = sessions === undefined ? undefined : sessionIdOf(req.headers['x-session-id'], request);
  const session = sessions === undefined || sessionId === undefined ? undefined : await sessionOf(sessions, sessionId);
  let plan: Awaited<ReturnType<GatewayServices['plan']>>;
  try {
    plan = await services.plan(request, creds, session === undefined ? { requestId: ctx.requestId } : { sessionId: session.id, requestId: ctx.requestId, ...(session.floor === undefined ? {} : { floor: session.floor }) });
  } catch (err) {
    recordPlanningFailure(services, ctx, request, creds.principal, err);
    throw err;
  }
  const accounting = startAccounting(services, ctx, request, creds.principal, plan, session);
  const reserving = accounting?.reserve();
  if (reserving !== undefined) {
    try {
      await reserving;
    } catch (err) {
      countPlan(services, plan);
      throw err;
    }
  }

  // Not an AbortController: see Cancellation for what a signal per request cost.
  const cancel = new Cancellation();
  const onClose = (): void => {
    if (!res.writableFinished) cancel.abort();
  };
  res.on('close', onClose);
  const cancelDeadline = DEADLINES.add(cancel, config.server.request_timeout);
  const input: DispatchInput = {
    request,
    targets: plan.targets,
    credentialFor: creds.credentialFor,
    signal: cancel,
    headers: forwardedHeaders(req, ctx.requestId),
  };
  let done: DispatchOutcome | undefined;
  let usage: Usage | undefined;
  let failure: unknown;
  try {
    if (!request.stream) {
      const outcome = await dispatchGenerate(services.dispatchDeps(), input);
      done = outcome;
      usage = outcome.response.usage;
      ctx.upstreamMs = outcome.upstreamMs;
      note(ctx, outcome);
      const r = outcome.response;
      const answer =
        format === 'openai'
          ? toOpenAIChatCompletion(r, { model: r.model, created: r.created ?? Math.floor(Date.now() / 1000) })
          : toAnthropicMessage(r, { model: r.model });
      sendJson(res, 200, answer, transparencyHeaders(plan, outcome, wantsExplanation(req.headers['x-heimdall-explain'])));
      account(services, outcome, r.usage);
      return;
    }
    const outcome = await dispatchStream(services.dispatchDeps(), input);
    done = outcome;
    note(ctx, outcome);
    usage = await pipeStream(services, format, request, res, ctx, transparencyHeaders(plan, outcome, wantsExplanation(req.headers['x-heimdall-explain'])), outcome);
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    cancelDeadline();
    res.off('close', onClose);
    // Counted once the answer is out: before the dispatch they delayed the upstream request.
    countPlan(services, plan);
    accounting?.end(done, usage, failure);
  }
}

/** The decision's metrics: its latency, and the request by chosen model and bucket. */
function countPlan(services: GatewayServices, plan: RequestPlan): void {
  services.metrics?.decision(plan.decisionMs / 1000);
  services.metrics?.routed(plan);
}

/** The session and the tier it reached so far. */
async function sessionOf(sessions: SessionTracker, id: string): Promise<RequestSession> {
  const floor = await sessions.floor(id);
  return floor === undefined ? { id } : { id, floor };
}

function note(ctx: RequestContext, outcome: DispatchOutcome): void {
  ctx.provider = outcome.target.provider;
  ctx.model = outcome.target.id;
  if (outcome.fallbacks.length > 0) ctx.fallbacks = outcome.fallbacks.join(',');
}

async function pipeStream(
  services: GatewayServices,
  format: ApiFormat,
  request: ChatRequest,
  res: ServerResponse,
  ctx: RequestContext,
  headers: Record<string, string>,
  outcome: Awaited<ReturnType<typeof dispatchStream>>,
): Promise<Usage | undefined> {
  const model = startModel(outcome.head) ?? outcome.target.providerModel;
  const encoder: StreamEncoder =
    format === 'openai'
      ? createOpenAIStreamEncoder({ model, created: Math.floor(Date.now() / 1000), includeUsage: request.includeUsage === true })
      : createAnthropicStreamEncoder({ model });
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', ...headers });
  let usage: Usage | undefined;
  let upstreamMs = outcome.upstreamMs;
  let text = '';
  for (const part of outcome.head) text += encoder.encode(part);
  const first = writeChunk(res, text);
  if (first !== undefined) await first;
  const it = outcome.rest;
  try {
    for (;;) {
      const t = performance.now();
      const next = await it.next();
      upstreamMs += performance.now() - t;
      if (next.done === true) break;
      const part: StreamPart = next.value;
      if (part.type === 'finish') usage = part.usage;
      const pending = writeChunk(res, encoder.encode(part));
      if (pending !== undefined) await pending;
      if (res.destroyed) break;
    }
  } catch (thrown) {
    const err = isGatewayError(thrown) ? thrown : new GatewayError('gateway_internal', 'stream failed', { cause: thrown });
    ctx.errorCode = err.code;
    // After content went out the answer cannot be retried: the client gets the dialect's error event.
    if (err.code !== 'caller_cancelled') {
      services.log.warn({ reqId: ctx.requestId, code: err.code, err: err.message, target: outcome.target.id }, 'stream failed after content was sent');
      if (!res.destroyed) res.write(encoder.error(err));
    }
  } finally {
    ctx.upstreamMs = upstreamMs;
    if (res.destroyed) void it.return?.()?.catch(() => undefined);
    if (!res.writableEnded) res.end();
  }
  if (usage !== undefined) account(services, outcome, usage);
  return usage;
}

function startModel(head: ReadonlyArray<StreamPart>): string | undefined {
  const start = head[0];
  return start !== undefined && start.type === 'start' && start.model !== '' ? start.model : undefined;
}

function forwardedHeaders(req: IncomingMessage, requestId: string): Record<string, string> {
  const out: Record<string, string> = { 'x-request-id': requestId };
  for (const name of FORWARDED_HEADERS) {
    const v = req.headers[name];
    if (typeof v === 'string' && v !== '') out[name] = v;
  }
  return out;
}

function account(services: GatewayServices, outcome: DispatchOutcome, usage: Usage): void {
  const metrics = services.metrics;
  if (metrics === undefined) return;
  const id = outcome.target.id;
  metrics.tokens(id, usage.inputTokens, usage.outputTokens);
  const model = services.catalog.findByProviderModel(outcome.target.provider, outcome.target.providerModel);
  if (model !== undefined) {
    metrics.cost(id, estimateCostUsd(model, { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, ...(usage.cacheReadTokens === undefined ? {} : { cachedInputTokens: usage.cacheReadTokens }) }));
  }
}
