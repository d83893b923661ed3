import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { startTestGateway, type TestGateway } from './helpers/start-test-gateway.js';

/**
 * Routing reads the catalog's capabilities: a request with tools (or tool calls in its history)
 * only goes to models with tool support, one with images only to models with vision. The tiny
 * artifact's models are bound to catalog models that differ in exactly that, all served by one
 * OpenAI-format upstream (OpenRouter's wire format).
 */
const MODELS = {
  'tiny-small': 'google/gemma-2-9b-it', // catalog: no tools, no vision
  'tiny-medium': 'meta-llama/llama-3.1-8b-instruct', // tools, no vision
  'tiny-large': 'openai/gpt-4o-mini', // tools and vision
} as const;
const PROMPT = 'say hello to my friend please';
const TOOLS = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }] as const;
const IMAGE = { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } } as const;

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream((req, res) => {
    const model = (req.body as { model?: string } | undefined)?.model ?? '';
    res.json(200, openaiCompletion(model, `from ${model}`));
  });
  gw = await startTestGateway({
    models: Object.fromEntries(Object.entries(MODELS).map(([name, model]) => [name, { provider: 'openrouter', model }])),
    providers: { openrouter: { api_key: 'sk-or-v1-configured', base_url: `${upstream.url}/v1` } },
  });
});
beforeEach(() => {
  (upstream.requests as RecordedRequest[]).length = 0;
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

interface RouteAnswer {
  targets: Array<{ model: string }>;
  decision: { explanation: { excluded: Array<{ name: string; reason: string }> } };
}

async function routeOf(body: Record<string, unknown>): Promise<RouteAnswer> {
  const res = await fetch(`${gw.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'auto', ...body }) });
  expect(res.status).toBe(200);
  return (await res.json()) as RouteAnswer;
}

describe('capability-aware routing', () => {
  it('sends a plain prompt to the cheapest model, which has neither tools nor vision', async () => {
    const r = await routeOf({ messages: [{ role: 'user', content: PROMPT }] });
    expect(r.targets[0]?.model).toBe(MODELS['tiny-small']);
    expect(r.decision.explanation.excluded).toEqual([]);
  });

  it('keeps tool requests off the model without tool support, and tells why', async () => {
    const r = await routeOf({ messages: [{ role: 'user', content: PROMPT }], tools: TOOLS });
    expect(r.targets.map((t) => t.model)).not.toContain(MODELS['tiny-small']);
    expect(r.targets.length).toBeGreaterThan(0);
    expect(r.decision.explanation.excluded).toEqual([{ name: 'tiny-small', reason: 'no_tool_support' }]);
    // Tool calls in the history need tool support too, with no tools defined in this turn.
    const history = await routeOf({
      messages: [
        { role: 'user', content: PROMPT },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    expect(history.targets.map((t) => t.model)).not.toContain(MODELS['tiny-small']);
  });

  it('sends images only to a model with vision', async () => {
    const r = await routeOf({ messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }, IMAGE] }] });
    expect(r.targets.map((t) => t.model)).toEqual([MODELS['tiny-large']]);
  });

  it('serves an OpenAI tool call and a Claude Code style Anthropic request on a capable model', async () => {
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'client-placeholder', maxRetries: 0 });
    const { response } = await openai.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: PROMPT }], tools: [...TOOLS] }).withResponse();
    expect(response.headers.get('x-heimdall-model')).not.toBe(MODELS['tiny-small']);
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'client-placeholder', maxRetries: 0 });
    await anthropic.messages.create({
      model: 'auto',
      max_tokens: 100,
      messages: [{ role: 'user', content: PROMPT }],
      tools: [{ name: 'Bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
    });
    const sent = upstream.requests.map((r) => (r.body as { model: string; tools?: unknown[] }));
    expect(sent).toHaveLength(2);
    for (const body of sent) {
      expect(body.model).not.toBe(MODELS['tiny-small']);
      expect(body.tools).toHaveLength(1);
    }
  });

  it('refuses an image request no configured model can see, in the API error shape', async () => {
    // Every artifact model bound to a model without vision.
    const blind = await startTestGateway({
      models: { 'tiny-small': { provider: 'openrouter', model: MODELS['tiny-small'] }, 'tiny-medium': { provider: 'openrouter', model: MODELS['tiny-medium'] }, 'tiny-large': { provider: 'openrouter', model: MODELS['tiny-medium'] } },
      providers: { openrouter: { api_key: 'sk-or-v1-configured', base_url: `${upstream.url}/v1` } },
    });
    try {
      const refused = await fetch(`${blind.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }, IMAGE] }] }) });
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { error: { type: string; code: string; message: string } };
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.code).toBe('routing_no_candidate');
      expect(body.error.message).toMatch(/no_vision \(/);
      for (const name of Object.keys(MODELS)) expect(body.error.message).toContain(name);
      // The gateway keeps serving.
      expect((await fetch(`${blind.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: PROMPT }] }) })).status).toBe(200);
    } finally {
      await blind.close();
    }
  });
});
