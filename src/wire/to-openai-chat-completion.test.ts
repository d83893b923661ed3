import { describe, expect, it } from 'vitest';
import type { ChatResponse, StopReason } from '../types/chat.js';
import { toOpenAIChatCompletion } from './to-openai-chat-completion.js';

const base: ChatResponse = { id: 'resp-1', model: 'gpt-4o-mini-2024-07-18', content: [], stopReason: 'stop', usage: { inputTokens: 10, outputTokens: 5 } };

describe('toOpenAIChatCompletion', () => {
  it('writes text, tool calls, reasoning and detailed usage', () => {
    const out = toOpenAIChatCompletion(
      {
        ...base,
        content: [
          { type: 'thinking', text: 'Hmm.', signature: 'sig' },
          { type: 'text', text: 'Let me ' },
          { type: 'text', text: 'check.' },
          { type: 'tool_call', id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' },
          { type: 'tool_call', id: 'call_2', name: 'now', arguments: '' },
        ],
        stopReason: 'tool_calls',
        usage: { inputTokens: 120, outputTokens: 40, cacheReadTokens: 100, cacheWriteTokens: 5, reasoningTokens: 12 },
      },
      { model: 'auto', created: 1700000000 },
    );
    expect(out).toStrictEqual({
      id: 'resp-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'auto',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check.',
            refusal: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
              { id: 'call_2', type: 'function', function: { name: 'now', arguments: '{}' } },
            ],
            reasoning_content: 'Hmm.',
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 120, completion_tokens: 40, total_tokens: 160, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 12 } },
    });
  });

  it('content is null when the answer has no text', () => {
    const out = toOpenAIChatCompletion({ ...base, content: [{ type: 'tool_call', id: 'c', name: 'f', arguments: '{}' }] }, { model: 'm', created: 0 });
    expect(out.choices[0].message.content).toBeNull();
    expect(out.choices[0].message.reasoning_content).toBeUndefined();
    expect(out.choices[0].finish_reason).toBe('tool_calls');
  });

  it.each<[StopReason, string]>([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['refusal', 'content_filter'],
    ['pause', 'length'],
    ['error', 'stop'],
  ])('finish reason %s -> %s', (stopReason, expected) => {
    expect(toOpenAIChatCompletion({ ...base, content: [{ type: 'text', text: 'x' }], stopReason }, { model: 'm', created: 0 }).choices[0].finish_reason).toBe(expected);
  });
});
