import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import type { StreamPart } from '../../types/stream-part.js';
import { decodeSse } from '../shared/sse-decoder.js';
import { anthropicStreamToParts } from './anthropic-stream-to-parts.js';

function chunks(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** Feeds SSE text to the decoder in `size`-byte pieces (splitting lines and UTF-8 sequences). */
async function* bytes(text: string, size: number): AsyncGenerator<Uint8Array> {
  const all = new TextEncoder().encode(text);
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
}

async function collect(text: string, size = 1 << 20): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of anthropicStreamToParts(decodeSse(bytes(text, size)), { model: 'claude-opus-4-6' })) out.push(part);
  return out;
}

async function failure(text: string): Promise<GatewayError> {
  const seen: StreamPart[] = [];
  try {
    for await (const part of anthropicStreamToParts(decodeSse(bytes(text, 64)))) seen.push(part);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error(`stream did not fail; parts: ${JSON.stringify(seen)}`);
}

describe('anthropicStreamToParts', () => {
  it('streams text, ignoring ping, whatever the chunking', async () => {
    const expected: StreamPart[] = [
      { type: 'start', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', model: 'claude-opus-4-6', usage: { inputTokens: 25 } },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '! Grüße 👋' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 25, outputTokens: 15 } },
    ];
    expect(await collect(chunks('stream-text.chunks.txt'))).toEqual(expected);
    expect(await collect(chunks('stream-text.chunks.txt'), 1)).toEqual(expected);
    expect(await collect(chunks('stream-text.chunks.txt').replace(/\n/g, '\r\n'), 7)).toEqual(expected);
  });

  it('streams a tool call with its JSON arguments as deltas under tool index 0', async () => {
    const parts = await collect(chunks('stream-tool-use.chunks.txt'));
    expect(parts).toEqual([
      { type: 'start', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', model: 'claude-opus-4-6', usage: { inputTokens: 472 } },
      { type: 'text-delta', text: 'Okay' },
      { type: 'text-delta', text: ", let's check the weather for San Francisco, CA:" },
      { type: 'tool-call-start', index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ' "San Francisc' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'o, CA"' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ', "unit": "fah' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'renheit"}' },
      { type: 'finish', stopReason: 'tool_calls', usage: { inputTokens: 472, outputTokens: 89 } },
    ]);
    const args = parts.flatMap((p) => (p.type === 'tool-call-delta' ? [p.argumentsDelta] : [])).join('');
    expect(JSON.parse(args)).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' });
  });

  it('streams thinking deltas and the signature, with cache reads in the usage', async () => {
    const parts = await collect(chunks('stream-thinking.chunks.txt'), 13);
    expect(parts[0]).toEqual({ type: 'start', id: 'msg_01KJtEgxDnUcSvcvYCXkXc7B', model: 'claude-opus-4-6', usage: { inputTokens: 16, cacheReadTokens: 4 } });
    expect(parts.slice(1)).toEqual([
      { type: 'thinking-delta', text: 'I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147' },
      { type: 'thinking-delta', text: '\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\n\nSo GCD(1071, 462) = 21' },
      { type: 'thinking-signature', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...' },
      { type: 'text-delta', text: 'The greatest common divisor of 1071 and 462 is **21**.' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 16, outputTokens: 95, cacheReadTokens: 4 } },
    ]);
  });

  it('numbers parallel tool calls 0, 1 regardless of block indexes', async () => {
    const ev = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;
    const text = [
      ev({ type: 'message_start', message: { id: 'm', model: 'c', usage: { input_tokens: 1 } } }),
      ev({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }),
      ev({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'a', name: 'f', input: {} } }),
      ev({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'b', name: 'g', input: {} } }),
      ev({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } }),
      ev({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"x":1}' } }),
      ev({ type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' }, usage: { output_tokens: 7 } }),
      ev({ type: 'message_stop' }),
    ].join('');
    expect((await collect(text)).slice(1)).toEqual([
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'tool-call-start', index: 1, id: 'b', name: 'g' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x":1}' },
      { type: 'finish', stopReason: 'stop', stopSequence: 'END', usage: { inputTokens: 1, outputTokens: 7 } },
    ]);
  });

  it('throws the classified error of an error event mid-stream, after the parts before it', async () => {
    const seen: StreamPart[] = [];
    let caught: unknown;
    try {
      for await (const part of anthropicStreamToParts(decodeSse(bytes(chunks('stream-error.chunks.txt'), 32)))) seen.push(part);
    } catch (err) {
      caught = err;
    }
    expect(seen.map((p) => p.type)).toEqual(['start', 'text-delta']);
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe('provider_overloaded');
    expect((caught as GatewayError).provider).toBe('anthropic');
    expect((caught as GatewayError).message).toContain('Overloaded');
  });

  it('classifies a rate-limit error event', async () => {
    const text = `event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}\n\n`;
    expect((await failure(text)).code).toBe('provider_rate_limited');
  });

  it('throws provider_bad_response when message_stop never comes', async () => {
    const full = chunks('stream-text.chunks.txt');
    const truncated = full.slice(0, full.indexOf('event: message_stop'));
    const err = await failure(truncated);
    expect(err.code).toBe('provider_bad_response');
    expect(err.message).toContain('message_stop');
  });

  it('throws provider_bad_response on an empty stream, invalid JSON, or content before message_start', async () => {
    expect((await failure('')).code).toBe('provider_bad_response');
    expect((await failure('event: message_start\ndata: {"type":"message_start",\n\n')).code).toBe('provider_bad_response');
    expect((await failure('data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}\n\n')).code).toBe(
      'provider_bad_response',
    );
  });

  it('stops reading after message_stop', async () => {
    const text = `${chunks('stream-text.chunks.txt')}data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}}\n\n`;
    const parts = await collect(text);
    expect(parts[parts.length - 1]?.type).toBe('finish');
    expect(parts.some((p) => p.type === 'text-delta' && p.text === 'late')).toBe(false);
  });
});
