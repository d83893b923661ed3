import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../types/chat.js';
import type { StreamPart } from '../../types/stream-part.js';
import { startFakeUpstream, type FakeHandler, type FakeUpstream } from '../../../test/helpers/fake-upstream.js';
import type { ProviderCallOptions } from '../provider-adapter.js';
import { createUndiciHttpClient, type PooledHttpClient } from '../shared/http-client.js';
import { ANTHROPIC_API_VERSION, createAnthropicAdapter } from './create-anthropic-adapter.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

const API_KEY = 'sk-ant-api03-test-key-0123456789';
const call: ProviderCallOptions = { model: 'claude-sonnet-4-5', credential: { kind: 'api_key', token: API_KEY } };

const req: ChatRequest = {
  format: 'openai',
  model: 'auto',
  system: [{ type: 'text', text: 'Be brief.' }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
  maxOutputTokens: 256,
  stream: false,
};

let upstream: FakeUpstream;
let http: PooledHttpClient;
let handler: FakeHandler = (_req, res) => res.json(200, JSON.parse(fixture('messages-text.json')));

beforeAll(async () => {
  upstream = await startFakeUpstream((r, res) => handler(r, res));
  http = createUndiciHttpClient({ connectTimeoutMs: 5000, headersTimeoutMs: 10000, bodyTimeoutMs: 10000, keepAliveTimeoutMs: 1000 });
});
afterAll(async () => {
  await http.close();
  await upstream.close();
});
beforeEach(() => {
  handler = (_req, res) => res.json(200, JSON.parse(fixture('messages-text.json')));
});

function adapter(extra: { betas?: string[]; version?: string; nowMs?: () => number } = {}) {
  return createAnthropicAdapter({ baseUrl: `${upstream.url}/`, httpClient: http, ...extra });
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a rejection');
}

async function drain(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

describe('createAnthropicAdapter', () => {
  it('posts the converted body to /v1/messages with the API key header and parses the answer', async () => {
    const a = adapter();
    expect(a.providerId).toBe('anthropic');
    const res = await a.doGenerate(req, { ...call, headers: { 'X-Request-Id': 'r-1', 'x-api-key': 'spoofed', Authorization: 'Bearer spoofed' } });
    const sent = upstream.requests[upstream.requests.length - 1]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(API_KEY);
    expect(sent.headers['anthropic-version']).toBe(ANTHROPIC_API_VERSION);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['x-request-id']).toBe('r-1');
    expect(sent.headers['authorization']).toBeUndefined();
    expect(sent.headers['anthropic-beta']).toBeUndefined();
    expect(sent.body).toEqual(convertToAnthropicRequest(req, 'claude-sonnet-4-5'));
    expect(sent.body).not.toHaveProperty('stream');
    expect(res.id).toBe('msg_013Zva2CMHLNnXjNJJKqJ2EF');
    expect(res.content).toEqual([{ type: 'text', text: 'Hi! My name is Claude.' }]);
  });

  it('sends an OAuth token as Bearer with the oauth beta next to configured betas', async () => {
    await adapter({ betas: ['prompt-caching-2024-07-31'], version: '2023-01-01' }).doGenerate(req, {
      ...call,
      credential: { kind: 'oauth', token: 'sk-ant-oat01-token' },
      headers: { 'Anthropic-Beta': 'interleaved-thinking-2025-05-14, prompt-caching-2024-07-31', 'x-api-key': 'spoofed' },
    });
    const sent = upstream.requests[upstream.requests.length - 1]!;
    expect(sent.headers['authorization']).toBe('Bearer sk-ant-oat01-token');
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,interleaved-thinking-2025-05-14,oauth-2025-04-20');
    expect(sent.headers['anthropic-version']).toBe('2023-01-01');
  });

  describe('error answers', () => {
    it('429 with retry-after -> provider_rate_limited carrying the delay', async () => {
      handler = (_r, res) => res.json(429, JSON.parse(fixture('error-rate-limit.json')), { 'retry-after': '30' });
      const err = await rejection(adapter().doGenerate(req, call));
      expect(err.code).toBe('provider_rate_limited');
      expect(err.retryAfterSeconds).toBe(30);
      expect(err.upstreamStatus).toBe(429);
      expect(err.message).toContain('rate limit');
    });

    it('reads an HTTP-date retry-after against the injected clock', async () => {
      const now = Date.parse('2026-01-01T00:00:00Z');
      handler = (_r, res) => res.json(429, JSON.parse(fixture('error-rate-limit.json')), { 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' });
      const err = await rejection(adapter({ nowMs: () => now }).doGenerate(req, call));
      expect(err.retryAfterSeconds).toBe(60);
    });

    it('529 overloaded_error -> provider_overloaded', async () => {
      handler = (_r, res) => res.json(529, JSON.parse(fixture('error-overloaded.json')));
      const err = await rejection(adapter().doGenerate(req, call));
      expect(err.code).toBe('provider_overloaded');
      expect(err.retryable).toBe(true);
    });

    it('500 api_error -> provider_server_error', async () => {
      handler = (_r, res) => res.json(500, JSON.parse(fixture('error-api.json')));
      expect((await rejection(adapter().doGenerate(req, call))).code).toBe('provider_server_error');
    });

    it('401 -> provider_auth_failed without echoing the key', async () => {
      handler = (_r, res) => res.json(401, { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${API_KEY}` } });
      const err = await rejection(adapter().doGenerate(req, call));
      expect(err.code).toBe('provider_auth_failed');
      expect(err.message).not.toContain(API_KEY);
    });

    it('400 prompt is too long -> provider_context_length_exceeded', async () => {
      handler = (_r, res) => res.json(400, JSON.parse(fixture('error-prompt-too-long.json')));
      const err = await rejection(adapter().doGenerate(req, call));
      expect(err.code).toBe('provider_context_length_exceeded');
      expect(err.fallbackAllowed).toBe(true);
    });

    it('an error status rejects doStream before any part', async () => {
      handler = (_r, res) => res.json(529, JSON.parse(fixture('error-overloaded.json')));
      expect((await rejection(adapter().doStream({ ...req, stream: true }, call))).code).toBe('provider_overloaded');
    });

    it('invalid caller tool arguments fail before any upstream call', async () => {
      const before = upstream.requests.length;
      const bad: ChatRequest = { ...req, messages: [{ role: 'assistant', content: [{ type: 'tool_call', id: 't', name: 'f', arguments: '{' }] }] };
      expect((await rejection(adapter().doGenerate(bad, call))).code).toBe('caller_invalid_request');
      expect(upstream.requests.length).toBe(before);
    });
  });

  describe('streaming', () => {
    it('streams a recorded answer split into 1-byte writes', async () => {
      handler = (_r, res) => res.sse(fixture('stream-thinking.chunks.txt'), { split: 1 });
      const parts = await drain(await adapter().doStream({ ...req, stream: false, reasoning: { budgetTokens: 2048 } }, call));
      const sent = upstream.requests[upstream.requests.length - 1]!;
      expect(sent.body).toMatchObject({ stream: true, thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 2048 + 256 });
      expect(sent.headers['accept']).toBe('text/event-stream');
      expect(parts.map((p) => p.type)).toEqual(['start', 'thinking-delta', 'thinking-delta', 'thinking-signature', 'text-delta', 'finish']);
    });

    it('a stream cut before message_stop throws provider_bad_response from the iterator', async () => {
      handler = (_r, res) => res.sse(fixture('stream-tool-use.chunks.txt'), { endAfter: 8 });
      const parts = await adapter().doStream({ ...req, stream: true }, call);
      const err = await rejection(drain(parts));
      expect(err.code).toBe('provider_bad_response');
    });

    it('a connection reset mid-stream throws provider_connection_failed', async () => {
      handler = (_r, res) => res.sse(fixture('stream-tool-use.chunks.txt'), { resetAfter: 5 });
      const parts = await adapter().doStream({ ...req, stream: true }, call);
      expect((await rejection(drain(parts))).code).toBe('provider_connection_failed');
    });

    it('an error event mid-stream throws provider_overloaded', async () => {
      handler = (_r, res) => res.sse(fixture('stream-error.chunks.txt'));
      const parts = await adapter().doStream({ ...req, stream: true }, call);
      expect((await rejection(drain(parts))).code).toBe('provider_overloaded');
    });

    it('an already aborted signal -> caller_cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      expect((await rejection(adapter().doStream({ ...req, stream: true }, { ...call, signal: controller.signal }))).code).toBe('caller_cancelled');
    });
  });
});
