import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createGate, startFakeUpstream, type FakeUpstream, type Gate } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { startTestGateway, TINY_OPENAI_MODELS, type TestGateway } from './helpers/start-test-gateway.js';

/**
 * `server.max_in_flight`: past the limit a chat request is refused at once (503, `Retry-After: 1`,
 * the endpoint's own error shape, a log line) without reaching a provider; a slot comes back when
 * an answer is out or its client went away, and the other endpoints are never limited.
 */
let upstream: FakeUpstream;
let gw: TestGateway;
let gate: Gate = createGate();

beforeAll(async () => {
  upstream = await startFakeUpstream(async (req, res) => {
    const prompt = JSON.stringify(req.body);
    if (!prompt.includes('fast')) await res.waitFor(gate);
    res.json(200, openaiCompletion('gpt-4o-mini', 'hi'));
  });
  gw = await startTestGateway({
    models: TINY_OPENAI_MODELS,
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
    server: { max_in_flight: 2 },
  });
});
afterAll(async () => {
  gate.open();
  await gw.close();
  await upstream.close();
});

function chat(content: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
    ...(signal === undefined ? {} : { signal }),
  });
}

describe('server.max_in_flight', () => {
  it('refuses chat requests past the limit with a 503 in each dialect, and serves again once answers are out', async () => {
    const held = [chat('slow one'), chat('slow two')];
    await expect.poll(() => upstream.requests.length).toBe(2);

    const refused = await chat('fast');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const body = (await refused.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ code: 'gateway_unavailable', type: 'api_error' });
    expect(body.error.message).toContain('limit of 2');

    const anthropic = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'fast' }] }),
    });
    expect(anthropic.status).toBe(503);
    expect(((await anthropic.json()) as { type: string; error: { type: string } }).type).toBe('error');

    // Neither refused request reached the provider; the other endpoints are not limited.
    expect(upstream.requests.length).toBe(2);
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
    const routed = await fetch(`${gw.url}/v1/route`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(routed.status).toBe(200);
    expect(gw.logs.some((l) => l['status'] === 503 && l['code'] === 'gateway_unavailable' && l['route'] === 'chat_completions')).toBe(true);

    gate.open();
    for (const res of await Promise.all(held)) expect(res.status).toBe(200);
    await expect.poll(async () => (await chat('fast')).status).toBe(200);
  });

  it('gives a slot back when its client goes away before the answer', async () => {
    gate = createGate();
    const before = upstream.requests.length;
    const controller = new AbortController();
    const held = [chat('slow three', controller.signal), chat('slow four', controller.signal)].map((p) => p.catch((err: unknown) => err));
    await expect.poll(() => upstream.requests.length).toBe(before + 2);
    expect((await chat('fast')).status).toBe(503);

    controller.abort();
    await Promise.all(held);
    await expect.poll(async () => (await chat('fast')).status).toBe(200);
    gate.open();
  });

  it('takes a new limit from a config reload, without a restart', async () => {
    gate = createGate();
    const before = upstream.requests.length;
    const held = [chat('slow five'), chat('slow six')];
    await expect.poll(() => upstream.requests.length).toBe(before + 2);
    expect((await chat('fast')).status).toBe(503);
    const current = gw.gateway.services.config();
    gw.gateway.applyConfig({ ...current, server: { ...current.server, max_in_flight: 3 } });
    expect((await chat('fast')).status).toBe(200);
    gate.open();
    await Promise.all(held);
    gw.gateway.applyConfig(current);
  });

  it('is a non-negative integer, 0 (no limit) by default', () => {
    expect(loadConfig({ env: {} }).server.max_in_flight).toBe(0);
    expect(() => loadConfig({ env: {}, overrides: { server: { max_in_flight: -1 } } })).toThrow(/max_in_flight/);
  });
});
