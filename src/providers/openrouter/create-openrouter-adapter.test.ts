import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../types/chat.js';
import type { StreamPart } from '../../types/stream-part.js';
import { readFixture, startFakeUpstream, type FakeUpstream } from '../../../test/helpers/fake-upstream.js';
import { createUndiciHttpClient } from '../shared/http-client.js';
import type { ProviderCallOptions } from '../provider-adapter.js';
import { createOpenRouterAdapter, toOpenRouterReasoning } from './create-openrouter-adapter.js';

const fixture = (name: string): string => readFixture(new URL(`./__fixtures__/${name}`, import.meta.url));
const client = createUndiciHttpClient({ connectTimeoutMs: 2000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, keepAliveTimeoutMs: 1000 });
let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeUpstream((_req, res) => res.json(200, {}));
});
afterAll(async () => {
  await client.close();
  await upstream.close();
});

const adapter = () => createOpenRouterAdapter({ baseUrl: `${upstream.url}/api/v1`, httpClient: client, appName: 'Heimdall', appUrl: 'https://heimdall.dev' });

const request: ChatRequest = {
  format: 'openai',
  model: 'auto',
  system: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'How many r in strawberry?' }] }],
  maxOutputTokens: 500,
  topK: 40,
  reasoning: { effort: 'high', budgetTokens: 9000 },
  stream: false,
};
const call: ProviderCallOptions = {
  model: 'anthropic/claude-3.7-sonnet',
  credential: { kind: 'api_key', token: 'sk-or-v1-secret' },
  providerPreferences: { order: ['anthropic'], allow_fallbacks: false },
};

async function collect(iterable: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of iterable) out.push(part);
  return out;
}

describe('OpenRouter adapter', () => {
  it('sends OpenRouter dialect: max_tokens, reasoning object, top_k, provider preferences and attribution', async () => {
    upstream.setHandler((_req, res) => res.json(200, JSON.parse(fixture('chat-completion-reasoning.json'))));
    const res = await adapter().doGenerate(request, call);
    const seen = upstream.requests.at(-1)!;
    expect(seen.url).toBe('/api/v1/chat/completions');
    expect(seen.headers['authorization']).toBe('Bearer sk-or-v1-secret');
    expect(seen.headers['http-referer']).toBe('https://heimdall.dev');
    expect(seen.headers['x-title']).toBe('Heimdall');
    expect(seen.body).toEqual({
      model: 'anthropic/claude-3.7-sonnet',
      messages: [{ role: 'user', content: 'How many r in strawberry?' }],
      max_tokens: 500,
      reasoning: { effort: 'high' },
      top_k: 40,
      provider: { order: ['anthropic'], allow_fallbacks: false },
      stream: false,
    });
    expect(res.content).toEqual([
      { type: 'thinking', text: 'Count the letters: s-t-r-a-w-b-e-r-r-y.' },
      { type: 'text', text: "There are 3 r's in strawberry." },
    ]);
    expect(res.usage).toEqual({ inputTokens: 20, outputTokens: 60 });
  });

  it("keeps an Anthropic client's cache breakpoints for Anthropic and Gemini models only", async () => {
    upstream.setHandler((_req, res) => res.json(200, JSON.parse(fixture('chat-completion-reasoning.json'))));
    const withBreakpoint: ChatRequest = { ...request, system: [{ type: 'text', text: 'Long instructions.', cacheControl: { type: 'ephemeral' } }] };
    const sentFor = async (model: string): Promise<unknown> => {
      await adapter().doGenerate(withBreakpoint, { ...call, model });
      return (upstream.requests.at(-1)!.body as { messages: Array<{ content: unknown }> }).messages[0]?.content;
    };
    expect(await sentFor('anthropic/claude-sonnet-4.5')).toEqual([{ type: 'text', text: 'Long instructions.', cache_control: { type: 'ephemeral' } }]);
    expect(await sentFor('google/gemini-2.5-pro')).toEqual([{ type: 'text', text: 'Long instructions.', cache_control: { type: 'ephemeral' } }]);
    expect(await sentFor('meta-llama/llama-3.1-8b-instruct')).toBe('Long instructions.');
  });

  it('translates reasoning without inventing it', () => {
    expect(toOpenRouterReasoning(undefined)).toBeUndefined();
    expect(toOpenRouterReasoning({})).toBeUndefined();
    expect(toOpenRouterReasoning({ budgetTokens: 2000 })).toEqual({ max_tokens: 2000 });
    expect(toOpenRouterReasoning({ enabled: false, effort: 'high' })).toEqual({ enabled: false });
    expect(toOpenRouterReasoning({ enabled: true })).toEqual({ enabled: true });
  });

  it('streams reasoning and text, skipping the keep-alive comments', async () => {
    upstream.setHandler((_req, res) => res.sse(fixture('stream-reasoning.chunks.txt'), { split: 7 }));
    const parts = await collect(await adapter().doStream({ ...request, stream: true }, call));
    expect(parts).toEqual([
      { type: 'start', id: 'gen-1747000000-abc', model: 'deepseek/deepseek-r1' },
      { type: 'thinking-delta', text: 'Let me think.' },
      { type: 'text-delta', text: 'The answer is 4.' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 12, outputTokens: 40, reasoningTokens: 30 } },
    ]);
  });

  it('throws the classified mid-stream error after the partial output', async () => {
    upstream.setHandler((_req, res) => res.sse(fixture('stream-mid-error.chunks.txt')));
    const seen: StreamPart[] = [];
    const iterable = await adapter().doStream({ ...request, stream: true }, call);
    await expect(
      (async () => {
        for await (const part of iterable) seen.push(part);
      })(),
    ).rejects.toMatchObject({ code: 'provider_server_error', provider: 'openrouter' });
    expect(seen).toEqual([
      { type: 'start', id: 'gen-1747000001-def', model: 'openai/gpt-4o' },
      { type: 'text-delta', text: 'Partial' },
    ]);
  });

  it('maps 402 (no credits) to provider_auth_failed and 503 (no provider) to provider_overloaded', async () => {
    upstream.setHandler((_req, res) => res.text(402, fixture('error-no-credits.json'), { 'content-type': 'application/json' }));
    await expect(adapter().doGenerate(request, call)).rejects.toMatchObject({ code: 'provider_auth_failed', upstreamStatus: 402 });
    upstream.setHandler((_req, res) => res.json(503, { error: { code: 503, message: 'No allowed providers are available for the selected model.' } }));
    await expect(adapter().doGenerate(request, call)).rejects.toMatchObject({ code: 'provider_overloaded', upstreamStatus: 503 });
  });

  it('maps a wrapped upstream context error to provider_context_length_exceeded', async () => {
    upstream.setHandler((_req, res) =>
      res.json(400, {
        error: {
          code: 400,
          message: 'Provider returned error',
          metadata: { raw: '{"error":{"message":"This model\'s maximum context length is 32768 tokens."}}', provider_name: 'Together' },
        },
      }),
    );
    await expect(adapter().doGenerate(request, call)).rejects.toMatchObject({ code: 'provider_context_length_exceeded' });
  });
});
