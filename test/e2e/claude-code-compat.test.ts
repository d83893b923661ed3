import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toRoutingText } from '../../src/core/request/routing-text.js';
import { parseAnthropicCountTokensRequest } from '../../src/request/parse-anthropic-messages-request.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { anthropicMessage, openaiCompletion } from './helpers/fake-responses.js';
import { parsePrometheusText } from './helpers/prometheus-text.js';
import { startTestGateway, type TestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

/** What Claude Code sends an Anthropic-compatible gateway: token counts every turn, and settings only Anthropic knows. */
let openaiUp: FakeUpstream;
let anthropicUp: FakeUpstream;
let geminiUp: FakeUpstream;
let gw: TestGateway;
let client: Anthropic;
/** What the fake Anthropic answers to count_tokens next: a status and body (status 0: no answer at all). */
let anthropicCount: { readonly status: number; readonly body: unknown };

const TOOL = { name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };

beforeAll(async () => {
  openaiUp = await startFakeUpstream((req, res) => res.json(200, openaiCompletion((req.body as { model: string }).model, 'ok')));
  anthropicUp = await startFakeUpstream((req, res) => {
    if (req.url === '/v1/messages' && (req.headers['authorization'] ?? '').includes('sk-ant-oat01-limited')) {
      return res.json(429, { type: 'error', error: { type: 'rate_limit_error', message: 'rate limited' } }, { 'retry-after': '1' });
    }
    if (req.url === '/v1/messages' && (req.body as { model: string }).model === 'claude-nonexistent-0') {
      return res.json(404, { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nonexistent-0' } });
    }
    if (req.url === '/v1/messages') return res.json(200, anthropicMessage((req.body as { model: string }).model, 'Bonjour'));
    if (!req.url.startsWith('/v1/messages/count_tokens')) return res.json(404, { type: 'error', error: { type: 'not_found_error', message: req.url } });
    // Never answered: the gateway's count timeout has to end the wait.
    if (anthropicCount.status === 0) return new Promise<void>(() => undefined);
    return res.json(anthropicCount.status, anthropicCount.body);
  });
  geminiUp = await startFakeUpstream((req, res) => {
    if (req.url.endsWith(':countTokens')) return res.json(200, { totalTokens: 777, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 777 }] });
    return res.json(404, { error: { code: 404, message: req.url, status: 'NOT_FOUND' } });
  });
  gw = await startTestGateway({
    models: TINY_OPENAI_MODELS,
    providers: {
      openai: { api_key: 'sk-proj-configured-openai', base_url: `${openaiUp.url}/v1` },
      anthropic: { api_key: 'sk-ant-api03-configured', base_url: anthropicUp.url },
      gemini: { api_key: 'AIzaConfiguredGeminiKey000000000000000', base_url: geminiUp.url },
    },
    timeouts: { count_tokens: '300ms' },
  });
  client = new Anthropic({ baseURL: gw.url, apiKey: 'client-placeholder', maxRetries: 0 });
});
afterAll(async () => {
  await gw.close();
  await openaiUp.close();
  await anthropicUp.close();
  await geminiUp.close();
});
beforeEach(() => {
  anthropicCount = { status: 200, body: { input_tokens: 1234 } };
});

const post = (body: unknown, path = '/v1/messages/count_tokens') =>
  fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /v1/messages/count_tokens', () => {
  it("returns Anthropic's own count for an Anthropic model, with the prompt sent in Anthropic's shape and no output settings", async () => {
    const res = await client.messages.countTokens({
      model: 'claude-haiku-4-5',
      system: 'You are terse.',
      tools: [TOOL],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(res.input_tokens).toBe(1234);
    const sent = anthropicUp.requests.at(-1);
    expect(sent?.url).toBe('/v1/messages/count_tokens');
    expect(sent?.headers['x-api-key']).toBe('sk-ant-api03-configured');
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.body).toEqual({
      model: 'claude-haiku-4-5',
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] }],
      tools: [{ name: 'get_weather', description: 'Weather for a city', input_schema: TOOL.input_schema }],
    });
    const raw = await post({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] }, '/v1/messages/count_tokens?beta=true');
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-heimdall-token-count')).toBe('exact');
    expect(raw.headers.get('x-heimdall-provider')).toBe('anthropic');
    expect(raw.headers.get('x-heimdall-model')).toBe('claude-haiku-4-5');
    expect(raw.headers.get('request-id')).toBe(raw.headers.get('x-request-id'));
  });

  it("returns Gemini's own count for a Gemini model, from the whole generateContent request", async () => {
    const res = await post({ model: 'gemini-2.5-flash', system: 'Be brief.', tools: [TOOL], messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-heimdall-token-count')).toBe('exact');
    expect(await res.json()).toEqual({ input_tokens: 777 });
    const sent = geminiUp.requests.at(-1);
    expect(sent?.url).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(sent?.headers['x-goog-api-key']).toBe('AIzaConfiguredGeminiKey000000000000000');
    expect(sent?.body).toMatchObject({
      generateContentRequest: {
        model: 'models/gemini-2.5-flash',
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }],
        tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
      },
    });
  });

  it("estimates, without calling anyone, for a provider that has no counting endpoint; never zero", async () => {
    const body = { model: 'gpt-4o-mini', system: 'Be brief.', tools: [TOOL], messages: [{ role: 'user', content: 'Summarise the history of Rome in three sentences.' }, { role: 'assistant', content: 'Founded, grew, fell.' }, { role: 'user', content: 'More detail on the Republic, please.' }] };
    const openaiCalls = openaiUp.requests.length;
    const anthropicCalls = anthropicUp.requests.length;
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-heimdall-token-count')).toBe('estimate');
    expect(res.headers.get('x-heimdall-provider')).toBe('openai');
    const { input_tokens } = (await res.json()) as { input_tokens: number };
    expect(input_tokens).toBe(toRoutingText(parseAnthropicCountTokensRequest(body)).promptTokens);
    expect(input_tokens).toBeGreaterThan(30);
    expect(openaiUp.requests.length).toBe(openaiCalls);
    expect(anthropicUp.requests.length).toBe(anthropicCalls);
    // `auto` routes first, then counts for the chosen model.
    const routed = await post({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] });
    expect(routed.status).toBe(200);
    expect(routed.headers.get('x-heimdall-bucket')).toMatch(/^(cheap|mid|hard)$/);
    expect(((await routed.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
  });

  it('answers with the estimate when Anthropic cannot count, and logs why', async () => {
    anthropicCount = { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } };
    const body = { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Weather in Paris?' }] };
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-heimdall-token-count')).toBe('estimate');
    expect(await res.json()).toEqual({ input_tokens: toRoutingText(parseAnthropicCountTokensRequest(body)).promptTokens });
    expect(gw.logs.some((l) => l['msg'] === 'count_tokens: the provider could not count; answering with the estimate' && l['code'] === 'provider_overloaded')).toBe(true);
    // An answer without a count is not passed on either.
    anthropicCount = { status: 200, body: { input_tokens: -1 } };
    const bad = await post(body);
    expect(bad.headers.get('x-heimdall-token-count')).toBe('estimate');
    // Nor is one that does not come within timeouts.count_tokens (300 ms here).
    anthropicCount = { status: 0, body: null };
    const slow = await post(body);
    expect(slow.status).toBe(200);
    expect(slow.headers.get('x-heimdall-token-count')).toBe('estimate');
    expect(gw.logs.some((l) => l['msg'] === 'count_tokens: the provider could not count; answering with the estimate' && l['code'] === 'provider_timeout')).toBe(true);
  });

  it("does not spend a client's Anthropic OAuth token on counting while it is on its rate-limit cooldown", async () => {
    const oauth = { authorization: 'Bearer sk-ant-oat01-limited-token', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
    const body = JSON.stringify({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] });
    const counted = await fetch(`${gw.url}/v1/messages/count_tokens`, { method: 'POST', headers: oauth, body });
    expect(counted.headers.get('x-heimdall-token-count')).toBe('exact');
    expect(anthropicUp.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-ant-oat01-limited-token');
    // A 429 on /v1/messages puts the token on its cooldown ...
    const limited = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: oauth, body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(limited.status).toBe(429);
    // ... and counting no longer calls Anthropic with it.
    const calls = anthropicUp.requests.length;
    const estimated = await fetch(`${gw.url}/v1/messages/count_tokens`, { method: 'POST', headers: oauth, body });
    expect(estimated.status).toBe(200);
    expect(estimated.headers.get('x-heimdall-token-count')).toBe('estimate');
    expect(anthropicUp.requests.length).toBe(calls);
  });

  it('still reports the size of a prompt no model can take', async () => {
    // ~3 million tokens in 3 million characters: more than the largest context window in the
    // catalog (gpt-4.1, ~1M), within the request's text limit (4M characters).
    const half = '7,'.repeat(750_000);
    const res = await post({ model: 'auto', messages: [{ role: 'user', content: half }, { role: 'assistant', content: 'ok' }, { role: 'user', content: half }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-heimdall-token-count')).toBe('estimate');
    expect(res.headers.get('x-heimdall-model')).toBeNull();
    expect(((await res.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(1_000_000);
  });

  it('refuses bad bodies in the Anthropic error shape, naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{"model": "auto", "messages": [', /JSON/i],
      [{ model: 'auto' }, /'messages' is required/],
      [{ messages: [{ role: 'user', content: 'hi' }] }, /'model' is required/],
      [{ model: 'auto', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, /max_tokens/],
      [{ model: 'auto', stream: true, messages: [{ role: 'user', content: 'hi' }] }, /stream/],
      [{ model: 'auto', messages: [{ role: 'robot', content: 'hi' }] }, /role/],
      [{ model: 'auto', thinking: { type: 'enabled', budget_tokens: 10 }, messages: [{ role: 'user', content: 'hi' }] }, /budget_tokens/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const answer = (await res.json()) as { type: string; error: { type: string; message: string } };
      expect(answer.type).toBe('error');
      expect(answer.error.type).toBe('invalid_request_error');
      expect(answer.error.message).toMatch(message);
    }
    const unknown = await post({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { type: string }).type).toBe('error');
    const get = await fetch(`${gw.url}/v1/messages/count_tokens`);
    expect(get.status).toBe(405);
    // The gateway keeps serving.
    expect((await post({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
  });
});

describe("POST /v1/messages with Claude Code's adaptive thinking, effort and context editing", () => {
  const contextManagement = { edits: [{ type: 'clear_tool_uses_20250919', trigger: { type: 'input_tokens', value: 100000 } }] };
  const claudeCodeBody = (model: string) => ({
    model,
    max_tokens: 32000,
    stream: false,
    system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Fix the failing test.' }] }],
    tools: [TOOL],
    thinking: { type: 'adaptive' },
    output_config: { effort: 'medium' },
    context_management: contextManagement,
    metadata: { user_id: 'user_abc' },
  });
  const send = (body: unknown) =>
    fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'context-management-2025-06-27' },
      body: JSON.stringify(body),
    });

  it('sends them to an Anthropic model as they came, with the beta flag', async () => {
    const res = await send(claudeCodeBody('claude-haiku-4-5'));
    expect(res.status).toBe(200);
    const sent = anthropicUp.requests.at(-1);
    expect(sent?.url).toBe('/v1/messages');
    expect(sent?.headers['anthropic-beta']).toContain('context-management-2025-06-27');
    expect(sent?.body).toMatchObject({
      model: 'claude-haiku-4-5',
      max_tokens: 32000,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'medium' },
      context_management: contextManagement,
      // Prompt caching: without the breakpoint every turn pays full price for the whole prefix.
      system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
    });
  });

  it('drops them for another provider: a reasoning model gets the effort in its own terms, another model none', async () => {
    const res = await send(claudeCodeBody('gpt-5-mini'));
    expect(res.status).toBe(200);
    const sent = openaiUp.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent['model']).toBe('gpt-5-mini');
    expect(sent['reasoning_effort']).toBe('medium');
    expect(sent).not.toHaveProperty('context_management');
    expect(sent).not.toHaveProperty('output_config');
    expect(sent).not.toHaveProperty('thinking');
    expect(JSON.stringify(sent)).not.toMatch(/cache_control|cacheControl/);
    // gpt-4o-mini takes no reasoning_effort (OpenAI answers 400): nothing is sent.
    expect((await send(claudeCodeBody('gpt-4o-mini'))).status).toBe(200);
    const plain = openaiUp.requests.at(-1)?.body as Record<string, unknown>;
    expect(plain['model']).toBe('gpt-4o-mini');
    expect(plain).not.toHaveProperty('reasoning_effort');
    // Routed (`auto`), the router sends reasoning only to models that take it.
    expect((await send({ ...claudeCodeBody('auto'), cache_control: { type: 'ephemeral' } })).status).toBe(200);
    const routed = openaiUp.requests.at(-1)?.body as Record<string, unknown>;
    expect(['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4.1']).toContain(routed['model']);
    expect(routed).not.toHaveProperty('reasoning_effort');
    expect(JSON.stringify(routed)).not.toMatch(/cache_control|context_management/);
  });

  it('still sends an OpenAI client its own reasoning_effort to the model it named', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', reasoning_effort: 'low', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(res.status).toBe(200);
    expect((openaiUp.requests.at(-1)?.body as Record<string, unknown>)['reasoning_effort']).toBe('low');
  });
});

describe('Claude Code routed (`auto`) to an Anthropic model it did not name', () => {
  let routedGw: TestGateway;
  beforeAll(async () => {
    routedGw = await startTestGateway({
      models: {
        'tiny-small': { provider: 'anthropic', model: 'claude-haiku-4-5' },
        'tiny-medium': { provider: 'anthropic', model: 'claude-haiku-4-5' },
        'tiny-large': { provider: 'anthropic', model: 'claude-haiku-4-5' },
      },
      providers: { anthropic: { api_key: 'sk-ant-api03-configured', base_url: anthropicUp.url } },
    });
  });
  afterAll(async () => {
    await routedGw.close();
  });

  it('keeps cache breakpoints and context editing, and turns adaptive thinking into a budget the model takes', async () => {
    const cm = { edits: [{ type: 'clear_tool_uses_20250919' }] };
    const res = await fetch(`${routedGw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'auto',
        max_tokens: 32000,
        system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Fix the failing test.' }],
        thinking: { type: 'adaptive' },
        output_config: { effort: 'medium' },
        context_management: cm,
        cache_control: { type: 'ephemeral' },
      }),
    });
    expect(res.status).toBe(200);
    const sent = anthropicUp.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent['model']).toBe('claude-haiku-4-5');
    expect(sent['context_management']).toEqual(cm);
    expect(sent['cache_control']).toEqual({ type: 'ephemeral' });
    expect(sent['system']).toEqual([{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }]);
    // Adaptive thinking is Claude 4.6+; the router's choice gets the effort as a thinking budget.
    expect(sent['thinking']).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(sent).not.toHaveProperty('output_config');
  });
});

describe('count_tokens in the metrics', () => {
  it('counts exact and estimated answers apart', async () => {
    const scrape = async () => parsePrometheusText(await (await fetch(`${gw.url}/metrics`)).text());
    const before = await scrape();
    anthropicCount = { status: 200, body: { input_tokens: 5 } };
    await post({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] });
    await post({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await post({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi again' }] });
    const after = await scrape();
    expect(after.sum('heimdall_token_counts_total', { source: 'exact' }) - before.sum('heimdall_token_counts_total', { source: 'exact' })).toBe(1);
    expect(after.sum('heimdall_token_counts_total', { source: 'estimate' }) - before.sum('heimdall_token_counts_total', { source: 'estimate' })).toBe(2);
    expect(after.sum('heimdall_requests_total', { route: 'count_tokens', status: '200' })).toBeGreaterThanOrEqual(3);
  });
});

describe('count_tokens behind gateway keys', () => {
  let locked: TestGateway;
  beforeAll(async () => {
    locked = await startTestGateway({
      models: TINY_OPENAI_MODELS,
      providers: { openai: { api_key: 'sk-proj-configured-openai', base_url: `${openaiUp.url}/v1` } },
      auth: { gateway_keys: [{ name: 'team-a', key: 'hk-team-a-0123456789abcdef', models: ['openai/gpt-4o-mini'] }] },
    });
  });
  afterAll(async () => {
    await locked.close();
  });

  it('needs a valid key and applies its model allow-list, like /v1/messages', async () => {
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const url = `${locked.url}/v1/messages/count_tokens`;
    const anonymous = await fetch(url, { method: 'POST', body });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { type: string }).type).toBe('error');
    const ok = await fetch(url, { method: 'POST', headers: { 'x-api-key': 'hk-team-a-0123456789abcdef' }, body });
    expect(ok.status).toBe(200);
    const other = await fetch(url, { method: 'POST', headers: { 'x-api-key': 'hk-team-a-0123456789abcdef' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(other.status).toBe(403);
  });
});

describe('Claude models newer than the catalog', () => {
  it('sends a model id the catalog does not list to Anthropic, as Claude Code names it', async () => {
    const { data, response } = await client.messages
      .create({ model: 'claude-opus-4-7', max_tokens: 64, messages: [{ role: 'user', content: 'Bonjour?' }], tools: [TOOL] })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text', text: 'Bonjour' });
    expect(response.headers.get('x-heimdall-provider')).toBe('anthropic');
    expect(anthropicUp.requests.at(-1)?.body).toMatchObject({ model: 'claude-opus-4-7', max_tokens: 64 });
    // count_tokens resolves it the same way.
    const counted = await client.messages.countTokens({ model: 'claude-opus-4-7', messages: [{ role: 'user', content: 'Bonjour?' }] });
    expect(counted.input_tokens).toBe(1234);
    expect(anthropicUp.requests.at(-1)?.body).toMatchObject({ model: 'claude-opus-4-7' });
  });

  it("answers with Anthropic's own 4xx, in its error shape, when the model does not exist there", async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-nonexistent-0', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('model: claude-nonexistent-0');
  });
});
