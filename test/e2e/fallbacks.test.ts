import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGate, startFakeUpstream, type FakeResponder, type FakeUpstream, type Gate, type RecordedRequest } from '../helpers/fake-upstream.js';
import { anthropicMessage, openaiCompletion, openaiStream } from './helpers/fake-responses.js';
import { startTestGateway, type TestGateway } from './helpers/start-test-gateway.js';

/**
 * Retries and fallbacks, seen through the official clients. All three artifact models are served
 * by one OpenAI-format upstream (told apart by `model`), so each test can make any candidate fail.
 */
type Behaviour = (req: RecordedRequest, res: FakeResponder) => void | Promise<void>;

const MODELS = { 'tiny-small': 'gpt-4o-mini', 'tiny-medium': 'gpt-4.1-mini', 'tiny-large': 'gpt-4.1' } as const;
const WINDOWS: Record<string, number> = { 'gpt-4o-mini': 128_000, 'gpt-4.1-mini': 1_047_576, 'gpt-4.1': 1_047_576 };

let upstream: FakeUpstream;
let gw: TestGateway;
let client: OpenAI;
const behaviours = new Map<string, Behaviour>();
const gates: Gate[] = [];

const ok: Behaviour = async (req, res) => {
  const body = req.body as { model: string; stream?: boolean };
  if (body.stream === true) await res.sseData(openaiStream(body.model, ['from ', body.model]));
  else res.json(200, openaiCompletion(body.model, `from ${body.model}`));
};

function callsTo(model: string): number {
  return upstream.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === model).length;
}

/** The decision's target order for a prompt, from `/v1/route` (no provider call). */
async function order(prompt: string): Promise<string[]> {
  const res = await fetch(`${gw.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: prompt }] }) });
  const body = (await res.json()) as { targets: Array<{ model: string }> };
  return body.targets.map((t) => t.model);
}

const PROMPT = 'say hello to my friend please';
const ask = (prompt = PROMPT) => client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: prompt }] }).withResponse();

beforeAll(async () => {
  upstream = await startFakeUpstream((req, res) => {
    const model = (req.body as { model?: string } | undefined)?.model ?? '';
    return (behaviours.get(model) ?? ok)(req, res);
  });
  gw = await startTestGateway({
    models: Object.fromEntries(Object.entries(MODELS).map(([name, model]) => [name, { provider: 'openai', model }])),
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1`, timeout: '300ms' } },
    retry: { max_retries: 1, max_retry_after: '20s' },
  }, { circuit: { failureThreshold: 1000 } });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'client-placeholder', maxRetries: 0 });
});
beforeEach(() => {
  behaviours.clear();
  (upstream.requests as RecordedRequest[]).length = 0;
});
afterEach(() => {
  for (const g of gates.splice(0)) g.open();
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('non-streaming fallbacks', () => {
  it('retries a 429 after Retry-After, then falls back to the next candidate', async () => {
    const [first, second] = await order(PROMPT);
    behaviours.set(first as string, (_req, res) => res.rateLimited('0'));
    const { data, response } = await ask();
    expect(data.choices[0]?.message.content).toBe(`from ${second}`);
    expect(callsTo(first as string)).toBe(2);
    expect(response.headers.get('x-heimdall-fallback')).toBe('provider_rate_limited');
    expect(response.headers.get('x-heimdall-model')).toBe(second);
  });

  it('does not wait for a Retry-After above retry.max_retry_after: it falls back at once', async () => {
    const [first, second] = await order(PROMPT);
    behaviours.set(first as string, (_req, res) => res.rateLimited('3600'));
    const { data } = await ask();
    expect(data.choices[0]?.message.content).toBe(`from ${second}`);
    expect(callsTo(first as string)).toBe(1);
  });

  it.each([
    ['5xx', ((_req, res) => res.serverError(500)) as Behaviour, 'provider_server_error'],
    ['503', ((_req, res) => res.serverError(503, 'overloaded')) as Behaviour, 'provider_overloaded'],
    ['connection reset', ((_req, res) => res.reset()) as Behaviour, 'provider_connection_failed'],
    ['invalid JSON', ((_req, res) => res.text(200, '{"id": "chatcmpl-1", "choi')) as Behaviour, 'provider_bad_response'],
  ])('falls back after %s', async (_name, behaviour, reason) => {
    const [first, second] = await order(PROMPT);
    behaviours.set(first as string, behaviour);
    const { data, response } = await ask();
    expect(data.choices[0]?.message.content).toBe(`from ${second}`);
    expect(response.headers.get('x-heimdall-fallback')).toBe(reason);
  });

  it('falls back after slow response headers time out', async () => {
    const [first, second] = await order(PROMPT);
    const gate = createGate();
    gates.push(gate);
    behaviours.set(first as string, async (req, res) => {
      await res.waitFor(gate);
      await ok(req, res);
    });
    const { data, response } = await ask();
    expect(data.choices[0]?.message.content).toBe(`from ${second}`);
    expect(response.headers.get('x-heimdall-fallback')).toBe('provider_timeout');
  });

  it('answers with the last error when every candidate fails', async () => {
    for (const m of Object.values(MODELS)) behaviours.set(m, (_req, res) => res.serverError(503, 'overloaded'));
    const err = await ask().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'api_error', code: 'provider_overloaded' });
    expect(callsTo('gpt-4o-mini') + callsTo('gpt-4.1-mini') + callsTo('gpt-4.1')).toBe(6); // 3 targets x (1 + 1 retry)
  });

  it.each([
    [401, 502, 'provider_auth_failed'],
    [403, 502, 'provider_auth_failed'],
    [400, 400, 'provider_invalid_request'],
    [404, 400, 'provider_invalid_request'],
  ])('does not fall back on an upstream %i', async (upstreamStatus, status, code) => {
    const [first] = await order(PROMPT);
    behaviours.set(first as string, (_req, res) => res.json(upstreamStatus, { error: { message: 'nope', type: 'invalid_request_error', param: null, code: null } }));
    const err = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(status);
    expect(err.error).toMatchObject({ code });
    expect(upstream.requests).toHaveLength(1);
  });

  it('escalates a context-length error to a larger-context candidate only', async () => {
    const targets = await order(PROMPT);
    const first = targets[0] as string;
    behaviours.set(first, (_req, res) =>
      res.json(400, { error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }),
    );
    const larger = targets.slice(1).find((m) => (WINDOWS[m] ?? 0) > (WINDOWS[first] ?? 0));
    const result = await ask().catch((e: unknown) => e);
    if (larger === undefined) {
      expect((result as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
      expect((result as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ code: 'provider_context_length_exceeded' });
    } else {
      const { data } = result as Awaited<ReturnType<typeof ask>>;
      expect(data.choices[0]?.message.content).toBe(`from ${larger}`);
    }
    // Candidates no larger than the one that overflowed are never tried.
    for (const m of targets.slice(1)) if ((WINDOWS[m] ?? 0) <= (WINDOWS[first] ?? 0)) expect(callsTo(m)).toBe(0);
  });

  it('cancels the upstream call when the client goes away', async () => {
    const [first] = await order(PROMPT);
    const gate = createGate();
    gates.push(gate);
    let arrived!: () => void;
    const received = new Promise<void>((r) => (arrived = r));
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((r) => (upstreamClosed = r));
    behaviours.set(first as string, async (_req, res) => {
      res.raw.on('close', () => upstreamClosed());
      arrived();
      await res.waitFor(gate);
    });
    const ac = new AbortController();
    const pending = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      signal: ac.signal,
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: PROMPT }] }),
    }).catch((e: unknown) => e);
    await received;
    ac.abort();
    await pending;
    await closed; // resolves only if the gateway aborted its upstream request
    expect(callsTo(first as string)).toBe(1);
  });
});

describe('streaming fallbacks', () => {
  const stream = async (prompt = PROMPT): Promise<{ text: string; headers: Headers; error?: unknown }> => {
    const { data, response } = await client.chat.completions.create({ model: 'auto', stream: true, messages: [{ role: 'user', content: prompt }] }).withResponse();
    let text = '';
    try {
      for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
    } catch (error) {
      return { text, headers: response.headers, error };
    }
    return { text, headers: response.headers };
  };

  it('falls back invisibly when the stream fails before any content', async () => {
    const [first, second] = await order(PROMPT);
    behaviours.set(first as string, async (req, res) => {
      const [role] = openaiStream((req.body as { model: string }).model, []);
      await res.sseData([role, { error: { message: 'The server is overloaded', type: 'server_error', code: 'overloaded' } }]);
    });
    const r = await stream();
    expect(r.error).toBeUndefined();
    expect(r.text).toBe(`from ${second}`);
    expect(r.headers.get('x-heimdall-fallback')).toBe('provider_overloaded');
  });

  it('falls back when the stream is cut before any content', async () => {
    const [first, second] = await order(PROMPT);
    behaviours.set(first as string, async (req, res) => {
      await res.sseData(openaiStream((req.body as { model: string }).model, ['never sent']), { endAfter: 1 });
    });
    const r = await stream();
    expect(r.text).toBe(`from ${second}`);
    expect(r.headers.get('x-heimdall-fallback')).toBe('provider_bad_response');
  });

  it('falls back when a 429 comes before the stream starts', async () => {
    const [first, second] = await order(PROMPT);
    behaviours.set(first as string, (_req, res) => res.rateLimited('0'));
    const r = await stream();
    expect(r.text).toBe(`from ${second}`);
  });

  it('never retries after content was sent: an error after N events ends the stream with an error event', async () => {
    const [first] = await order(PROMPT);
    behaviours.set(first as string, async (req, res) => {
      const chunks = openaiStream((req.body as { model: string }).model, ['partial ', 'answer']);
      await res.sseData([...chunks.slice(0, 3), { error: { message: 'upstream exploded', type: 'server_error' } }]);
    });
    const r = await stream();
    expect(r.text).toBe('partial answer');
    expect(r.error).toBeInstanceOf(OpenAI.APIError);
    expect(String((r.error as Error).message)).toContain('upstream exploded');
    expect(upstream.requests).toHaveLength(1);
  });

  it.each([
    ['truncated', { endAfter: 3 }],
    ['reset', { resetAfter: 3 }],
  ])('ends a %s stream after content with an error event, raw SSE', async (_name, cut) => {
    const [first] = await order(PROMPT);
    behaviours.set(first as string, async (req, res) => {
      await res.sseData(openaiStream((req.body as { model: string }).model, ['partial ', 'answer', 'never']), cut);
    });
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'auto', stream: true, messages: [{ role: 'user', content: PROMPT }] }) });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice(6));
    expect(events.some((e) => e.includes('"content":"partial "'))).toBe(true);
    const last = JSON.parse(events.at(-1) as string) as { error?: { code: string } };
    expect(last.error?.code).toMatch(/^provider_(bad_response|connection_failed)$/);
    expect(events).not.toContain('[DONE]');
    expect(upstream.requests).toHaveLength(1);
  });

  it('streams an Anthropic error event after content for Anthropic clients', async () => {
    const [first] = await order(PROMPT);
    behaviours.set(first as string, async (req, res) => {
      const chunks = openaiStream((req.body as { model: string }).model, ['partial']);
      await res.sseData([...chunks.slice(0, 2), { error: { message: 'upstream exploded', type: 'server_error' } }]);
    });
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'client-placeholder', maxRetries: 0 });
    const s = await anthropic.messages.create({ model: 'auto', max_tokens: 50, stream: true, messages: [{ role: 'user', content: PROMPT }] });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of s) seen.push(e.type);
    })().catch((e: unknown) => e);
    expect(seen).toContain('content_block_delta');
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(String((err as Error).message)).toContain('upstream exploded');
  });
});

describe('circuit breaker and OAuth cooldown', () => {
  it('opens the circuit of a failing target and skips it while open', async () => {
    const local = await startTestGateway(
      {
        models: Object.fromEntries(Object.entries(MODELS).map(([name, model]) => [name, { provider: 'openai', model }])),
        providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
        retry: { max_retries: 0 },
      },
      { circuit: { failureThreshold: 2, coolOffMs: 600_000 } },
    );
    try {
      const res = await fetch(`${local.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: PROMPT }] }) });
      const [first, second] = ((await res.json()) as { targets: Array<{ model: string; id: string }> }).targets;
      behaviours.set(first?.model as string, (_req, r) => r.serverError(500));
      const c = new OpenAI({ baseURL: `${local.url}/v1`, apiKey: 'x', maxRetries: 0 });
      for (let i = 0; i < 2; i++) await c.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: PROMPT }] });
      expect(callsTo(first?.model as string)).toBe(2);
      expect(local.gateway.breakers.state(first?.id as string)).toBe('open');
      const { data, response } = await c.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: PROMPT }] }).withResponse();
      expect(data.choices[0]?.message.content).toBe(`from ${second?.model}`);
      expect(response.headers.get('x-heimdall-fallback')).toBe('circuit_open');
      expect(callsTo(first?.model as string)).toBe(2);
      const metrics = await (await fetch(`${local.url}/metrics`)).text();
      expect(metrics).toMatch(/heimdall_fallbacks_total\{reason="circuit_open"\} 1/);
      expect(metrics).toMatch(/heimdall_circuit_open\{target="openai\/[^"]+"\} 1/);
    } finally {
      await local.close();
    }
  });

  it("puts a client's Anthropic OAuth token on cooldown after a 429 and skips Anthropic meanwhile", async () => {
    const anthropicUp = await startFakeUpstream((req, res) => {
      if ((req.headers['authorization'] ?? '').includes('sk-ant-oat01-client')) {
        res.json(429, { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }, { 'retry-after': '30' });
      } else res.json(200, anthropicMessage((req.body as { model: string }).model, 'claude answered'));
    });
    const local = await startTestGateway({
      models: { 'tiny-small': { provider: 'anthropic', model: 'claude-haiku-4-5' }, 'tiny-medium': { provider: 'anthropic', model: 'claude-sonnet-4-5' }, 'tiny-large': { provider: 'openai', model: 'gpt-4.1' } },
      providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` }, anthropic: { base_url: anthropicUp.url } },
    });
    try {
      const c = new Anthropic({ baseURL: local.url, authToken: 'sk-ant-oat01-client-token', apiKey: null, maxRetries: 0 });
      const err = (await c.messages.create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
      expect(err.status).toBe(429);
      expect(anthropicUp.requests).toHaveLength(1); // a client's OAuth 429 is not retried on the same token
      // During the cooldown: explicit Anthropic requests are refused without calling Anthropic...
      const again = (await c.messages.create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
      expect(again.status).toBe(429);
      expect(again.message).toContain('skipped');
      expect(anthropicUp.requests).toHaveLength(1);
      // ...and routed requests only see the other providers.
      const { data, response } = await c.messages.create({ model: 'auto', max_tokens: 20, messages: [{ role: 'user', content: PROMPT }] }).withResponse();
      expect(response.headers.get('x-heimdall-provider')).toBe('openai');
      expect(data.content[0]).toMatchObject({ type: 'text', text: 'from gpt-4.1' });
      expect(anthropicUp.requests).toHaveLength(1);
    } finally {
      await local.close();
      await anthropicUp.close();
    }
  });
});
