import { describe, it, expect } from 'vitest';
import { classifyStreamError, classifyUpstreamError, redactSecrets } from './classify-upstream.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

function classify(status: number, body: unknown, headers: Record<string, string> = {}, provider = 'openai') {
  return classifyUpstreamError({
    provider,
    status,
    headers,
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    nowMs: NOW,
  });
}

describe('classifyUpstreamError', () => {
  it("reads Google's 400 API_KEY_INVALID as a credential failure, other 400s as bad requests", () => {
    const badKey = {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
      },
    };
    expect(classify(400, badKey, {}, 'gemini').code).toBe('provider_auth_failed');
    expect(classify(400, { error: { code: 400, message: 'Invalid JSON payload', status: 'INVALID_ARGUMENT' } }, {}, 'gemini').code).toBe('provider_invalid_request');
  });

  it('detects OpenAI context_length_exceeded by code', () => {
    const err = classify(400, {
      error: {
        message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    });
    expect(err.code).toBe('provider_context_length_exceeded');
    expect(err.upstreamStatus).toBe(400);
    expect(err.provider).toBe('openai');
    expect(err.message).toContain('maximum context length is 128000');
  });

  it('detects context errors by message (Anthropic, Gemini, OpenRouter raw)', () => {
    expect(
      classify(400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } }, {}, 'anthropic').code,
    ).toBe('provider_context_length_exceeded');
    expect(
      classify(400, { error: { code: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' } }, {}, 'gemini').code,
    ).toBe('provider_context_length_exceeded');
    expect(
      classify(400, { error: { code: 400, message: 'Provider returned error', metadata: { raw: '{"error":{"message":"maximum context length is 8192 tokens"}}', provider_name: 'X' } } }, {}, 'openrouter').code,
    ).toBe('provider_context_length_exceeded');
    expect(classify(413, { type: 'error', error: { type: 'request_too_large', message: 'Request exceeds the maximum size' } }, {}, 'anthropic').code).toBe(
      'provider_context_length_exceeded',
    );
  });

  it('does not read token-rate-limit messages as context errors', () => {
    const err = classify(
      429,
      { error: { message: 'Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000. Too many tokens, reduce the length of the messages.', code: 'rate_limit_exceeded' } },
      { 'retry-after': '7' },
    );
    expect(err.code).toBe('provider_rate_limited');
    expect(err.retryAfterSeconds).toBe(7);
  });

  it('maps Anthropic overloaded_error and 529 to provider_overloaded', () => {
    expect(classify(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, {}, 'anthropic').code).toBe('provider_overloaded');
    expect(classify(500, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, {}, 'anthropic').code).toBe('provider_overloaded');
  });

  it.each([
    [401, 'provider_auth_failed'],
    [402, 'provider_auth_failed'],
    [403, 'provider_auth_failed'],
    [408, 'provider_timeout'],
    [409, 'provider_server_error'],
    [429, 'provider_rate_limited'],
    [500, 'provider_server_error'],
    [502, 'provider_server_error'],
    [503, 'provider_overloaded'],
    [504, 'provider_timeout'],
    [400, 'provider_invalid_request'],
    [404, 'provider_invalid_request'],
    [422, 'provider_invalid_request'],
  ] as const)('maps status %i to %s', (status, code) => {
    const err = classify(status, { error: { message: 'something', type: 'x', code: null } });
    expect(err.code).toBe(code);
    expect(err.upstreamStatus).toBe(status);
  });

  it('reads an OpenRouter moderation 403 as an invalid request, not an auth failure', () => {
    const err = classify(403, { error: { code: 403, message: 'Your input was flagged by moderation', metadata: { reasons: ['x'] } } }, {}, 'openrouter');
    expect(err.code).toBe('provider_invalid_request');
  });

  it('carries Retry-After on any status, including HTTP-dates', () => {
    expect(classify(503, 'unavailable', { 'retry-after': 'Wed, 01 Jan 2025 00:01:00 GMT' }).retryAfterSeconds).toBe(60);
    expect(classify(429, {}, { 'retry-after-ms': '250' }).retryAfterSeconds).toBe(0.25);
  });

  it('keeps a trimmed message from non-JSON bodies and never leaks credentials', () => {
    const html = `<html>${'x'.repeat(2000)}</html>`;
    const err = classify(502, html);
    expect(err.code).toBe('provider_server_error');
    expect(err.message.length).toBeLessThan(600);
    const leaked = classify(401, { error: { message: 'Incorrect API key provided: sk-proj-abcdefghijklmnop1234. Bearer abc.def' } });
    expect(leaked.code).toBe('provider_auth_failed');
    expect(leaked.message).not.toContain('abcdefghijklmnop');
    expect(leaked.message).not.toContain('abc.def');
  });

  it('scrubs the given secrets verbatim and key= query parameters', () => {
    expect(redactSecrets('token my-secret-token at https://x?key=AAAA&x=1', ['my-secret-token'])).toBe('token *** at https://x?key=***&x=1');
  });

  it('falls back to the status text when the body is empty', () => {
    expect(classify(500, '').message).toBe('openai returned 500: HTTP 500');
  });
});

describe('classifyStreamError', () => {
  it('classifies an OpenAI mid-stream error as a server error', () => {
    const err = classifyStreamError({ provider: 'openai', payload: { error: { message: 'The server had an error', type: 'server_error', code: null } } });
    expect(err.code).toBe('provider_server_error');
    expect(err.message).toContain('The server had an error');
  });

  it('uses numeric codes, Anthropic types and Gemini statuses', () => {
    expect(classifyStreamError({ provider: 'openrouter', payload: { error: { code: 429, message: 'slow down' } } }).code).toBe('provider_rate_limited');
    expect(classifyStreamError({ provider: 'anthropic', payload: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }).code).toBe(
      'provider_overloaded',
    );
    expect(classifyStreamError({ provider: 'gemini', payload: [{ error: { code: 'x', status: 'RESOURCE_EXHAUSTED', message: 'quota' } }] }).code).toBe(
      'provider_rate_limited',
    );
    expect(classifyStreamError({ provider: 'openai', payload: { error: { code: 'context_length_exceeded', message: 'too long' } } }).code).toBe(
      'provider_context_length_exceeded',
    );
  });
});
