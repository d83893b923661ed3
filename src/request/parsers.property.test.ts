import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../types/chat.js';
import { parseAnthropicMessagesRequest } from './parse-anthropic-messages-request.js';
import { parseOpenAIChatRequest } from './parse-openai-chat-request.js';

type Parser = (body: unknown) => ChatRequest;

const PARSERS: ReadonlyArray<[string, Parser]> = [
  ['openai', (b) => parseOpenAIChatRequest(b)],
  ['anthropic', (b) => parseAnthropicMessagesRequest(b)],
];

/** The contract: a ChatRequest, or a caller_invalid_request GatewayError with a message — nothing else. */
function outcome(parse: Parser, body: unknown): 'ok' | 'invalid' {
  try {
    const req = parse(body);
    expect(req.messages.length).toBeGreaterThan(0);
    return 'ok';
  } catch (err) {
    if (!isGatewayError(err) || err.code !== 'caller_invalid_request' || err.message === '') throw err;
    return 'invalid';
  }
}

const OPENAI_SEEDS: unknown[] = [
  {
    model: 'auto',
    messages: [
      { role: 'system', content: 'sys' },
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'high' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'done' },
      { role: 'user', content: 'next' },
    ],
    tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object', properties: { a: { type: 'number' } } } } }],
    tool_choice: { type: 'function', function: { name: 'f' } },
    stream: true,
    stream_options: { include_usage: true },
    max_completion_tokens: 100,
    temperature: 0.5,
    stop: ['x'],
    response_format: { type: 'json_object' },
    metadata: { k: 'v' },
    reasoning_effort: 'high',
  },
  { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }], seed: 1, user: 'u', logit_bias: { '1': 2 } },
];

const ANTHROPIC_SEEDS: unknown[] = [
  {
    model: 'claude',
    max_tokens: 4096,
    system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 't', signature: 's' },
          { type: 'tool_use', id: 'tu1', name: 'f', input: { a: [1, 2] } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu1', content: [{ type: 'text', text: 'r' }], is_error: false }] },
    ],
    tools: [{ name: 'f', description: 'd', input_schema: { type: 'object', properties: {} } }],
    tool_choice: { type: 'auto', disable_parallel_tool_use: false },
    thinking: { type: 'enabled', budget_tokens: 1024 },
    stop_sequences: ['END'],
    metadata: { user_id: 'u' },
    stream: false,
  },
  { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hello' }] },
];

type Container = Record<string, unknown> | unknown[];

/** Every (container, key) slot in a JSON tree, so a mutation can target any depth. */
function slots(value: unknown, out: Array<[Container, string | number]> = []): Array<[Container, string | number]> {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([value, i]);
      slots(v, out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, k]);
      slots(v, out);
    }
  }
  return out;
}

const weird = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, '', ' ', '\uD800', 'a\uDC00b', '__proto__', [], {}, null, true, -1, 0, 2.5, 1e9),
  fc.string({ unit: 'binary' }),
);

type Mutation = { kind: 'replace' | 'delete' | 'addKey' | 'wrap' | 'duplicate'; at: number; value: unknown; key: string };

const mutation = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('replace', 'delete', 'addKey', 'wrap', 'duplicate'),
  at: fc.nat(),
  value: weird,
  key: fc.constantFrom('extra', 'type', 'role', 'content', 'text', 'model', 'messages', '__proto__', 'cache_control', 'name'),
});

function mutate(seed: unknown, mutations: readonly Mutation[]): unknown {
  const copy: unknown = structuredClone(seed);
  for (const m of mutations) {
    const all = slots(copy);
    if (all.length === 0) break;
    const [container, key] = all[m.at % all.length] as [Container, string | number];
    const current = (container as Record<string | number, unknown>)[key];
    switch (m.kind) {
      case 'replace':
        // Clone: the body is deep-frozen afterwards, and fast-check reuses `m.value` when shrinking.
        (container as Record<string | number, unknown>)[key] = structuredClone(m.value);
        break;
      case 'delete':
        if (Array.isArray(container)) container.splice(key as number, 1);
        else delete container[key as string];
        break;
      case 'addKey':
        if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
          Object.defineProperty(current, m.key, { value: structuredClone(m.value), enumerable: true, writable: true, configurable: true });
        }
        break;
      case 'wrap':
        (container as Record<string | number, unknown>)[key] = [current];
        break;
      case 'duplicate':
        if (Array.isArray(container)) container.splice(key as number, 0, structuredClone(current));
        break;
    }
  }
  return copy;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('parsers: property-based', () => {
  for (const [name, parse] of PARSERS) {
    it(`${name}: arbitrary JSON values give a ChatRequest or caller_invalid_request`, () => {
      fc.assert(
        fc.property(fc.jsonValue(), (body) => {
          outcome(parse, body);
        }),
        { numRuns: 2_000 },
      );
    });

    it(`${name}: arbitrary JS values (not only JSON) never escape the contract`, () => {
      fc.assert(
        fc.property(fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true }), (body) => {
          outcome(parse, body);
          outcome(parse, { model: 'm', max_tokens: 10, messages: body });
          outcome(parse, { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: body }] });
        }),
        { numRuns: 1_000 },
      );
    });
  }

  const mutated: ReadonlyArray<[string, Parser, unknown[]]> = [
    ['openai', PARSERS[0]![1], OPENAI_SEEDS],
    ['anthropic', PARSERS[1]![1], ANTHROPIC_SEEDS],
  ];
  for (const [name, parse, seeds] of mutated) {
    it(`${name}: seed requests are valid`, () => {
      for (const seed of seeds) expect(outcome(parse, deepFreeze(structuredClone(seed)))).toBe('ok');
    });

    it(`${name}: mutated valid requests give a ChatRequest or caller_invalid_request, without mutating the input`, () => {
      let ok = 0;
      let invalid = 0;
      fc.assert(
        fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seedIndex, mutations) => {
          const body = deepFreeze(mutate(seeds[seedIndex % seeds.length], mutations));
          const before = JSON.stringify(body);
          if (outcome(parse, body) === 'ok') ok++;
          else invalid++;
          expect(JSON.stringify(body)).toBe(before);
        }),
        { numRuns: 3_000 },
      );
      // Both branches must be exercised, or the mutations are too weak (or too destructive) to mean anything.
      expect(ok).toBeGreaterThan(50);
      expect(invalid).toBeGreaterThan(50);
    });
  }

  it('openai: any conversation of non-blank texts is accepted, with its text preserved in order', () => {
    const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');
    const message = fc.record({ role: fc.constantFrom('system', 'developer', 'user', 'assistant'), content: text });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 12 }), (messages) => {
        fc.pre(messages.some((m) => m.role === 'user' || m.role === 'assistant'));
        const req = parseOpenAIChatRequest({ model: 'auto', messages });
        const turnsText = req.messages.flatMap((m) => m.content.map((p) => (p.type === 'text' ? p.text : '')));
        expect(turnsText).toEqual(messages.filter((m) => m.role === 'user' || m.role === 'assistant').map((m) => m.content));
        expect(req.system.map((p) => p.text)).toEqual(messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => m.content));
        for (let i = 1; i < req.messages.length; i++) expect(req.messages[i]?.role).not.toBe(req.messages[i - 1]?.role);
      }),
      { numRuns: 1_000 },
    );
  });
});
