import { describe, expect, it } from 'vitest';
import type { ChatResponse, StopReason } from '../types/chat.js';
import { parseToolInput, toAnthropicMessage } from './to-anthropic-message.js';

const base: ChatResponse = { id: 'msg_01', model: 'claude-sonnet-4-5-20250929', content: [], stopReason: 'stop', usage: { inputTokens: 10, outputTokens: 5 } };

describe('toAnthropicMessage', () => {
  it('writes thinking, redacted thinking, text and tool_use blocks with split cache usage', () => {
    const out = toAnthropicMessage(
      {
        ...base,
        content: [
          { type: 'thinking', text: 'Plan.', signature: 'sig' },
          { type: 'thinking', text: '', redactedData: 'opaque' },
          { type: 'text', text: 'Running it.' },
          { type: 'tool_call', id: 'toolu_1', name: 'bash', arguments: '{"cmd":"ls"}' },
        ],
        stopReason: 'tool_calls',
        usage: { inputTokens: 1000, outputTokens: 50, cacheReadTokens: 900, cacheWriteTokens: 60 },
      },
      { model: 'claude-sonnet-4-5' },
    );
    expect(out).toStrictEqual({
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'thinking', thinking: 'Plan.', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Running it.' },
        { type: 'tool_use', id: 'toolu_1', name: 'bash', input: { cmd: 'ls' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 40, output_tokens: 50, cache_creation_input_tokens: 60, cache_read_input_tokens: 900 },
    });
  });

  it('reports the matched stop sequence', () => {
    const out = toAnthropicMessage({ ...base, content: [{ type: 'text', text: 'a' }], stopSequence: 'END' }, { model: 'm' });
    expect([out.stop_reason, out.stop_sequence]).toEqual(['stop_sequence', 'END']);
  });

  it.each<[StopReason, string]>([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
    ['refusal', 'refusal'],
    ['pause', 'pause_turn'],
    ['error', 'end_turn'],
  ])('stop reason %s -> %s', (stopReason, expected) => {
    expect(toAnthropicMessage({ ...base, content: [{ type: 'text', text: 'x' }], stopReason }, { model: 'm' }).stop_reason).toBe(expected);
  });

  it('tool input: objects kept, empty/invalid/non-object arguments become {}', () => {
    expect(parseToolInput('{"a":[1,{"b":null}]}')).toStrictEqual({ a: [1, { b: null }] });
    expect(parseToolInput('  ')).toStrictEqual({});
    expect(parseToolInput('{"a":')).toStrictEqual({});
    expect(parseToolInput('[1,2]')).toStrictEqual({});
    expect(parseToolInput('"str"')).toStrictEqual({});
  });
});
