import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAnthropicMessagesRequest } from '../request/parse-anthropic-messages-request.js';
import { parseOpenAIChatRequest } from '../request/parse-openai-chat-request.js';
import type { GatewayServices, RequestContext } from './gateway-services.js';
import { readJsonBody } from './read-json-body.js';
import { sendJson } from './send.js';

/**
 * `POST /v1/route`: the decision for a request and its explanation, without calling a provider.
 * The body is an OpenAI chat request, or an Anthropic messages request when `?format=anthropic`
 * or an `anthropic-version` header says so.
 */
export async function handleRoute(services: GatewayServices, req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
  const body = await readJsonBody(req, services.config().server.body_limit_bytes);
  const anthropic = ctx.query?.get('format') === 'anthropic' || req.headers['anthropic-version'] !== undefined;
  const request = anthropic ? parseAnthropicMessagesRequest(body) : parseOpenAIChatRequest(body);
  ctx.model = request.model;
  const creds = services.credentials().resolve(req.headers, ctx.query);
  const plan = await services.plan(request, creds);
  sendJson(res, 200, {
    object: 'heimdall.route',
    model: request.model,
    routed: plan.routed,
    bucket: plan.bucket,
    decision_ms: plan.decisionMs,
    targets: plan.targets.map((t) => ({ id: t.id, provider: t.provider, model: t.providerModel, ...(t.reasoning ? { reasoning: t.reasoning } : {}) })),
    ...(plan.decision === undefined ? {} : { decision: plan.decision }),
  });
}
