import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import { mapAnthropicStopReason, parseAnthropicResponse } from './parse-anthropic-response.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
}

describe('parseAnthropicResponse', () => {
  it('parses a text message and counts cache tokens into the prompt', () => {
    expect(parseAnthropicResponse(fixture('messages-text.json'))).toEqual({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
      stopReason: 'stop',
      usage: { inputTokens: 2095 + 100 + 1800, outputTokens: 503, cacheReadTokens: 1800, cacheWriteTokens: 100 },
    });
  });

  it('parses a tool call, serialising its input as JSON arguments', () => {
    const res = parseAnthropicResponse(fixture('messages-tool-use.json'));
    expect(res.stopReason).toBe('tool_calls');
    expect(res.content).toEqual([
      { type: 'text', text: "I'll check the current weather in San Francisco for you." },
      { type: 'tool_call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
    ]);
    expect(res.usage).toEqual({ inputTokens: 384, outputTokens: 92 });
  });

  it('parses thinking with its signature and redacted thinking, skipping server tool blocks', () => {
    const res = parseAnthropicResponse(fixture('messages-thinking.json'));
    expect(res.stopReason).toBe('length');
    expect(res.content).toEqual([
      {
        type: 'thinking',
        text: 'Let me analyze this step by step...',
        signature: 'WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL....',
      },
      { type: 'thinking', text: '', redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP...' },
      { type: 'text', text: 'Based on my analysis...' },
    ]);
  });

  it('keeps the stop sequence that ended the message', () => {
    const res = parseAnthropicResponse({ id: 'm', model: 'c', content: [], stop_reason: 'stop_sequence', stop_sequence: '###', usage: {} });
    expect(res.stopReason).toBe('stop');
    expect(res.stopSequence).toBe('###');
    expect(res.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'refusal'],
    ['pause_turn', 'pause'],
    [null, 'stop'],
    ['something_new', 'stop'],
  ])('maps stop_reason %s to %s', (raw, expected) => {
    expect(mapAnthropicStopReason(raw)).toBe(expected);
  });

  it.each([null, 'text', [], { type: 'message' }, { content: 'x' }])('rejects %j as provider_bad_response', (body) => {
    expect(() => parseAnthropicResponse(body)).toThrow(GatewayError);
    try {
      parseAnthropicResponse(body);
    } catch (err) {
      expect((err as GatewayError).code).toBe('provider_bad_response');
    }
  });
});
