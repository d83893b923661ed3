import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import type { StreamPart } from '../../../types/stream-part.js';
import { decodeSse, type SseEvent } from '../sse-decoder.js';
import { openAIStreamToParts } from './openai-stream-to-parts.js';

const ctx = { provider: 'openai', model: 'gpt-4o-mini' };

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

async function* events(...items: unknown[]): AsyncGenerator<SseEvent> {
  for (const item of items) yield { data: typeof item === 'string' ? item : JSON.stringify(item) };
}

async function collect(source: AsyncIterable<SseEvent>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of openAIStreamToParts(source, ctx)) out.push(part);
  return out;
}

function fixtureEvents(name: string): AsyncIterable<SseEvent> {
  return decodeSse(bytes(readFileSync(new URL(`../../openai/__fixtures__/${name}`, import.meta.url), 'utf8')));
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'c1',
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('openAIStreamToParts', () => {
  it('turns the documented text stream into start, deltas and finish with usage', async () => {
    expect(await collect(fixtureEvents('stream-text.chunks.txt'))).toEqual([
      { type: 'start', id: 'chatcmpl-123', model: 'gpt-4o-mini' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      { type: 'text-delta', text: ' How can I help you today?' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 9, outputTokens: 9, cacheReadTokens: 0, reasoningTokens: 0 } },
    ]);
  });

  it('assembles tool calls by index', async () => {
    const parts = await collect(fixtureEvents('stream-tool-calls.chunks.txt'));
    expect(parts[0]).toEqual({ type: 'start', id: 'chatcmpl-456', model: 'gpt-4o-2024-08-06' });
    expect(parts.filter((p) => p.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather' },
      { type: 'tool-call-start', index: 1, id: 'call_2', name: 'get_time' },
    ]);
    const args = (index: number): string =>
      parts.map((p) => (p.type === 'tool-call-delta' && p.index === index ? p.argumentsDelta : '')).join('');
    expect(JSON.parse(args(0))).toEqual({ location: 'Paris, France' });
    expect(args(1)).toBe('{}');
    expect(parts.at(-1)).toEqual({ type: 'finish', stopReason: 'tool_calls', usage: { inputTokens: 55, outputTokens: 30, cacheReadTokens: 0, reasoningTokens: 0 } });
  });

  it('treats a new id at a reused index as a new call and buffers arguments until the name is known', async () => {
    const parts = await collect(
      events(
        chunk({ tool_calls: [{ index: 0, id: 'a', function: { arguments: '{"x"' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: ':1}' } }] }),
        chunk({ tool_calls: [{ index: 0, id: 'b', function: { name: 'g', arguments: '{}' } }] }),
        chunk({}, 'tool_calls'),
        '[DONE]',
      ),
    );
    expect(parts.slice(1, -1)).toEqual([
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x"' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ':1}' },
      { type: 'tool-call-start', index: 1, id: 'b', name: 'g' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
    ]);
  });

  it('emits reasoning as thinking deltas, refusals as text with stop reason refusal', async () => {
    const parts = await collect(events(chunk({ reasoning_content: 'hmm' }), chunk({ refusal: 'No.' }), chunk({}, 'stop'), '[DONE]'));
    expect(parts.slice(1)).toEqual([
      { type: 'thinking-delta', text: 'hmm' },
      { type: 'text-delta', text: 'No.' },
      { type: 'finish', stopReason: 'refusal', usage: { inputTokens: 0, outputTokens: 0 } },
    ]);
  });

  it('skips Azure prompt-filter chunks before the first real chunk', async () => {
    const parts = await collect(events({ id: '', model: '', choices: [], prompt_filter_results: [] }, chunk({ content: 'x' }), chunk({}, 'length'), '[DONE]'));
    expect(parts[0]).toEqual({ type: 'start', id: 'c1', model: 'm' });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', stopReason: 'length' });
  });

  it('accepts a clean end after a finish reason without [DONE]', async () => {
    expect((await collect(events(chunk({ content: 'x' }), chunk({}, 'stop')))).at(-1)).toMatchObject({ type: 'finish', stopReason: 'stop' });
  });

  it('throws provider_bad_response on truncation, garbage and empty streams', async () => {
    await expect(collect(events(chunk({ content: 'x' })))).rejects.toMatchObject({ code: 'provider_bad_response' });
    await expect(collect(events(chunk({ content: 'x' }), '{nope'))).rejects.toMatchObject({ code: 'provider_bad_response' });
    await expect(collect(events())).rejects.toMatchObject({ code: 'provider_bad_response' });
    await expect(collect(events('[DONE]'))).rejects.toMatchObject({ code: 'provider_bad_response' });
  });

  it('throws the classified error for an error object mid-stream', async () => {
    const seen: StreamPart[] = [];
    await expect(
      (async () => {
        for await (const p of openAIStreamToParts(
          events(chunk({ content: 'x' }), { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }),
          ctx,
        )) {
          seen.push(p);
        }
      })(),
    ).rejects.toMatchObject({ code: 'provider_rate_limited', provider: 'openai' });
    expect(seen.map((p) => p.type)).toEqual(['start', 'text-delta']);
  });
});
