import type { IncomingMessage, ServerResponse } from 'node:http';
import { toRoutingText } from '../core/request/routing-text.js';
import { requestFor } from '../engine/dispatch.js';
import type { RequestPlan } from '../engine/plan-request.js';
import { isGatewayError } from '../errors/gateway-error.js';
import { parseAnthropicCountTokensRequest } from '../request/parse-anthropic-messages-request.js';
import type { GatewayServices, RequestContext } from './gateway-services.js';
import { readJsonBody } from './read-json-body.js';
import { sendJson } from './send.js';

/**
 * `POST /v1/messages/count_tokens` (Anthropic's token counting, which Claude Code calls every turn
 * to decide when to compact its context). The model is resolved as for `/v1/messages` (`auto`
 * routes); when it lands on Anthropic or Gemini with a credential (not on an Anthropic OAuth
 * cooldown), the provider's own count of the request as that model would get it is returned
 * (`x-heimdall-token-count: exact`); otherwise, or when that call fails or takes longer than
 * `timeouts.count_tokens`, the gateway's estimate of
 * everything the provider would read: system, turns, tool definitions, ~1,000 tokens an image
 * (`estimate`). Never a made-up zero: a client trusts the number it gets.
 */
export async function handleCountTokens(services: GatewayServices, req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
  const body = await readJsonBody(req, services.config().server.body_limit_bytes);
  const request = parseAnthropicCountTokensRequest(body);
  ctx.model = request.model;
  const creds = services.credentials().resolve(req.headers, ctx.query);
  let plan: RequestPlan | undefined;
  try {
    plan = await services.plan(request, creds);
  } catch (err) {
    // A prompt no model can take, or no candidate at all, still has a size worth reporting (a
    // client compacts on it); authentication, policy and unknown models stay errors.
    if (!isGatewayError(err) || !err.code.startsWith('routing_')) throw err;
  }
  const target = plan?.targets[0];
  const headers: Record<string, string> = {};
  if (plan !== undefined && target !== undefined) {
    ctx.provider = target.provider;
    headers['x-heimdall-model'] = target.providerModel;
    headers['x-heimdall-provider'] = target.provider;
    headers['x-heimdall-bucket'] = plan.bucket;
    headers['x-heimdall-decision-ms'] = plan.decisionMs.toFixed(3);
  }
  let exact: number | undefined;
  const deps = services.dispatchDeps();
  const credential = target === undefined ? undefined : creds.credentialFor(target.provider);
  const adapter = target !== undefined && credential !== undefined && deps.registry.has(target.provider) ? deps.registry.get(target.provider) : undefined;
  // A client's Anthropic OAuth token on its rate-limit cooldown is not spent on counting either.
  const coolingDown = credential !== undefined && credential.fromClient && credential.credential.kind === 'oauth' && deps.cooldowns.remainingMs(credential.credential.token) > 0;
  if (target !== undefined && credential !== undefined && adapter?.countTokens !== undefined && !coolingDown) {
    const abort = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) abort.abort();
    };
    res.on('close', onClose);
    const started = performance.now();
    try {
      const beta = req.headers['anthropic-beta'];
      exact = await adapter.countTokens(requestFor(request, target), {
        model: target.providerModel,
        credential: credential.credential,
        // A client asks before every turn: a slow count must not hold the turn for the providers' minute-long timeouts.
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(services.config().timeouts.count_tokens)]),
        headers: { 'x-request-id': ctx.requestId, ...(typeof beta === 'string' ? { 'anthropic-beta': beta } : {}) },
      });
    } catch (err) {
      if (abort.signal.aborted) throw err;
      const code = isGatewayError(err) ? err.code : 'gateway_internal';
      services.log.warn({ requestId: ctx.requestId, provider: target.provider, model: target.providerModel, code }, 'count_tokens: the provider could not count; answering with the estimate');
    } finally {
      ctx.upstreamMs += performance.now() - started;
      res.off('close', onClose);
    }
  }
  const source = exact === undefined ? 'estimate' : 'exact';
  services.metrics?.tokenCount(source);
  headers['x-heimdall-token-count'] = source;
  sendJson(res, 200, { input_tokens: exact ?? toRoutingText(request).promptTokens }, headers);
}
