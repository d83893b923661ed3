import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** Options carried by a {@link GatewayError} besides its code and message. */
export interface GatewayErrorOptions {
  /** The offending request field, as a dotted path (`messages.0.content`). */
  readonly param?: string;
  readonly provider?: string;
  readonly model?: string;
  readonly upstreamStatus?: number;
  /** Seconds the caller (or the engine) should wait before retrying, from `Retry-After`. */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/**
 * The one error type of the gateway. Match on `code`, not on subclasses: the code's row in
 * {@link ERROR_CODES} fixes the HTTP status, the OpenAI error type, and the retry/fallback policy.
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly retryable: boolean;
  readonly fallbackAllowed: boolean;
  readonly param: string | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly upstreamStatus: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const info = ERROR_CODES[code];
    this.code = code;
    this.status = info.status;
    this.type = info.type;
    this.retryable = info.retryable;
    this.fallbackAllowed = info.fallbackAllowed;
    this.param = options.param;
    this.provider = options.provider;
    this.model = options.model;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True for any {@link GatewayError}, including ones from another copy of this module. */
export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError || (value instanceof Error && value.name === 'GatewayError' && 'code' in value);
}

/** Normalises anything thrown into an `Error` (non-Errors get wrapped, never lost). */
export function castToError(value: unknown): Error {
  if (value instanceof Error) return value;
  try {
    return new Error(typeof value === 'string' ? value : JSON.stringify(value));
  } catch {
    return new Error(String(value));
  }
}

/** True when `value` is an abort (client went away or a timeout signal fired). */
export function isAbortError(value: unknown): boolean {
  return value instanceof Error && (value.name === 'AbortError' || value.name === 'TimeoutError');
}
