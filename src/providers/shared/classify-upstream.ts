import type { ErrorCode } from '../../errors/error-codes.js';
import { GatewayError, type GatewayErrorOptions } from '../../errors/gateway-error.js';
import { parseRetryAfterSeconds } from './retry-after.js';

/** An upstream non-2xx answer, as read off the wire. */
export interface UpstreamErrorInput {
  readonly provider: string;
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly bodyText: string;
  /** Clock for HTTP-date `Retry-After`; defaults to now. */
  readonly nowMs?: number;
  readonly model?: string;
  /** Credentials sent upstream, scrubbed from the message if the upstream echoes them. */
  readonly secrets?: ReadonlyArray<string>;
}

/** An error object received inside a 2xx stream (OpenAI/OpenRouter `error`, Anthropic `event: error`). */
export interface StreamErrorInput {
  readonly provider: string;
  /** The parsed event payload: `{ error: {...} }`, `{ type: 'error', error: {...} }`, or the error object itself. */
  readonly payload: unknown;
  readonly model?: string;
  readonly secrets?: ReadonlyArray<string>;
}

/** The fields worth knowing in any provider's error envelope. */
export interface UpstreamErrorDetails {
  readonly message?: string;
  /** OpenAI `error.type`, Anthropic `error.type`. */
  readonly type?: string;
  /** OpenAI `error.code` (string), OpenRouter/Gemini `error.code` (number as string). */
  readonly code?: string;
  /** Gemini `error.status` (`RESOURCE_EXHAUSTED`, ...). */
  readonly status?: string;
  /** OpenRouter `error.metadata.raw`: the routed-to provider's own error text. */
  readonly raw?: string;
}

const MAX_MESSAGE_CHARS = 500;
/** Google answers a bad or expired API key with 400 INVALID_ARGUMENT; the ErrorInfo reason says what it is. */
const GOOGLE_BAD_KEY = /"reason"\s*:\s*"API_KEY_(?:INVALID|EXPIRED)"/;

/**
 * Classifies an upstream error answer. Precedence: provider markers in the body first (context
 * length, Anthropic overload, OpenRouter's moderation 403), then the HTTP status: 401/402/403 -> `provider_auth_failed`,
 * 408 -> `provider_timeout`, 413 -> `provider_context_length_exceeded` (the payload is too big for
 * this upstream; a bigger one may take it), 429 -> `provider_rate_limited`, 503/529 ->
 * `provider_overloaded`, 504 -> `provider_timeout`, 409/other 5xx -> `provider_server_error`,
 * other 4xx -> `provider_invalid_request`. Carries `upstreamStatus`, `Retry-After` and the
 * upstream's own message (trimmed, credentials scrubbed).
 */
export function classifyUpstreamError(input: UpstreamErrorInput): GatewayError {
  const details = parseErrorBody(input.bodyText);
  const rawText = details === undefined ? input.bodyText : (details.message ?? '');
  const message = cleanMessage(rawText, input.secrets) || `HTTP ${input.status}`;
  const code = GOOGLE_BAD_KEY.test(input.bodyText) && input.status === 400 ? 'provider_auth_failed' : classify(input.status, details ?? {}, rawText);
  const retryAfter = parseRetryAfterSeconds(input.headers, input.nowMs ?? Date.now());
  const options: GatewayErrorOptions = {
    provider: input.provider,
    upstreamStatus: input.status,
    ...(input.model === undefined ? {} : { model: input.model }),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  };
  return new GatewayError(code, `${input.provider} returned ${input.status}: ${message}`, options);
}

/**
 * Classifies an error object that arrived inside a stream that had already answered 2xx. The
 * status is inferred from the error's numeric code or its type; unknown errors are server errors
 * (retryable before the stream is committed).
 */
export function classifyStreamError(input: StreamErrorInput): GatewayError {
  const details = extractErrorDetails(input.payload) ?? {};
  const status = inferStatus(details);
  const message = cleanMessage(details.message ?? '', input.secrets) || 'error event in stream';
  const code = classify(status, details, details.message ?? '');
  return new GatewayError(code, `${input.provider} stream error: ${message}`, {
    provider: input.provider,
    ...(input.model === undefined ? {} : { model: input.model }),
  });
}

/** Parses an error body as JSON and extracts its details; `undefined` when it is not JSON. */
export function parseErrorBody(bodyText: string): UpstreamErrorDetails | undefined {
  const trimmed = bodyText.trim();
  if (trimmed === '' || (trimmed[0] !== '{' && trimmed[0] !== '[')) return undefined;
  try {
    return extractErrorDetails(JSON.parse(trimmed) as unknown) ?? {};
  } catch {
    return undefined;
  }
}

/**
 * Finds the error object in the envelopes providers use: OpenAI/OpenRouter `{ error: {...} }`,
 * Anthropic `{ type: 'error', error: {...} }`, Gemini `{ error: { code, message, status } }`
 * (sometimes wrapped in an array), `{ error: 'text' }`, and bare `{ message, type, code }`.
 */
export function extractErrorDetails(payload: unknown): UpstreamErrorDetails | undefined {
  let value = payload;
  if (Array.isArray(value)) value = value[0];
  if (!isRecord(value)) return undefined;
  const inner = value['error'];
  if (typeof inner === 'string') return { message: inner };
  const obj = isRecord(inner) ? inner : value;
  const metadata = obj['metadata'];
  const raw = isRecord(metadata) ? metadata['raw'] : undefined;
  const details: {
    message?: string;
    type?: string;
    code?: string;
    status?: string;
    raw?: string;
  } = {};
  const message = obj['message'] ?? obj['detail'];
  if (typeof message === 'string') details.message = message;
  if (typeof obj['type'] === 'string') details.type = obj['type'];
  const code = obj['code'];
  if (typeof code === 'string' || typeof code === 'number') details.code = String(code);
  if (typeof obj['status'] === 'string') details.status = obj['status'];
  if (typeof raw === 'string') details.raw = raw;
  else if (raw !== undefined) details.raw = safeStringify(raw);
  return details;
}

const CONTEXT_MARKERS = new Set(['context_length_exceeded', 'request_too_large']);
const CONTEXT_MESSAGE =
  /maximum context length|context[ _-]length|context window|prompt is too long|input is too long|too many (?:input |prompt )?tokens|input token count.*exceeds|reduce the length of the (?:messages|prompt|input)/i;
const RATE_LIMIT_MARKERS = new Set(['rate_limit_error', 'rate_limit_exceeded', 'resource_exhausted', 'insufficient_quota']);
const OVERLOAD_MARKERS = new Set(['overloaded_error', 'overloaded']);

function classify(status: number, details: UpstreamErrorDetails, messageText: string): ErrorCode {
  const markers = [details.type, details.code, details.status].filter((m): m is string => m !== undefined).map((m) => m.toLowerCase());
  if (markers.some((m) => m === 'context_length_exceeded')) return 'provider_context_length_exceeded';
  const rateLimited = status === 429 || markers.some((m) => RATE_LIMIT_MARKERS.has(m));
  // Rate-limit messages mention token counts ("tokens per min"); only non-rate-limit 4xx can be context errors.
  if (!rateLimited && status >= 400 && status < 500) {
    if (markers.some((m) => CONTEXT_MARKERS.has(m))) return 'provider_context_length_exceeded';
    if (CONTEXT_MESSAGE.test(messageText) || (details.raw !== undefined && CONTEXT_MESSAGE.test(details.raw))) {
      return 'provider_context_length_exceeded';
    }
  }
  if (status === 529 || markers.some((m) => OVERLOAD_MARKERS.has(m))) return 'provider_overloaded';
  // OpenRouter answers 403 when its moderation flags the input: the request, not the key, is at fault.
  if (status === 403 && /flagged|moderation/i.test(messageText)) return 'provider_invalid_request';
  return codeForStatus(status);
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
    case 402:
    case 403:
      return 'provider_auth_failed';
    case 408:
      return 'provider_timeout';
    case 409:
      return 'provider_server_error';
    case 413:
      return 'provider_context_length_exceeded';
    case 429:
      return 'provider_rate_limited';
    case 503:
      return 'provider_overloaded';
    case 504:
      return 'provider_timeout';
    default:
      break;
  }
  if (status >= 500) return 'provider_server_error';
  if (status >= 400) return 'provider_invalid_request';
  // A non-error status reaching the classifier means the upstream answered something unusable.
  return 'provider_bad_response';
}

const STATUS_BY_MARKER: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  invalid_argument: 400,
  failed_precondition: 400,
  authentication_error: 401,
  unauthenticated: 401,
  permission_error: 403,
  permission_denied: 403,
  not_found_error: 404,
  not_found: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  resource_exhausted: 429,
  context_length_exceeded: 400,
  overloaded_error: 529,
  unavailable: 503,
  deadline_exceeded: 504,
  timeout: 408,
};

function inferStatus(details: UpstreamErrorDetails): number {
  const numeric = details.code === undefined ? NaN : Number(details.code);
  if (Number.isInteger(numeric) && numeric >= 400 && numeric <= 599) return numeric;
  for (const marker of [details.code, details.type, details.status]) {
    const status = marker === undefined ? undefined : STATUS_BY_MARKER[marker.toLowerCase()];
    if (status !== undefined) return status;
  }
  return 500;
}

const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\bsk-[A-Za-z0-9_-]{6,}/g, 'sk-***'],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, 'AIza***'],
  [/\bya29\.[0-9A-Za-z._-]+/g, 'ya29.***'],
  [/\bBearer\s+[A-Za-z0-9._~+/-]+=*/gi, 'Bearer ***'],
  [/([?&](?:key|api_key|apikey|access_token|token)=)[^&\s"']+/gi, '$1***'],
];

/** Removes anything that looks like a credential from upstream text (and the given secrets verbatim). */
export function redactSecrets(text: string, secrets: ReadonlyArray<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function cleanMessage(text: string, secrets: ReadonlyArray<string> | undefined): string {
  const flat = redactSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS)}…` : flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '';
  }
}
