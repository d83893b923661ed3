import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import type { StreamPart } from '../../types/stream-part.js';
import { decodeSse } from '../shared/sse-decoder.js';
import { geminiStreamToParts } from './gemini-stream-to-parts.js';

const chunks = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

async function* bytes(text: string, size: number): AsyncGenerator<Uint8Array> {
  const all = new TextEncoder().encode(text);
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
}

async function collect(text: string, size = 1 << 20): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of geminiStreamToParts(decodeSse(bytes(text, size)), { model: 'gemini-x', fallbackId: 'fallback-id' })) out.push(p);
  return out;
}

async function failure(text: string): Promise<{ err: GatewayError; seen: StreamPart[] }> {
  const seen: StreamPart[] = [];
  try {
    for await (const p of geminiStreamToParts(decodeSse(bytes(text, 50)))) seen.push(p);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return { err: err as GatewayError, seen };
  }
  throw new Error(`stream did not fail: ${JSON.stringify(seen)}`);
}

const ev = (data: unknown): string => `data: ${JSON.stringify(data)}\r\n\r\n`;

describe('geminiStreamToParts', () => {
  it('streams text chunks (CRLF framing, any chunking) and finishes with the last usage', async () => {
    const expected: StreamPart[] = [
      { type: 'start', id: 'GLmtaO-SM5_x1PIPqfWbuQ4', model: 'gemini-2.5-flash', usage: { inputTokens: 9 } },
      { type: 'text-delta', text: 'The' },
      { type: 'text-delta', text: ' quick brown fox jumps over the lazy dog — ünïcödé ✓' },
      { type: 'text-delta', text: '.' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 9, outputTokens: 31, reasoningTokens: 16 } },
    ];
    expect(await collect(chunks('stream-text.chunks.txt'))).toEqual(expected);
    expect(await collect(chunks('stream-text.chunks.txt'), 1)).toEqual(expected);
  });

  it('streams thoughts, signatures and whole function calls', async () => {
    expect(await collect(chunks('stream-function-call.chunks.txt'), 9)).toEqual([
      { type: 'start', id: 'fc-stream-1', model: 'gemini-3-pro-preview', usage: { inputTokens: 80 } },
      { type: 'thinking-delta', text: 'I need the weather for two cities.' },
      { type: 'thinking-signature', signature: 'gemini:Sig/Paris+1' },
      { type: 'tool-call-start', index: 0, id: 'call_fc-stream-1_0', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":"Paris","unit":"celsius"}' },
      { type: 'tool-call-start', index: 1, id: 'call_fc-stream-1_1', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"location":"Tokyo"}' },
      { type: 'finish', stopReason: 'tool_calls', usage: { inputTokens: 80, outputTokens: 70, reasoningTokens: 40 } },
    ]);
  });

  it('uses the fallbacks when chunks carry no id or model, and takes usage sent after the finish chunk', async () => {
    const text =
      ev({ candidates: [{ content: { parts: [{ text: 'hi' }] } }] }) +
      ev({ candidates: [{ content: { parts: [] }, finishReason: 'MAX_TOKENS' }] }) +
      ev({ usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 } });
    expect(await collect(text)).toEqual([
      { type: 'start', id: 'fallback-id', model: 'gemini-x' },
      { type: 'text-delta', text: 'hi' },
      { type: 'finish', stopReason: 'length', usage: { inputTokens: 3, outputTokens: 2 } },
    ]);
  });

  it('finishes with content_filter when the prompt is blocked', async () => {
    const parts = await collect(ev({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 5 } }));
    expect(parts.map((p) => p.type)).toEqual(['start', 'finish']);
    expect(parts[1]).toEqual({ type: 'finish', stopReason: 'content_filter', usage: { inputTokens: 5, outputTokens: 0 } });
  });

  it('throws provider_bad_response for a stream cut before any finishReason', async () => {
    const full = chunks('stream-text.chunks.txt');
    const truncated = full.slice(0, full.lastIndexOf('data:'));
    const { err, seen } = await failure(truncated);
    expect(err.code).toBe('provider_bad_response');
    expect(seen.map((p) => p.type)).toEqual(['start', 'text-delta', 'text-delta']);
  });

  it('throws provider_bad_response for an empty stream or invalid JSON', async () => {
    expect((await failure('')).err.code).toBe('provider_bad_response');
    expect((await failure('data: {"candidates": [\r\n\r\n')).err.code).toBe('provider_bad_response');
  });

  it('throws the classified error of an error chunk mid-stream', async () => {
    const { err, seen } = await failure(chunks('stream-error.chunks.txt'));
    expect(seen.map((p) => p.type)).toEqual(['start', 'text-delta']);
    expect(err.code).toBe('provider_overloaded');
    expect(err.provider).toBe('gemini');
    const rate = await failure(ev({ error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }));
    expect(rate.err.code).toBe('provider_rate_limited');
  });
});
