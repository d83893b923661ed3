import { describe, expect, it } from 'vitest';
import { toGeminiSchema } from './to-gemini-schema.js';

describe('toGeminiSchema', () => {
  it('drops keys Gemini rejects, recursively', () => {
    expect(
      toGeminiSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        additionalProperties: false,
        properties: {
          location: { type: 'string', description: 'City', examples: ['Paris'], format: 'uri' },
          when: { type: 'string', format: 'date-time' },
          days: { type: 'integer', format: 'int32', minimum: 1, maximum: 14, exclusiveMinimum: 0 },
          tags: { type: 'array', items: { type: 'string', $id: 'x' }, minItems: 1, uniqueItems: true },
          nested: { type: 'object', properties: { a: { type: 'number' } }, additionalProperties: { type: 'string' }, required: ['a', 'ghost'] },
        },
        required: ['location'],
        $defs: { unused: { type: 'string' } },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        location: { type: 'string', description: 'City' },
        when: { type: 'string', format: 'date-time' },
        days: { type: 'integer', format: 'int32', minimum: 1, maximum: 14 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
        nested: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] },
      },
      required: ['location'],
    });
  });

  it('rewrites nullable type arrays, const, oneOf and null branches', () => {
    expect(
      toGeminiSchema({
        type: 'object',
        properties: {
          a: { type: ['string', 'null'] },
          b: { const: 'fixed' },
          c: { oneOf: [{ type: 'string' }, { type: 'number' }] },
          d: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
          e: { type: 'integer', enum: [1, 2, null] },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        a: { type: 'string', nullable: true },
        b: { type: 'string', enum: ['fixed'] },
        c: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        d: { type: 'integer', nullable: true },
        e: { type: 'integer', enum: ['1', '2'] },
      },
    });
  });

  it('returns undefined for a parameterless object schema', () => {
    expect(toGeminiSchema({ type: 'object', properties: {} })).toBeUndefined();
    expect(toGeminiSchema({ type: 'object', additionalProperties: false })).toBeUndefined();
    expect(toGeminiSchema('nope')).toBeUndefined();
  });
});
