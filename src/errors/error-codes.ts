/**
 * The closed catalogue of gateway error codes. Every `GatewayError` carries one of these,
 * and every row says how the edge renders it and whether the engine may retry or fall back.
 */
export const ERROR_CODES = {
  caller_invalid_request: { status: 400, type: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  caller_unauthenticated: { status: 401, type: 'authentication_error', retryable: false, fallbackAllowed: false },
  caller_forbidden: { status: 403, type: 'permission_error', retryable: false, fallbackAllowed: false },
  caller_model_not_found: { status: 404, type: 'not_found_error', retryable: false, fallbackAllowed: false },
  caller_not_found: { status: 404, type: 'not_found_error', retryable: false, fallbackAllowed: false },
  caller_payload_too_large: { status: 413, type: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  caller_cancelled: { status: 499, type: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  policy_rate_limited: { status: 429, type: 'rate_limit_error', retryable: false, fallbackAllowed: false },
  policy_budget_exceeded: { status: 429, type: 'rate_limit_error', retryable: false, fallbackAllowed: false },
  policy_model_blocked: { status: 403, type: 'permission_error', retryable: false, fallbackAllowed: false },
  routing_no_candidate: { status: 400, type: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  routing_context_too_long: { status: 400, type: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  routing_model_unavailable: { status: 503, type: 'api_error', retryable: false, fallbackAllowed: true },
  routing_artifact_invalid: { status: 500, type: 'api_error', retryable: false, fallbackAllowed: false },
  provider_auth_failed: { status: 502, type: 'api_error', retryable: false, fallbackAllowed: false },
  provider_rate_limited: { status: 429, type: 'rate_limit_error', retryable: true, fallbackAllowed: true },
  provider_overloaded: { status: 503, type: 'api_error', retryable: true, fallbackAllowed: true },
  provider_server_error: { status: 502, type: 'api_error', retryable: true, fallbackAllowed: true },
  provider_timeout: { status: 504, type: 'api_error', retryable: true, fallbackAllowed: true },
  provider_connection_failed: { status: 502, type: 'api_error', retryable: true, fallbackAllowed: true },
  provider_bad_response: { status: 502, type: 'api_error', retryable: false, fallbackAllowed: true },
  provider_context_length_exceeded: { status: 400, type: 'invalid_request_error', retryable: false, fallbackAllowed: true },
  provider_invalid_request: { status: 400, type: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  gateway_internal: { status: 500, type: 'api_error', retryable: false, fallbackAllowed: false },
  gateway_config_invalid: { status: 500, type: 'api_error', retryable: false, fallbackAllowed: false },
  gateway_unavailable: { status: 503, type: 'api_error', retryable: false, fallbackAllowed: false },
} as const satisfies Record<string, ErrorCodeInfo>;

/** One row of the catalogue. */
export interface ErrorCodeInfo {
  /** HTTP status the gateway answers with. */
  readonly status: number;
  /** OpenAI-style `error.type`. */
  readonly type: string;
  /** The same target may be tried again after a delay. */
  readonly retryable: boolean;
  /** The next candidate in the decision may be tried. */
  readonly fallbackAllowed: boolean;
}

/** Every error code the gateway can produce. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Type guard for strings read from logs or wire formats. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
