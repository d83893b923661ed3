import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../helpers/fake-upstream.js';
import { anthropicMessage, anthropicStream, geminiResponse, geminiStream, openaiCompletion, openaiStream } from './helpers/fake-responses.js';
import { startTestGateway, type TestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

/** The official SDKs, unchanged, pointed at the gateway: every provider's wire format behind either API. */
let openaiUp: FakeUpstream;
let anthropicUp: FakeUpstream;
let geminiUp: FakeUpstream;
let openrouterUp: FakeUpstream;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function wantsTools(req: RecordedRequest): boolean {
  const body = req.body as { tools?: unknown[] };
  return Array.isArray(body.tools) && body.tools.length > 0;
}

beforeAll(async () => {
  openaiUp = await startFakeUpstream(async (req, res) => {
    const body = req.body as { model: string; stream?: boolean };
    const tool = wantsTools(req);
    if (body.stream === true) {
      await res.sseData(tool ? openaiStream(body.model, [], { name: 'get_weather', argumentPieces: ['{"city":', '"Paris"}'] }) : openaiStream(body.model, ['Hel', 'lo ', 'world']));
    } else {
      res.json(200, openaiCompletion(body.model, 'Hello world', tool ? { name: 'get_weather', arguments: '{"city":"Paris"}' } : undefined));
    }
  });
  anthropicUp = await startFakeUpstream(async (req, res) => {
    const body = req.body as { model: string; stream?: boolean };
    if (body.stream === true) await res.sse(anthropicStream(body.model, ['Bonjour', ' le monde']));
    else res.json(200, anthropicMessage(body.model, 'Bonjour le monde', wantsTools(req) ? { name: 'get_weather', input: { city: 'Paris' } } : undefined));
  });
  geminiUp = await startFakeUpstream(async (req, res) => {
    const model = /models\/([^:]+):/.exec(req.url)?.[1] ?? 'unknown';
    if (req.url.includes(':streamGenerateContent')) await res.sseData(geminiStream(model, ['Hallo', ' Welt']));
    else res.json(200, geminiResponse(model, 'Hallo Welt'));
  });
  openrouterUp = await startFakeUpstream(async (req, res) => {
    const body = req.body as { model: string; stream?: boolean };
    if (body.stream === true) await res.sseData(openaiStream(body.model, ['Hola']));
    else res.json(200, openaiCompletion(body.model, 'Hola'));
  });
  gw = await startTestGateway({
    models: TINY_OPENAI_MODELS,
    providers: {
      openai: { api_key: 'sk-proj-configured-openai', base_url: `${openaiUp.url}/v1` },
      anthropic: { api_key: 'sk-ant-api03-configured', base_url: anthropicUp.url },
      gemini: { api_key: 'AIzaConfiguredGeminiKey000000000000000', base_url: `${geminiUp.url}/v1beta` },
      openrouter: { api_key: 'sk-or-v1-configured', base_url: `${openrouterUp.url}/api/v1` },
    },
  });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'client-placeholder', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'client-placeholder', maxRetries: 0 });
});

afterAll(async () => {
  await gw.close();
  await Promise.all([openaiUp, anthropicUp, geminiUp, openrouterUp].map((u) => u.close()));
});

describe('openai SDK', () => {
  it('gets a routed non-streaming answer with the transparency headers', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'auto', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'say hello' }] })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content).toBe('Hello world');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.total_tokens).toBe(17);
    expect(response.headers.get('x-heimdall-provider')).toBe('openai');
    expect(['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4.1']).toContain(response.headers.get('x-heimdall-model'));
    expect(['cheap', 'mid', 'hard']).toContain(response.headers.get('x-heimdall-bucket'));
    expect(Number(response.headers.get('x-heimdall-decision-ms'))).toBeGreaterThanOrEqual(0);
    expect(response.headers.get('x-heimdall-fallback')).toBeNull();
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // The configured key went upstream, the client's placeholder did not.
    expect(openaiUp.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-proj-configured-openai');
  });

  it('streams a routed answer chunk by chunk', async () => {
    const stream = await openai.chat.completions.create({ model: 'auto', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'say hello' }] });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    const finishes: string[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello world');
    expect(finishes).toEqual(['stop']);
    expect(usage?.completion_tokens).toBe(3);
  });

  it('returns tool calls, non-streaming and streaming', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: WEATHER_TOOL }];
    const res = await openai.chat.completions.create({ model: 'auto', tools, messages: [{ role: 'user', content: 'weather in Paris?' }] });
    const call = res.choices[0]?.message.tool_calls?.[0];
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' ? call.function : undefined).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    const sent = openaiUp.requests.at(-1)?.body as { tools: Array<{ function: { name: string } }> };
    expect(sent.tools[0]?.function.name).toBe('get_weather');

    const stream = openai.chat.completions.stream({ model: 'auto', tools, messages: [{ role: 'user', content: 'weather in Paris?' }] });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(streamed?.type === 'function' ? streamed.function : undefined).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
  });

  it('sends an explicit model to its provider directly: Gemini', async () => {
    const { data, response } = await openai.chat.completions.create({ model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'hallo' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Hallo Welt');
    expect(response.headers.get('x-heimdall-provider')).toBe('gemini');
    expect(response.headers.get('x-heimdall-bucket')).toBe('explicit');
    const sent = geminiUp.requests.at(-1);
    expect(sent?.url).toBe('/v1beta/models/gemini-2.5-flash-lite:generateContent');
    expect(sent?.headers['x-goog-api-key']).toBe('AIzaConfiguredGeminiKey000000000000000');

    const stream = await openai.chat.completions.create({ model: 'gemini/gemini-2.5-flash-lite', stream: true, messages: [{ role: 'user', content: 'hallo' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hallo Welt');
  });

  it('sends an explicit OpenRouter model through OpenRouter', async () => {
    const res = await openai.chat.completions.create({ model: 'openrouter/qwen/qwen-2.5-7b-instruct', messages: [{ role: 'user', content: 'hola' }] });
    expect(res.choices[0]?.message.content).toBe('Hola');
    expect((openrouterUp.requests.at(-1)?.body as { model: string }).model).toBe('qwen/qwen-2.5-7b-instruct');
    expect(openrouterUp.requests.at(-1)?.url).toBe('/api/v1/chat/completions');
  });

  it('lists the aliases and catalog models', async () => {
    const ids: string[] = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    expect(ids.slice(0, 3)).toEqual(['auto', 'fast', 'smart']);
    expect(ids).toContain('openai/gpt-4o-mini');
    expect(ids).not.toContain('anthropic/claude-opus-4-1'); // retired
  });
});

describe('anthropic SDK', () => {
  it('gets a routed answer translated from an OpenAI-format upstream', async () => {
    const { data, response } = await anthropic.messages
      .create({ model: 'auto', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'say hello' }] })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.content).toEqual([{ type: 'text', text: 'Hello world' }]);
    expect(data.stop_reason).toBe('end_turn');
    expect(data.usage.output_tokens).toBe(5);
    expect(response.headers.get('request-id')).toBe(response.headers.get('x-request-id'));
    const sent = openaiUp.requests.at(-1)?.body as { messages: Array<{ role: string; content: unknown }> };
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });

  it('streams a routed answer as Anthropic events', async () => {
    const stream = anthropic.messages.stream({ model: 'auto', max_tokens: 100, messages: [{ role: 'user', content: 'say hello' }] });
    const types: string[] = [];
    stream.on('streamEvent', (e) => types.push(e.type));
    const final = await stream.finalMessage();
    expect(final.content).toHaveLength(1);
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Hello world' });
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(types).toContain('content_block_delta');
  });

  it('returns tool_use blocks, non-streaming and streaming', async () => {
    const tools: Anthropic.Tool[] = [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const res = await anthropic.messages.create({ model: 'auto', max_tokens: 100, tools, messages: [{ role: 'user', content: 'weather in Paris?' }] });
    expect(res.stop_reason).toBe('tool_use');
    expect(res.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });

    const final = await anthropic.messages.stream({ model: 'auto', max_tokens: 100, tools, messages: [{ role: 'user', content: 'weather in Paris?' }] }).finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content.find((b) => b.type === 'tool_use')).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
  });

  it('sends an explicit Claude model to Anthropic, streaming and not', async () => {
    const res = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'bonjour' }] });
    expect(res.content).toEqual([{ type: 'text', text: 'Bonjour le monde' }]);
    const sent = anthropicUp.requests.at(-1);
    expect(sent?.url).toBe('/v1/messages');
    expect(sent?.headers['x-api-key']).toBe('sk-ant-api03-configured');
    expect((sent?.body as { model: string }).model).toBe('claude-haiku-4-5');

    const text: string[] = [];
    const stream = await anthropic.messages.create({ model: 'anthropic/claude-haiku-4-5', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'bonjour' }] });
    for await (const e of stream) if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text.push(e.delta.text);
    expect(text.join('')).toBe('Bonjour le monde');
  });

  it('passes a client-supplied provider key to its own provider only', async () => {
    const client = new Anthropic({ baseURL: gw.url, apiKey: 'sk-ant-api03-clients-own-key', maxRetries: 0 });
    await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'bonjour' }] });
    expect(anthropicUp.requests.at(-1)?.headers['x-api-key']).toBe('sk-ant-api03-clients-own-key');
    await client.messages.create({ model: 'auto', max_tokens: 50, messages: [{ role: 'user', content: 'bonjour' }] });
    const toOpenAI = openaiUp.requests.at(-1);
    expect(toOpenAI?.headers['authorization']).toBe('Bearer sk-proj-configured-openai');
    expect(JSON.stringify(toOpenAI?.headers)).not.toContain('clients-own-key');
  });
});
