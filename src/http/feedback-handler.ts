import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayServices } from './gateway-services.js';
import { readJsonBody } from './read-json-body.js';
import { sendJson } from './send.js';

/** Feedback bodies are tiny; anything bigger is a mistake. */
const FEEDBACK_BODY_LIMIT = 16 * 1024;

/**
 * `POST /v1/feedback {request_id, score, label?}`: attaches an outcome to a logged decision.
 * 400 for a malformed body or a score outside [0, 1], 404 for an unknown request id (or when
 * decision logs are off), in the OpenAI error shape.
 */
export async function handleFeedback(services: GatewayServices, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const feedback = services.ops?.feedback;
  if (feedback === undefined) {
    req.resume();
    throw new GatewayError('caller_not_found', 'Feedback needs decision logs: enable decision_log (and a reachable storage.url)');
  }
  const body = await readJsonBody(req, Math.min(FEEDBACK_BODY_LIMIT, services.config().server.body_limit_bytes));
  sendJson(res, 200, await feedback(body));
}
