import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import type { StreamPart } from '../types/stream-part.js';
import { createAnthropicStreamEncoder } from './anthropic-stream-encoder.js';

const encodeAll = (parts: readonly StreamPart[]): string => {
  const enc = createAnthropicStreamEncoder({ model: 'claude-sonnet-4-5' });
  return parts.map((p) => enc.encode(p)).join('');
};
const frames = (...events: string[]): string => events.map((e) => `${e}\n\n`).join('');

const MESSAGE_STOP = 'event: message_stop\ndata: {"type":"message_stop"}';

describe('createAnthropicStreamEncoder: golden streams', () => {
  it('text only', () => {
    const out = encodeAll([
      { type: 'start', id: 'msg_1', model: 'p', usage: { inputTokens: 12 } },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ' world' },
      { type: 'finish', stopReason: 'stop', usage: { inputTokens: 12, outputTokens: 2 } },
    ]);
    expect(out).toBe(
      frames(
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}',
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" world"}}',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":12,"output_tokens":2,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}',
        MESSAGE_STOP,
      ),
    );
  });

  it('text then two tool calls: one block each, input_json_delta fragments, tool_use stop reason, cached input split out', () => {
    const out = encodeAll([
      { type: 'start', id: 'msg_2', model: 'p' },
      { type: 'text-delta', text: 'Checking.' },
      { type: 'tool-call-start', index: 1, id: 'toolu_a', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-start', index: 2, id: 'toolu_b', name: 'now' },
      { type: 'finish', stopReason: 'tool_calls', usage: { inputTokens: 50, outputTokens: 20, cacheReadTokens: 30 } },
    ]);
    expect(out).toBe(
      frames(
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}',
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking."}}',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
        'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_a","name":"get_weather","input":{}}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\":"}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"Paris\\"}"}}',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}',
        'event: content_block_start\ndata: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_b","name":"now","input":{}}}',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":2}',
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":20,"output_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":30}}',
        MESSAGE_STOP,
      ),
    );
  });

  it('thinking with signature, then text; stop sequence reported', () => {
    const out = encodeAll([
      { type: 'start', id: 'msg_3', model: 'p', usage: { inputTokens: 100, cacheReadTokens: 80, cacheWriteTokens: 10 } },
      { type: 'thinking-delta', text: 'Let me ' },
      { type: 'thinking-delta', text: 'think' },
      { type: 'thinking-signature', signature: 'sig==' },
      { type: 'text-delta', text: '42' },
      { type: 'finish', stopReason: 'stop', stopSequence: '###', usage: { inputTokens: 100, outputTokens: 30, cacheReadTokens: 80, cacheWriteTokens: 10 } },
    ]);
    expect(out).toBe(
      frames(
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_3","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":0,"cache_creation_input_tokens":10,"cache_read_input_tokens":80}}}',
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me "}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"think"}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig=="}}',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
        'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"42"}}',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}',
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"###"},"usage":{"input_tokens":10,"output_tokens":30,"cache_creation_input_tokens":10,"cache_read_input_tokens":80}}',
        MESSAGE_STOP,
      ),
    );
  });
});

describe('createAnthropicStreamEncoder: errors, ping, invariants', () => {
  it('error() emits the Anthropic error event and closes the stream', () => {
    const enc = createAnthropicStreamEncoder({ model: 'm' });
    enc.encode({ type: 'start', id: 'x', model: 'p' });
    expect(enc.ping()).toBe('event: ping\ndata: {"type":"ping"}\n\n');
    expect(enc.error(new GatewayError('provider_overloaded', 'Upstream overloaded'))).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Upstream overloaded"}}\n\n',
    );
    expect(enc.encode({ type: 'text-delta', text: 'late' })).toBe('');
    expect(enc.ping()).toBe('');
  });

  it('maps every stop reason', () => {
    const stop = (stopReason: 'length' | 'content_filter' | 'refusal' | 'pause' | 'error') => {
      const out = encodeAll([
        { type: 'start', id: 'x', model: 'p' },
        { type: 'finish', stopReason, usage: { inputTokens: 1, outputTokens: 1 } },
      ]);
      return /"stop_reason":"([a-z_]+)"/.exec(out)?.[1];
    };
    expect([stop('length'), stop('content_filter'), stop('refusal'), stop('pause'), stop('error')]).toEqual(['max_tokens', 'refusal', 'refusal', 'pause_turn', 'end_turn']);
  });

  it('argument fragments for an earlier tool call keep that call\'s block index', () => {
    const out = encodeAll([
      { type: 'start', id: 'x', model: 'p' },
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'tool-call-start', index: 1, id: 'b', name: 'g' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'finish', stopReason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 1 } },
    ]);
    expect(out).toContain('{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}}');
  });

  it('contract violations are gateway_internal errors', () => {
    const enc = createAnthropicStreamEncoder({ model: 'm' });
    expect(() => enc.encode({ type: 'finish', stopReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } })).toThrow(GatewayError);
    enc.encode({ type: 'start', id: 'x', model: 'p' });
    expect(() => enc.encode({ type: 'tool-call-delta', index: 0, argumentsDelta: 'x' })).toThrow(/unannounced/);
  });
});

describe('createAnthropicStreamEncoder: deltas from a template', () => {
  it('writes each delta as JSON.stringify would, under the block it belongs to, for any text', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constantFrom('text' as const, 'thinking' as const), text: fc.string({ unit: 'binary', minLength: 1 }) }),
      fc.record({ kind: fc.constant('tool' as const), args: fc.array(fc.string({ unit: 'binary', minLength: 1 }), { maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) => {
        const enc = createAnthropicStreamEncoder({ model: 'm' });
        enc.encode({ type: 'start', id: 'msg_1', model: 'm' });
        let lastStart = -1;
        let tools = 0;
        const deltaOf = (out: string): { json: string; index: number } => {
          const events = out.split('\n\n').filter((e) => e !== '');
          for (const e of events) {
            const data = e.slice(e.indexOf('data: ') + 6);
            const parsed = JSON.parse(data) as { type: string; index: number };
            if (parsed.type === 'content_block_start') lastStart = parsed.index;
          }
          const last = events[events.length - 1] as string;
          expect(last.startsWith('event: content_block_delta\ndata: ')).toBe(true);
          const json = last.slice('event: content_block_delta\ndata: '.length);
          return { json, index: (JSON.parse(json) as { index: number }).index };
        };
        for (const o of ops) {
          if (o.kind === 'tool') {
            const index = tools++;
            enc.encode({ type: 'tool-call-start', index, id: `t${index}`, name: 'f' });
            const block = lastStart + 1;
            for (const a of o.args) {
              const { json } = deltaOf(enc.encode({ type: 'tool-call-delta', index, argumentsDelta: a }));
              expect(json).toBe(JSON.stringify({ type: 'content_block_delta', index: block, delta: { type: 'input_json_delta', partial_json: a } }));
            }
            lastStart = block;
            continue;
          }
          const { json, index } = deltaOf(enc.encode(o.kind === 'text' ? { type: 'text-delta', text: o.text } : { type: 'thinking-delta', text: o.text }));
          expect(index).toBe(lastStart);
          const delta = o.kind === 'text' ? { type: 'text_delta', text: o.text } : { type: 'thinking_delta', thinking: o.text };
          expect(json).toBe(JSON.stringify({ type: 'content_block_delta', index, delta }));
        }
      }),
      { numRuns: 300 },
    );
  });
});
