import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../types/chat.js';
import type { StreamPart } from '../../types/stream-part.js';
import { startFakeUpstream, type FakeHandler, type FakeUpstream } from '../../../test/helpers/fake-upstream.js';
import type { ProviderCallOptions } from '../provider-adapter.js';
import { createUndiciHttpClient, type PooledHttpClient } from '../shared/http-client.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { createGeminiAdapter } from './create-gemini-adapter.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

const API_KEY = 'AIzaSyTestKey0123456789abcdefghij';
const call: ProviderCallOptions = { model: 'gemini-2.5-flash', credential: { kind: 'api_key', token: API_KEY } };
const req: ChatRequest = {
  format: 'openai',
  model: 'auto',
  system: [{ type: 'text', text: 'Be brief.' }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Explain AI' }] }],
  reasoning: { effort: 'low' },
  stream: false,
};

let upstream: FakeUpstream;
let http: PooledHttpClient;
const defaultHandler: FakeHandler = (_r, res) => res.json(200, JSON.parse(fixture('generate-text.json')));
let handler: FakeHandler = defaultHandler;

beforeAll(async () => {
  upstream = await startFakeUpstream((r, res) => handler(r, res));
  http = createUndiciHttpClient({ connectTimeoutMs: 5000, headersTimeoutMs: 10000, bodyTimeoutMs: 10000, keepAliveTimeoutMs: 1000 });
});
afterAll(async () => {
  await http.close();
  await upstream.close();
});
beforeEach(() => {
  handler = defaultHandler;
});

const adapter = (apiVersion?: string) =>
  createGeminiAdapter({ baseUrl: upstream.url, httpClient: http, generateId: () => 'gen-id', ...(apiVersion === undefined ? {} : { apiVersion }) });
const lastRequest = () => upstream.requests[upstream.requests.length - 1]!;

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

describe('createGeminiAdapter', () => {
  it('posts to :generateContent with the key in x-goog-api-key, never in the URL', async () => {
    const a = adapter();
    expect(a.providerId).toBe('gemini');
    const res = await a.doGenerate(req, { ...call, headers: { 'x-request-id': 'r-9', 'x-goog-api-key': 'spoofed', authorization: 'Bearer spoofed' } });
    const sent = lastRequest();
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.url).not.toContain(API_KEY);
    expect(sent.headers['x-goog-api-key']).toBe(API_KEY);
    expect(sent.headers['authorization']).toBeUndefined();
    expect(sent.headers['x-request-id']).toBe('r-9');
    expect(sent.body).toEqual(convertToGeminiRequest(req, 'gemini-2.5-flash'));
    expect(res.id).toBe('mAitaLmkHPPlz7IPvtfUqQ4');
    expect(res.content).toEqual([{ type: 'text', text: 'AI learns patterns from data to make predictions.' }]);
  });

  it('sends OAuth as Bearer, honours apiVersion and a models/ prefix, and falls back to the generated id', async () => {
    handler = (_r, res) => res.json(200, JSON.parse(fixture('generate-thinking.json')));
    const res = await adapter('v1').doGenerate(req, { ...call, model: 'models/gemini-2.5-pro', credential: { kind: 'oauth', token: 'ya29.token' } });
    const sent = lastRequest();
    expect(sent.url).toBe('/v1/models/gemini-2.5-pro:generateContent');
    expect(sent.headers['authorization']).toBe('Bearer ya29.token');
    expect(sent.headers['x-goog-api-key']).toBeUndefined();
    expect(res.id).toBe('gen-id');
  });

  describe('error answers', () => {
    it('429 RESOURCE_EXHAUSTED with retry-after -> provider_rate_limited', async () => {
      handler = (_r, res) => res.json(429, JSON.parse(fixture('error-rate-limit.json')), { 'retry-after': '17' });
      const err = await rejection(adapter().doGenerate(req, call));
      expect(err.code).toBe('provider_rate_limited');
      expect(err.retryAfterSeconds).toBe(17);
    });

    it('400 input token count exceeds -> provider_context_length_exceeded', async () => {
      handler = (_r, res) => res.json(400, JSON.parse(fixture('error-context-length.json')));
      expect((await rejection(adapter().doGenerate(req, call))).code).toBe('provider_context_length_exceeded');
    });

    it('400 API_KEY_INVALID -> provider_auth_failed', async () => {
      handler = (_r, res) => res.json(400, JSON.parse(fixture('error-api-key-invalid.json')));
      const err = await rejection(adapter().doGenerate(req, call));
      expect(err.code).toBe('provider_auth_failed');
      expect(err.upstreamStatus).toBe(400);
    });

    it('403 PERMISSION_DENIED -> provider_auth_failed; other 400s stay provider_invalid_request', async () => {
      handler = (_r, res) => res.json(403, JSON.parse(fixture('error-permission.json')));
      expect((await rejection(adapter().doGenerate(req, call))).code).toBe('provider_auth_failed');
      handler = (_r, res) => res.json(400, { error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' } });
      expect((await rejection(adapter().doGenerate(req, call))).code).toBe('provider_invalid_request');
    });

    it('503 UNAVAILABLE -> provider_overloaded, 500 INTERNAL -> provider_server_error', async () => {
      handler = (_r, res) => res.json(503, JSON.parse(fixture('error-overloaded.json')));
      expect((await rejection(adapter().doGenerate(req, call))).code).toBe('provider_overloaded');
      handler = (_r, res) => res.json(500, JSON.parse(fixture('error-internal.json')));
      expect((await rejection(adapter().doStream({ ...req, stream: true }, call))).code).toBe('provider_server_error');
    });
  });

  describe('streaming', () => {
    it('posts to :streamGenerateContent?alt=sse and yields the parts', async () => {
      handler = (_r, res) => res.sse(fixture('stream-function-call.chunks.txt'), { split: 5 });
      const parts = await drain(await adapter().doStream({ ...req, stream: true }, { ...call, model: 'gemini-3-pro-preview' }));
      const sent = lastRequest();
      expect(sent.url).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
      expect(sent.headers['accept']).toBe('text/event-stream');
      expect(sent.body).toMatchObject({ generationConfig: { thinkingConfig: { thinkingLevel: 'low', includeThoughts: true } } });
      expect(parts.map((p) => p.type)).toEqual([
        'start',
        'thinking-delta',
        'thinking-signature',
        'tool-call-start',
        'tool-call-delta',
        'tool-call-start',
        'tool-call-delta',
        'finish',
      ]);
    });

    it('a stream ended early throws provider_bad_response; a reset throws provider_connection_failed', async () => {
      handler = (_r, res) => res.sse(fixture('stream-text.chunks.txt'), { endAfter: 2 });
      expect((await rejection(drain(await adapter().doStream(req, call)))).code).toBe('provider_bad_response');
      handler = (_r, res) => res.sse(fixture('stream-text.chunks.txt'), { resetAfter: 1 });
      expect((await rejection(drain(await adapter().doStream(req, call)))).code).toBe('provider_connection_failed');
    });

    it('an error chunk mid-stream throws the classified error', async () => {
      handler = (_r, res) => res.sse(fixture('stream-error.chunks.txt'));
      expect((await rejection(drain(await adapter().doStream(req, call)))).code).toBe('provider_overloaded');
    });
  });
});
