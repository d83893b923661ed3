import type { GatewayError } from './gateway-error.js';

/** OpenAI's error envelope, the shape `/v1/chat/completions` clients parse. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/** Anthropic's error envelope, the shape `/v1/messages` clients parse. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export function toOpenAIErrorBody(err: GatewayError): OpenAIErrorBody {
  return { error: { message: err.message, type: err.type, param: err.param ?? null, code: err.code } };
}

/** Anthropic's documented error types, by HTTP status. */
export function toAnthropicErrorBody(err: GatewayError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(err.status), message: err.message } };
}

function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return 'api_error';
  }
}
