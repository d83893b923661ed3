import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import type { StreamPart } from '../types/stream-part.js';
import { createOpenAIStreamEncoder } from './openai-stream-encoder.js';

const encodeAll = (parts: readonly StreamPart[], includeUsage: boolean): string => {
  const enc = createOpenAIStreamEncoder({ model: 'auto', created: 1700000000, includeUsage });
  return parts.map((p) => enc.encode(p)).join('');
};
const frames = (...lines: string[]): string => lines.map((l) => `${l}\n\n`).join('');

describe('createOpenAIStreamEncoder: golden streams', () => {
  it('text only, without usage', () => {
    const out = encodeAll(
      [
        { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o-mini', usage: { inputTokens: 12 } },
        { type: 'text-delta', text: 'Hello' },
        { type: 'text-delta', text: '' },
        { type: 'text-delta', text: ' world' },
        { type: 'finish', stopReason: 'stop', usage: { inputTokens: 12, outputTokens: 2 } },
      ],
      false,
    );
    expect(out).toBe(
      frames(
        'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
        'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}',
        'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"content":" world"},"logprobs":null,"finish_reason":null}]}',
        'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}',
        'data: [DONE]',
      ),
    );
  });

  it('tool calls: dense indexes, id and name first, argument fragments, {} for a call without arguments, usage chunk', () => {
    const out = encodeAll(
      [
        { type: 'start', id: 'c2', model: 'p' },
        { type: 'text-delta', text: 'Checking.' },
        { type: 'tool-call-start', index: 1, id: 'call_a', name: 'get_weather' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '"Paris"}' },
        { type: 'tool-call-start', index: 2, id: 'call_b', name: 'now' },
        { type: 'finish', stopReason: 'tool_calls', usage: { inputTokens: 50, outputTokens: 20, cacheReadTokens: 30 } },
      ],
      true,
    );
    expect(out).toBe(
      frames(
        'data: {"id":"c2","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c2","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"content":"Checking."},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c2","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c2","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}}]},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c2","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"Paris\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c2","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"now","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c2","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c2","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}',
        'data: {"id":"c2","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":20,"total_tokens":70,"prompt_tokens_details":{"cached_tokens":30},"completion_tokens_details":{"reasoning_tokens":0}}}',
        'data: [DONE]',
      ),
    );
  });

  it('thinking goes to reasoning_content, signatures are dropped, reasoning tokens reported', () => {
    const out = encodeAll(
      [
        { type: 'start', id: 'c3', model: 'p' },
        { type: 'thinking-delta', text: 'Let me think' },
        { type: 'thinking-signature', signature: 'sig==' },
        { type: 'text-delta', text: '42' },
        { type: 'finish', stopReason: 'length', usage: { inputTokens: 100, outputTokens: 30, cacheReadTokens: 80, reasoningTokens: 25 } },
      ],
      true,
    );
    expect(out).toBe(
      frames(
        'data: {"id":"c3","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c3","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"reasoning_content":"Let me think"},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c3","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{"content":"42"},"logprobs":null,"finish_reason":null}],"usage":null}',
        'data: {"id":"c3","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":null}',
        'data: {"id":"c3","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[],"usage":{"prompt_tokens":100,"completion_tokens":30,"total_tokens":130,"prompt_tokens_details":{"cached_tokens":80},"completion_tokens_details":{"reasoning_tokens":25}}}',
        'data: [DONE]',
      ),
    );
  });
});

describe('createOpenAIStreamEncoder: errors and invariants', () => {
  it('error() is terminal: one error event, no [DONE], nothing after', () => {
    const enc = createOpenAIStreamEncoder({ model: 'auto', created: 1, includeUsage: false });
    enc.encode({ type: 'start', id: 'x', model: 'p' });
    enc.encode({ type: 'text-delta', text: 'partial' });
    expect(enc.error(new GatewayError('provider_overloaded', 'Upstream overloaded'))).toBe(
      'data: {"error":{"message":"Upstream overloaded","type":"api_error","param":null,"code":"provider_overloaded"}}\n\n',
    );
    expect(enc.encode({ type: 'text-delta', text: 'late' })).toBe('');
    expect(enc.error(new GatewayError('provider_timeout', 'again'))).toBe('');
  });

  it('nothing is written after finish', () => {
    const enc = createOpenAIStreamEncoder({ model: 'auto', created: 1, includeUsage: false });
    enc.encode({ type: 'start', id: 'x', model: 'p' });
    enc.encode({ type: 'finish', stopReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } });
    expect(enc.encode({ type: 'text-delta', text: 'late' })).toBe('');
    expect(enc.error(new GatewayError('provider_timeout', 'late'))).toBe('');
  });

  it('a plain stop after tool calls is reported as tool_calls', () => {
    const out = encodeAll(
      [
        { type: 'start', id: 'x', model: 'p' },
        { type: 'tool-call-start', index: 0, id: 'c', name: 'f' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
        { type: 'finish', stopReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } },
      ],
      false,
    );
    expect(out).toContain('"finish_reason":"tool_calls"');
  });

  it('contract violations by a provider adapter are gateway_internal errors', () => {
    const enc = createOpenAIStreamEncoder({ model: 'auto', created: 1, includeUsage: false });
    expect(() => enc.encode({ type: 'text-delta', text: 'x' })).toThrow(/before 'start'/);
    enc.encode({ type: 'start', id: 'x', model: 'p' });
    expect(() => enc.encode({ type: 'tool-call-delta', index: 3, argumentsDelta: '{' })).toThrow(/unannounced index 3/);
    try {
      enc.encode({ type: 'start', id: 'y', model: 'p' });
    } catch (err) {
      expect((err as GatewayError).code).toBe('gateway_internal');
    }
  });
});

describe('createOpenAIStreamEncoder: content deltas from a template', () => {
  it('writes exactly the chunk object JSON.stringify would, for any id, model, time and text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.oneof(fc.integer(), fc.double()), fc.boolean(), fc.array(fc.tuple(fc.boolean(), fc.string({ unit: 'binary', minLength: 1 })), { minLength: 1, maxLength: 4 }), (id, model, created, includeUsage, deltas) => {
        const enc = createOpenAIStreamEncoder({ model, created, includeUsage });
        enc.encode({ type: 'start', id, model: 'upstream' });
        for (const [thinking, text] of deltas) {
          const delta = thinking ? { reasoning_content: text } : { content: text };
          const body = { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) };
          expect(enc.encode(thinking ? { type: 'thinking-delta', text } : { type: 'text-delta', text })).toBe(`data: ${JSON.stringify(body)}\n\n`);
        }
      }),
      { numRuns: 500 },
    );
  });
});
