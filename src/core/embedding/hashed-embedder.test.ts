import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import { createHashedEmbedder, embedInto, projectSparse } from './hashed-embedder.js';
import { hashedTermVector } from './hashed-term-vector.js';
import { randomHashedParams } from './test-params.js';
import { cosine } from './vector-math.js';

describe('createHashedEmbedder', () => {
  it('embeds into unit vectors of the configured dimension, a new array per call', () => {
    const embedder = createHashedEmbedder(randomHashedParams({ dim: 24 }));
    const a = embedder.embed('How do I reverse a linked list in C?');
    const b = embedder.embed('How do I reverse a linked list in C?');
    expect(embedder.dim).toBe(24);
    expect(a).toHaveLength(24);
    expect(a).not.toBe(b);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(cosine(a, a)).toBeCloseTo(1, 5);
  });

  it('returns the zero vector for text without tokens', () => {
    const v = createHashedEmbedder(randomHashedParams()).embed('  ');
    expect(Array.from(v).every((x) => x === 0)).toBe(true);
  });

  it('matches embedInto and hashedTermVector + projectSparse bit for bit', () => {
    const params = randomHashedParams();
    const text = 'Compute the integral of x^2 from 0 to 3, then explain each step.';
    const viaEmbed = createHashedEmbedder(params).embed(text);
    const viaInto = embedInto(text, params, new Float32Array(params.dim));
    const viaParts = projectSparse(hashedTermVector(text, params), params.projection, params.dim, new Float32Array(params.dim));
    expect(Array.from(viaInto)).toEqual(Array.from(viaEmbed));
    expect(Array.from(viaParts)).toEqual(Array.from(viaEmbed));
  });

  it('changes id when parameters change', () => {
    const base = randomHashedParams();
    const id = createHashedEmbedder(base).id;
    expect(createHashedEmbedder(randomHashedParams()).id).toBe(id);
    expect(createHashedEmbedder({ ...base, seed: 2 }).id).not.toBe(id);
    const idf = Float32Array.from(base.idf);
    idf[0] = (idf[0] as number) + 1;
    expect(createHashedEmbedder({ ...base, idf }).id).not.toBe(id);
    const projection = Float32Array.from(base.projection);
    projection[projection.length - 1] = 42;
    expect(createHashedEmbedder({ ...base, projection }).id).not.toBe(id);
  });

  it.each([
    ['buckets not a power of two', { buckets: 1000 }],
    ['idf of the wrong length', { idf: new Float32Array(3) }],
    ['projection of the wrong length', { projection: new Float32Array(5) }],
    ['zero dimension', { dim: 0 }],
    ['tiny window', { maxChars: 4 }],
  ])('rejects %s with routing_artifact_invalid', (_name, override) => {
    const params = { ...randomHashedParams(), ...override };
    try {
      createHashedEmbedder(params);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).code).toBe('routing_artifact_invalid');
    }
  });
});
