import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../types/chat.js';
import type { StreamPart } from '../../types/stream-part.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { createGate, readFixture, startFakeUpstream, type FakeUpstream, type Gate } from '../../../test/helpers/fake-upstream.js';
import { createUndiciHttpClient } from '../shared/http-client.js';
import type { ProviderCallOptions } from '../provider-adapter.js';
import { createOpenAIAdapter } from './create-openai-adapter.js';

const fixture = (name: string): string => readFixture(new URL(`./__fixtures__/${name}`, import.meta.url));
const NOW = Date.parse('2025-01-01T00:00:00Z');

const client = createUndiciHttpClient({ connectTimeoutMs: 2000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, keepAliveTimeoutMs: 1000 });
const impatient = createUndiciHttpClient({ connectTimeoutMs: 2000, headersTimeoutMs: 50, bodyTimeoutMs: 50, keepAliveTimeoutMs: 1000 });
let upstream: FakeUpstream;
const gates: Gate[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream((_req, res) => res.json(200, {}));
});
afterEach(() => {
  for (const g of gates.splice(0)) g.open();
});
afterAll(async () => {
  await Promise.all([client.close(), impatient.close()]);
  await upstream.close();
});

function gate(): Gate {
  const g = createGate();
  gates.push(g);
  return g;
}

function adapter(http = client) {
  return createOpenAIAdapter({ baseUrl: `${upstream.url}/v1/`, httpClient: http, defaultHeaders: { 'OpenAI-Organization': 'org-1' }, nowMs: () => NOW });
}

const request: ChatRequest = {
  format: 'openai',
  model: 'auto',
  system: [{ type: 'text', text: 'You are terse.' }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
  maxOutputTokens: 64,
  reasoning: { effort: 'low' },
  stream: false,
};
const call: ProviderCallOptions = { model: 'gpt-4o-mini', credential: { kind: 'api_key', token: 'sk-test-secret-key-123' }, headers: { 'X-Request-Id': 'r-1' } };

async function collect(iterable: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of iterable) out.push(part);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a failure');
}

describe('OpenAI adapter: doGenerate', () => {
  it('posts the translated body with auth and attribution headers, and parses the answer', async () => {
    upstream.setHandler((_req, res) => res.json(200, JSON.parse(fixture('chat-completion.json'))));
    const res = await adapter().doGenerate(request, call);
    const seen = upstream.requests.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/chat/completions');
    expect(seen.headers['authorization']).toBe('Bearer sk-test-secret-key-123');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['openai-organization']).toBe('org-1');
    expect(seen.headers['x-request-id']).toBe('r-1');
    expect(seen.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hello' },
      ],
      max_completion_tokens: 64,
      reasoning_effort: 'low',
      stream: false,
    });
    expect(res.content).toEqual([{ type: 'text', text: 'Hello! How can I assist you today?' }]);
    expect(res.model).toBe('gpt-4.1-2025-04-14');
    expect(res.usage).toEqual({ inputTokens: 19, outputTokens: 10, cacheReadTokens: 0, reasoningTokens: 0 });
  });

  it('does not let per-call headers override the credential', async () => {
    upstream.setHandler((_req, res) => res.json(200, JSON.parse(fixture('chat-completion.json'))));
    await adapter().doGenerate(request, { ...call, headers: { Authorization: 'Bearer stolen' } });
    expect(upstream.requests.at(-1)!.headers['authorization']).toBe('Bearer sk-test-secret-key-123');
  });

  it('maps the documented context-length error', async () => {
    upstream.setHandler((_req, res) => res.text(400, fixture('error-context-length.json'), { 'content-type': 'application/json' }));
    const err = await failure(adapter().doGenerate(request, call));
    expect(err.code).toBe('provider_context_length_exceeded');
    expect(err.upstreamStatus).toBe(400);
    expect(err.provider).toBe('openai');
    expect(err.model).toBe('gpt-4o-mini');
    expect(err.fallbackAllowed).toBe(true);
  });

  it('maps 429 with Retry-After to provider_rate_limited', async () => {
    upstream.setHandler((_req, res) => res.rateLimited('20', JSON.parse(fixture('error-rate-limit.json'))));
    const err = await failure(adapter().doGenerate(request, call));
    expect(err.code).toBe('provider_rate_limited');
    expect(err.retryAfterSeconds).toBe(20);
    expect(err.message).toContain('requests per min');
  });

  it('maps 401 to provider_auth_failed without echoing the key', async () => {
    upstream.setHandler((_req, res) =>
      res.json(401, { error: { message: 'Incorrect API key provided: sk-test-secret-key-123.', type: 'invalid_request_error', code: 'invalid_api_key' } }),
    );
    const err = await failure(adapter().doGenerate(request, call));
    expect(err.code).toBe('provider_auth_failed');
    expect(err.message).not.toContain('secret-key-123');
  });

  it.each([
    [500, 'provider_server_error'],
    [502, 'provider_server_error'],
    [503, 'provider_overloaded'],
  ] as const)('maps %i to %s', async (status, code) => {
    upstream.setHandler((_req, res) => res.serverError(status));
    expect((await failure(adapter().doGenerate(request, call))).code).toBe(code);
  });

  it('maps slow headers to provider_timeout and a reset to provider_connection_failed', async () => {
    const g = gate();
    upstream.setHandler(async (_req, res) => {
      await res.waitFor(g);
      res.json(200, {});
    });
    expect((await failure(adapter(impatient).doGenerate(request, call))).code).toBe('provider_timeout');
    upstream.setHandler((_req, res) => res.reset());
    expect((await failure(adapter().doGenerate(request, call))).code).toBe('provider_connection_failed');
  });

  it('maps a garbage 200 to provider_bad_response', async () => {
    upstream.setHandler((_req, res) => res.text(200, '<html>oops</html>'));
    expect((await failure(adapter().doGenerate(request, call))).code).toBe('provider_bad_response');
    upstream.setHandler((_req, res) => res.json(200, { choices: 'nope' }));
    expect((await failure(adapter().doGenerate(request, call))).code).toBe('provider_bad_response');
  });
});

describe('OpenAI adapter: doStream', () => {
  it('streams the documented text chunks, split byte by byte', async () => {
    upstream.setHandler((_req, res) => res.sse(fixture('stream-text.chunks.txt'), { split: 1 }));
    const parts = await collect(await adapter().doStream({ ...request, stream: true }, call));
    const seen = upstream.requests.at(-1)!;
    expect(seen.headers['accept']).toBe('text/event-stream');
    expect(seen.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(parts).toEqual([
      { type: 'start', id: 'chatcmpl-123', model: 'gpt-4o-mini' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      { type: 'text-delta', text: ' How can I help you today?' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 9, outputTokens: 9, cacheReadTokens: 0, reasoningTokens: 0 } },
    ]);
  });

  it('streams tool calls', async () => {
    upstream.setHandler((_req, res) => res.sse(fixture('stream-tool-calls.chunks.txt')));
    const parts = await collect(await adapter().doStream({ ...request, stream: true }, call));
    expect(parts.filter((p) => p.type === 'tool-call-start').map((p) => (p.type === 'tool-call-start' ? p.name : ''))).toEqual(['get_weather', 'get_time']);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', stopReason: 'tool_calls' });
  });

  it('rejects the doStream promise itself on an error status', async () => {
    upstream.setHandler((_req, res) => res.rateLimited('Wed, 01 Jan 2025 00:00:05 GMT'));
    const err = await failure(adapter().doStream({ ...request, stream: true }, call));
    expect(err.code).toBe('provider_rate_limited');
    expect(err.retryAfterSeconds).toBe(5);
  });

  it('throws provider_bad_response from the iterator when the stream is truncated', async () => {
    upstream.setHandler((_req, res) => res.sse(fixture('stream-text.chunks.txt'), { endAfter: 3 }));
    const iterable = await adapter().doStream({ ...request, stream: true }, call);
    expect((await failure(collect(iterable))).code).toBe('provider_bad_response');
  });

  it('throws provider_connection_failed from the iterator when the connection drops after N events', async () => {
    upstream.setHandler((_req, res) => res.sse(fixture('stream-text.chunks.txt'), { resetAfter: 2 }));
    const seen: StreamPart[] = [];
    const iterable = await adapter().doStream({ ...request, stream: true }, call);
    const err = await failure(
      (async () => {
        for await (const part of iterable) seen.push(part);
      })(),
    );
    expect(err.code).toBe('provider_connection_failed');
    expect(seen.map((p) => p.type)).toEqual(['start', 'text-delta']);
  });

  it('throws the classified error carried by an error event mid-stream', async () => {
    upstream.setHandler((_req, res) =>
      res.sseData([
        { id: 'c', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] },
        { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } },
      ]),
    );
    const iterable = await adapter().doStream({ ...request, stream: true }, call);
    const err = await failure(collect(iterable));
    expect(err.code).toBe('provider_server_error');
    expect(err.retryable).toBe(true);
  });

  it('maps a stalled stream to provider_timeout', async () => {
    const g = gate();
    upstream.setHandler((_req, res) => res.sse(fixture('stream-text.chunks.txt'), { pause: g, pauseAfter: 2 }));
    const iterable = await adapter(impatient).doStream({ ...request, stream: true }, call);
    expect((await failure(collect(iterable))).code).toBe('provider_timeout');
  });

  it('maps the caller aborting mid-stream to caller_cancelled', async () => {
    const g = gate();
    upstream.setHandler((_req, res) => res.sse(fixture('stream-text.chunks.txt'), { pause: g, pauseAfter: 2 }));
    const ctrl = new AbortController();
    const iterable = await adapter().doStream({ ...request, stream: true }, { ...call, signal: ctrl.signal });
    const err = await failure(
      (async () => {
        for await (const part of iterable) if (part.type === 'text-delta') ctrl.abort();
      })(),
    );
    expect(err.code).toBe('caller_cancelled');
  });

  it('releases the upstream connection when the consumer stops early', async () => {
    const g = gate();
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    upstream.setHandler((_req, res) => {
      res.raw.on('close', () => closed());
      return res.sse(fixture('stream-text.chunks.txt'), { pause: g, pauseAfter: 2 });
    });
    const iterable = await adapter().doStream({ ...request, stream: true }, call);
    for await (const part of iterable) if (part.type === 'text-delta') break;
    await upstreamClosed;
  });

  it('replays a JSON answer to a stream request as stream parts', async () => {
    upstream.setHandler((_req, res) => res.json(200, JSON.parse(fixture('chat-completion-tool-calls.json'))));
    const parts = await collect(await adapter().doStream({ ...request, stream: true }, call));
    expect(parts).toEqual([
      { type: 'start', id: 'chatcmpl-abc123', model: 'gpt-4o-mini' },
      { type: 'tool-call-start', index: 0, id: 'call_abc123', name: 'get_current_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{\n"location": "Boston, MA"\n}' },
      { type: 'finish', stopReason: 'tool_calls', usage: { inputTokens: 82, outputTokens: 17, cacheReadTokens: 64, reasoningTokens: 0 } },
    ]);
  });
});
