import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpenAIUsageSchema, readOpenAIUsage } from './openai-usage.js';
import { parseOpenAIChatResponse, parseWithSchema, readCommonShape } from './parse-openai-chat-response.js';

const ctx = { provider: 'openai', model: 'gpt-4o-mini' };

// Values that sit right at the schema's edges: each field gets the right type, null, a missing
// key, or a wrong type. No -0: the second check below compares against a JSON round trip, which
// turns -0 into 0 (a provider's JSON text can carry -0, and both readers keep it), so -0 made that
// check fail about once in seven runs.
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0));
const junk = fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 3 }), double, fc.string({ maxLength: 4 }), fc.boolean(), fc.constant([]), fc.constant({}));
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: junk });
const field = <T>(arb: fc.Arbitrary<T>) => fc.option(maybe(arb), { nil: undefined });
const count = fc.oneof(fc.nat({ max: 10_000 }), fc.integer({ min: -5, max: -1 }));
const usage = fc.record(
  {
    prompt_tokens: field(count),
    completion_tokens: field(count),
    total_tokens: field(count),
    prompt_tokens_details: field(fc.record({ cached_tokens: field(count) }, { requiredKeys: [] })),
    completion_tokens_details: field(fc.record({ reasoning_tokens: field(count) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const toolCall = fc.record(
  {
    id: field(fc.string({ maxLength: 6 })),
    type: field(fc.constant('function')),
    function: maybe(fc.record({ name: maybe(fc.string({ maxLength: 6 })), arguments: field(fc.oneof(fc.string({ maxLength: 8 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer()))) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const message = fc.record(
  {
    role: fc.constant('assistant'),
    content: field(fc.oneof(fc.string({ maxLength: 8 }), fc.array(fc.record({ type: field(fc.constant('text')), text: field(fc.string({ maxLength: 4 })) }, { requiredKeys: [] }), { maxLength: 2 }))),
    refusal: field(fc.string({ maxLength: 4 })),
    reasoning: field(fc.string({ maxLength: 4 })),
    reasoning_content: field(fc.string({ maxLength: 4 })),
    tool_calls: field(fc.array(maybe(toolCall), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const answer = fc.record(
  {
    id: field(fc.string({ maxLength: 6 })),
    object: fc.constant('chat.completion'),
    model: field(fc.string({ maxLength: 6 })),
    created: field(fc.nat()),
    choices: maybe(fc.array(maybe(fc.record({ index: fc.nat({ max: 2 }), message: maybe(message), finish_reason: field(fc.constantFrom('stop', 'length', 'tool_calls', 'content_filter')) }, { requiredKeys: [] })), { maxLength: 3 })),
    usage: field(usage),
  },
  { requiredKeys: [] },
);

/** The schema's verdict: its data, or the error it throws. */
function schemaVerdict(json: unknown): { ok: true; data: unknown } | { ok: false } {
  try {
    return { ok: true, data: parseWithSchema(json, ctx) };
  } catch {
    return { ok: false };
  }
}

describe('the hand-read answer agrees with the schema', () => {
  it('reads exactly what the schema reads, and leaves to it everything else', () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: answer }, { weight: 1, arbitrary: junk }), (json) => {
        const hand = readCommonShape(json);
        const verdict = schemaVerdict(json);
        if (hand !== undefined) {
          fast++;
          // Whatever the fast path accepts, the schema accepts with the same data.
          expect(verdict).toEqual({ ok: true, data: hand });
        }
        // And the public function behaves as the schema alone did.
        if (verdict.ok) expect(parseOpenAIChatResponse(json, ctx)).toEqual(parseOpenAIChatResponse(JSON.parse(JSON.stringify(json)) as unknown, ctx));
        else expect(() => parseOpenAIChatResponse(json, ctx)).toThrow(expect.objectContaining({ code: 'provider_bad_response' }));
      }),
      { numRuns: 5000 },
    );
    // The generator reaches the fast path often enough for the check to mean something (~4.5% of runs).
    expect(fast).toBeGreaterThan(120);
  });

  it('reads usage exactly as OpenAIUsageSchema.nullish().catch(undefined) does', () => {
    const schema = OpenAIUsageSchema.nullish().catch(undefined);
    fc.assert(
      fc.property(fc.oneof(usage, junk, fc.constant(undefined)), (u) => {
        expect(readOpenAIUsage(u)).toEqual(schema.parse(u));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast path for the documented answer shapes', () => {
    expect(readCommonShape({ id: 'x', model: 'm', created: 1, choices: [{ index: 0, message: { role: 'assistant', content: 'hi', refusal: null }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2 } })).toBeDefined();
    expect(readCommonShape({ choices: [{ message: { content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] } }] })).toBeDefined();
    // Array content is left to the schema.
    expect(readCommonShape({ choices: [{ message: { content: [{ type: 'text', text: 'a' }] } }] })).toBeUndefined();
  });
});
