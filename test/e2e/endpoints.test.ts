import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { startTestGateway, type TestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream((req, res) => res.json(200, openaiCompletion((req.body as { model: string }).model, 'ok')));
  gw = await startTestGateway({
    models: TINY_OPENAI_MODELS,
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
  });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const chat = (model: string, content = 'hello there') =>
  fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });

describe('operational endpoints', () => {
  it('GET /health and /ready answer once warm-up ran', async () => {
    expect(await (await fetch(`${gw.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gw.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', artifact_version: gw.gateway.routing.state().version });
  });

  it('POST /v1/route explains the decision without calling a provider', async () => {
    const before = upstream.requests.length;
    const res = await fetch(`${gw.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'prove that sqrt 2 is irrational' }] }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      routed: boolean;
      bucket: string;
      targets: Array<{ id: string }>;
      decision: { candidates: Array<{ id: string; score: number }>; explanation: { clusters: unknown[]; features: { tokens: number } } };
    };
    expect(body.routed).toBe(true);
    expect(['cheap', 'mid', 'hard']).toContain(body.bucket);
    expect(body.targets.map((t) => t.id)).toEqual(body.decision.candidates.map((c) => c.id));
    expect(body.decision.explanation.clusters.length).toBeGreaterThan(0);
    expect(body.decision.explanation.features.tokens).toBeGreaterThan(0);
    expect(upstream.requests.length).toBe(before);
    // An Anthropic-shaped body is accepted too.
    const anth = await fetch(`${gw.url}/v1/route?format=anthropic`, { method: 'POST', body: JSON.stringify({ model: 'fast', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(((await anth.json()) as { bucket: string }).bucket).toBe('cheap');
    const explicit = await fetch(`${gw.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(await explicit.json()).toMatchObject({ routed: false, bucket: 'explicit', targets: [{ id: 'openai/gpt-4o-mini' }, { id: 'openrouter/openai/gpt-4o-mini' }] });
  });

  it('sends the decision explanation as a header when asked', async () => {
    const plain = await chat('auto');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-heimdall-explanation')).toBeNull();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-heimdall-explain': '1' },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hello there' }] }),
    });
    expect(res.status).toBe(200);
    const explanation = JSON.parse(res.headers.get('x-heimdall-explanation') ?? 'null') as { bucket: string; candidates: { id: string; score: number }[] };
    expect(explanation.bucket).toBe(res.headers.get('x-heimdall-bucket'));
    expect(explanation.candidates[0]?.id).toBe(`openai/${res.headers.get('x-heimdall-model') ?? ''}`);
    expect(explanation.candidates.length).toBeGreaterThan(0);
  });

  it('keeps the client request id, or makes one', async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
    const bad = await fetch(`${gw.url}/v1/models`, { headers: { 'x-request-id': 'has spaces and {braces}' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await chat('auto');
    expect(upstream.requests.at(-1)?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GET /metrics exposes requests, decisions, cache, upstream, tokens, cost and overhead', async () => {
    await chat('auto', 'metrics please');
    await chat('auto', 'metrics please');
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/heimdall_requests_total\{route="chat_completions",status="200"\} \d+/);
    expect(text).toMatch(/heimdall_request_duration_seconds_bucket\{le="[^"]+",route="chat_completions"\}/);
    expect(text).toMatch(/heimdall_decision_duration_seconds_count \d+/);
    expect(text).toMatch(/heimdall_decision_cache_hit_ratio 0\.\d+/);
    expect(text).toMatch(/heimdall_upstream_duration_seconds_count\{provider="openai",model="[^"]+",status="200"\} \d+/);
    expect(text).toMatch(/heimdall_tokens_total\{model="openai\/[^"]+",direction="input"\} \d+/);
    expect(text).toMatch(/heimdall_cost_usd_total\{model="openai\/[^"]+"\} [0-9.e-]+/);
    expect(text).toMatch(/heimdall_gateway_overhead_seconds_count\{route="chat_completions"\} \d+/);
    expect(text).toMatch(/heimdall_process_resident_memory_bytes \d+/);
  });

  it('logs one structured line per request without credentials', async () => {
    await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-proj-client-secret-key-123' },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'log me' }] }),
    });
    const line = gw.logs.filter((l) => l['msg'] === 'request').at(-1);
    expect(line).toMatchObject({ route: 'chat_completions', status: 200, provider: 'openai' });
    expect(JSON.stringify(gw.logs)).not.toContain('sk-proj-client-secret-key-123');
  });
});

describe('configuration reload', () => {
  it('applies a new configuration to the running gateway and rejects an invalid one', async () => {
    const local = await startTestGateway({
      models: TINY_OPENAI_MODELS,
      providers: { openai: { api_key: 'sk-proj-before-reload', base_url: `${upstream.url}/v1` } },
    });
    try {
      const send = () => fetch(`${local.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
      await send();
      expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-proj-before-reload');
      const base = local.gateway.services.config();
      local.gateway.applyConfig(loadConfig({ env: {}, overrides: { ...JSON.parse(JSON.stringify(base)), providers: { openai: { api_key: 'sk-proj-after-reload', base_url: `${upstream.url}/v1` } } } }));
      await send();
      expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-proj-after-reload');
      const broken = loadConfig({ env: {}, overrides: { ...JSON.parse(JSON.stringify(base)), models: { 'tiny-small': { provider: 'openai', model: 'not-in-the-catalog' } } } });
      expect(() => local.gateway.applyConfig(broken)).toThrow(/no provider mapping/);
      await send();
      expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-proj-after-reload');
    } finally {
      await local.close();
    }
  });
});

describe('configuration reload of start-only settings', () => {
  it('warns that a changed port, worker count or heap applies at the next start, and is quiet otherwise', async () => {
    const local = await startTestGateway({ models: TINY_OPENAI_MODELS, providers: { openai: { api_key: 'sk-proj-x', base_url: `${upstream.url}/v1` } } });
    try {
      const base = JSON.parse(JSON.stringify(local.gateway.services.config())) as { server: Record<string, unknown> };
      const warnings = () => local.logs.filter((l) => l['msg'] === 'changed by a reload; takes effect at the next start');
      // A live setting: applied by the reload, nothing to warn about.
      local.gateway.applyConfig(loadConfig({ env: {}, overrides: { ...base, server: { ...base.server, request_timeout: 5_000 } } }));
      expect(local.gateway.services.config().server.request_timeout).toBe(5_000);
      expect(warnings()).toHaveLength(0);
      local.gateway.applyConfig(loadConfig({ env: {}, overrides: { ...base, server: { ...base.server, port: 9999, heap: { initial_old_space_mb: 96 } } } }));
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]?.['keys']).toEqual(['server.port', 'server.heap']);
    } finally {
      await local.close();
    }
  });
});

describe('starting without keys', () => {
  it('starts, and fails requests clearly until a key is configured or sent', async () => {
    const bare = await startTestGateway({
      models: TINY_OPENAI_MODELS,
      providers: { openai: { base_url: `${upstream.url}/v1` } },
    });
    try {
      expect((await fetch(`${bare.url}/ready`)).status).toBe(200);
      const res = await fetch(`${bare.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }) });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { message: string; code: string } };
      expect(body.error.code).toBe('caller_unauthenticated');
      expect(body.error.message).toContain('provider key');
      const explicit = await fetch(`${bare.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
      expect(explicit.status).toBe(401);
      expect(((await explicit.json()) as { error: { message: string } }).error.message).toContain('OPENAI_API_KEY');
      // With the client's own OpenAI key the same request goes through, with that key.
      const own = await fetch(`${bare.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-proj-clients-own' },
        body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(own.status).toBe(200);
      expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-proj-clients-own');
    } finally {
      await bare.close();
    }
  });
});
