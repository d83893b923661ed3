import { GatewayError } from '../errors/gateway-error.js';
import type { DecisionStore } from '../store/store.js';

/** The body of `POST /v1/feedback`. */
export interface FeedbackBody {
  readonly request_id: string;
  /** In [0, 1]: 1 is a fully satisfying answer. */
  readonly score: number;
  readonly label?: string;
}

/** What `POST /v1/feedback` answers (HTTP 200). */
export interface FeedbackResult {
  readonly object: 'feedback';
  readonly request_id: string;
  readonly score: number;
  readonly label?: string;
  /** Epoch seconds. */
  readonly created: number;
}

export interface RecordFeedbackOptions {
  /** The decision logger, so feedback on a record still queued is not answered 404. */
  readonly logger?: { isPending(requestId: string): boolean; flush(): Promise<void> };
  readonly now?: () => number;
}

const MAX_ID = 256;
const MAX_LABEL = 256;

/**
 * The logic of `POST /v1/feedback`: validates the body and attaches the score to the decision
 * record of `request_id` (a second call replaces the first).
 * @throws GatewayError `caller_invalid_request` (400) for a malformed body or a score outside [0, 1],
 *   `caller_not_found` (404) for an unknown request id, `gateway_unavailable` (503) when the store is down.
 */
export async function recordFeedback(store: { readonly decisions: Pick<DecisionStore, 'setFeedback'> }, body: unknown, options: RecordFeedbackOptions = {}): Promise<FeedbackResult> {
  const parsed = parseFeedbackBody(body);
  const now = (options.now ?? Date.now)();
  if (options.logger?.isPending(parsed.request_id) === true) await options.logger.flush();
  let found: boolean;
  try {
    found = await store.decisions.setFeedback(parsed.request_id, { score: parsed.score, ...(parsed.label === undefined ? {} : { label: parsed.label }), createdAt: now });
  } catch (err) {
    throw new GatewayError('gateway_unavailable', 'feedback could not be stored: the decision store is unavailable', { cause: err });
  }
  if (!found) throw new GatewayError('caller_not_found', `No routed request with id "${parsed.request_id}"`, { param: 'request_id' });
  return { object: 'feedback', request_id: parsed.request_id, score: parsed.score, ...(parsed.label === undefined ? {} : { label: parsed.label }), created: Math.floor(now / 1000) };
}

/** Validates a feedback body. @throws GatewayError `caller_invalid_request` naming the field. */
export function parseFeedbackBody(body: unknown): FeedbackBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body must be a JSON object', '');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!['request_id', 'score', 'label'].includes(key)) throw invalid(`unknown field "${key}"`, key);
  const id = b['request_id'];
  if (typeof id !== 'string' || id === '') throw invalid('request_id must be a non-empty string', 'request_id');
  if (id.length > MAX_ID) throw invalid(`request_id must be at most ${MAX_ID} characters`, 'request_id');
  const score = b['score'];
  if (typeof score !== 'number' || !Number.isFinite(score)) throw invalid('score must be a number in [0, 1]', 'score');
  if (score < 0 || score > 1) throw invalid(`score must be in [0, 1] (got ${score})`, 'score');
  const label = b['label'];
  if (label !== undefined && label !== null && (typeof label !== 'string' || label.length > MAX_LABEL)) throw invalid(`label must be a string of at most ${MAX_LABEL} characters`, 'label');
  return { request_id: id, score, ...(typeof label === 'string' ? { label } : {}) };
}

function invalid(message: string, param: string): GatewayError {
  return new GatewayError('caller_invalid_request', message, param === '' ? {} : { param });
}
