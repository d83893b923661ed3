import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { startTestGateway, type TestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

/** Every bad input gets a 4xx in the endpoint's own error shape, and nothing reaches a provider. */
let upstream: FakeUpstream;
let gw: TestGateway;
const GATEWAY_KEY = 'hk-test-gateway-key-0123456789';
const LIMITED_KEY = 'hk-limited-gateway-key-0123456789';
const CHEAP_KEY = 'hk-cheap-gateway-key-0123456789';

beforeAll(async () => {
  upstream = await startFakeUpstream((req, res) => res.json(200, openaiCompletion((req.body as { model: string }).model, 'ok')));
  gw = await startTestGateway({
    models: TINY_OPENAI_MODELS,
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
    server: { body_limit_bytes: 64 * 1024 },
    auth: {
      gateway_keys: [
        { name: 'main', key: GATEWAY_KEY },
        { name: 'limited', key: LIMITED_KEY, models: ['openai/gpt-4.1'] },
        { name: 'cheap', key: CHEAP_KEY, max_price_usd_per_request: 0.001 },
      ],
    },
  });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const OPENAI = '/v1/chat/completions';
const ANTHROPIC = '/v1/messages';

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${gw.url}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

function expectOpenAIError(body: Record<string, unknown>, type: string, code: string): void {
  const err = body['error'] as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(err).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(err).toMatchObject({ type, code });
  expect(err['param'] === null || typeof err['param'] === 'string').toBe(true);
  expect((err['message'] as string).length).toBeGreaterThan(10);
}

function expectAnthropicError(body: Record<string, unknown>, type: string): void {
  expect(body).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
}

const user = (content: unknown) => ({ role: 'user', content });

describe('bad input on /v1/chat/completions (OpenAI error shape)', () => {
  it.each([
    ['malformed JSON', '{"model": "auto", "messages": [', 400, 'invalid_request_error', 'caller_invalid_request'],
    ['an empty body', '', 400, 'invalid_request_error', 'caller_invalid_request'],
    ['a JSON array', '[1, 2]', 400, 'invalid_request_error', 'caller_invalid_request'],
    ['no messages', JSON.stringify({ model: 'auto' }), 400, 'invalid_request_error', 'caller_invalid_request'],
    ['empty messages', JSON.stringify({ model: 'auto', messages: [] }), 400, 'invalid_request_error', 'caller_invalid_request'],
    ['a wrong type', JSON.stringify({ model: 'auto', messages: [user('hi')], temperature: 'hot' }), 400, 'invalid_request_error', 'caller_invalid_request'],
    ['an unknown role', JSON.stringify({ model: 'auto', messages: [{ role: 'wizard', content: 'hi' }] }), 400, 'invalid_request_error', 'caller_invalid_request'],
    ['an unsupported parameter', JSON.stringify({ model: 'auto', messages: [user('hi')], n: 3 }), 400, 'invalid_request_error', 'caller_invalid_request'],
    ['an unknown parameter', JSON.stringify({ model: 'auto', messages: [user('hi')], max_token: 3 }), 400, 'invalid_request_error', 'caller_invalid_request'],
    ['an unknown model', JSON.stringify({ model: 'nonexistent-model-9', messages: [user('hi')] }), 404, 'not_found_error', 'caller_model_not_found'],
    ['a retired model', JSON.stringify({ model: 'anthropic/claude-opus-4-1', messages: [user('hi')] }), 404, 'not_found_error', 'caller_model_not_found'],
  ])('rejects %s', async (_name, body, status, type, code) => {
    const before = upstream.requests.length;
    const res = await post(OPENAI, body);
    expect(res.status).toBe(status);
    expectOpenAIError(res.body, type, code);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(upstream.requests.length).toBe(before);
  });

  it('rejects a body over the limit with 413, by declared length and by actual size', async () => {
    const big = JSON.stringify({ model: 'auto', messages: [user('x'.repeat(100 * 1024))] });
    const res = await post(OPENAI, big);
    expect(res.status).toBe(413);
    expectOpenAIError(res.body, 'invalid_request_error', 'caller_payload_too_large');
    // Chunked upload without a content-length: the limit applies while reading.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${gw.url}${OPENAI}`, { method: 'POST', headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(big.slice(i * 10_000, (i + 1) * 10_000));
      req.end(big.slice(100_000));
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: 'caller_payload_too_large' } });
  });

  it('requires a gateway key when keys are configured (401), and checks it', async () => {
    const none = await fetch(`${gw.url}${OPENAI}`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [user('hi')] }) });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expectOpenAIError((await none.json()) as Record<string, unknown>, 'authentication_error', 'caller_unauthenticated');
    const wrong = await post(OPENAI, JSON.stringify({ model: 'auto', messages: [user('hi')] }), { authorization: 'Bearer hk-wrong-key-000000000000' });
    expect(wrong.status).toBe(401);
    expect((wrong.body['error'] as { message: string }).message).toContain('Invalid gateway API key');
  });

  it("enforces a key's model allow-list (403)", async () => {
    const res = await post(OPENAI, JSON.stringify({ model: 'gpt-4o-mini', messages: [user('hi')] }), { authorization: `Bearer ${LIMITED_KEY}` });
    expect(res.status).toBe(403);
    expectOpenAIError(res.body, 'permission_error', 'policy_model_blocked');
    const allowed = await post(OPENAI, JSON.stringify({ model: 'gpt-4.1', messages: [user('hi')] }), { authorization: `Bearer ${LIMITED_KEY}` });
    expect(allowed.status).toBe(200);
    const routed = await post(OPENAI, JSON.stringify({ model: 'auto', messages: [user('hi')] }), { authorization: `Bearer ${LIMITED_KEY}` });
    expect(routed.status).toBe(200);
    expect(routed.headers.get('x-heimdall-model')).toBe('gpt-4.1');
  });

  it("enforces a key's max price per request (403) on the worst-case cost of an explicit model", async () => {
    // gpt-4.1: $8 per million output tokens, so 1,000 output tokens may cost $0.008.
    const res = await post(OPENAI, JSON.stringify({ model: 'gpt-4.1', max_tokens: 1000, messages: [user('hi')] }), { authorization: `Bearer ${CHEAP_KEY}` });
    expect(res.status).toBe(403);
    expectOpenAIError(res.body, 'permission_error', 'policy_model_blocked');
    expect((res.body['error'] as { message: string }).message).toContain('$0.001');
    const small = await post(OPENAI, JSON.stringify({ model: 'gpt-4.1', max_tokens: 10, messages: [user('hi')] }), { authorization: `Bearer ${CHEAP_KEY}` });
    expect(small.status).toBe(200);
  });

  it('answers 405 for a wrong method and 404 for an unknown path', async () => {
    const get = await fetch(`${gw.url}${OPENAI}`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const unknown = await fetch(`${gw.url}/v2/nothing`);
    expect(unknown.status).toBe(404);
    expectOpenAIError((await unknown.json()) as Record<string, unknown>, 'not_found_error', 'caller_not_found');
  });

  it('answers 502 with a clear error when the upstream answers garbage and nothing can take over', async () => {
    upstream.setHandler((_req, res) => res.text(200, 'this is not json'));
    try {
      const res = await post(OPENAI, JSON.stringify({ model: 'gpt-4.1', messages: [user('hi')] }));
      expect(res.status).toBe(502);
      expectOpenAIError(res.body, 'api_error', 'provider_bad_response');
      expect((res.body['error'] as { message: string }).message).toContain('invalid JSON');
    } finally {
      upstream.setHandler((req, res) => res.json(200, openaiCompletion((req.body as { model: string }).model, 'ok')));
    }
  });
});

describe('bad input on /v1/messages (Anthropic error shape)', () => {
  it.each([
    ['malformed JSON', '{"model": ', 400, 'invalid_request_error'],
    ['no max_tokens', JSON.stringify({ model: 'auto', messages: [user('hi')] }), 400, 'invalid_request_error'],
    ['a wrong type', JSON.stringify({ model: 'auto', max_tokens: 'ten', messages: [user('hi')] }), 400, 'invalid_request_error'],
    ['an empty text block', JSON.stringify({ model: 'auto', max_tokens: 10, messages: [user([{ type: 'text', text: '' }])] }), 400, 'invalid_request_error'],
    ['an unknown model', JSON.stringify({ model: 'nonexistent-model-9', max_tokens: 10, messages: [user('hi')] }), 404, 'not_found_error'],
  ])('rejects %s', async (_name, body, status, type) => {
    const res = await post(ANTHROPIC, body);
    expect(res.status).toBe(status);
    expectAnthropicError(res.body, type);
    expect(res.headers.get('request-id')).toBe(res.headers.get('x-request-id'));
  });

  it('rejects a body over the limit with 413 request_too_large', async () => {
    const res = await post(ANTHROPIC, JSON.stringify({ model: 'auto', max_tokens: 10, messages: [user('y'.repeat(100 * 1024))] }));
    expect(res.status).toBe(413);
    expectAnthropicError(res.body, 'request_too_large');
  });

  it('rejects a missing gateway key with an Anthropic 401', async () => {
    const res = await fetch(`${gw.url}${ANTHROPIC}`, { method: 'POST', body: JSON.stringify({ model: 'auto', max_tokens: 10, messages: [user('hi')] }) });
    expect(res.status).toBe(401);
    expectAnthropicError((await res.json()) as Record<string, unknown>, 'authentication_error');
  });
});
