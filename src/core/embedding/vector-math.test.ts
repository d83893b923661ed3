import { describe, expect, it } from 'vitest';
import { cosine, dot, l2Normalize } from './vector-math.js';

describe('vector math', () => {
  it('computes dot products', () => {
    expect(dot(Float32Array.of(1, 2, 3), Float32Array.of(4, -5, 6))).toBe(12);
  });

  it('normalises in place and leaves zero vectors alone', () => {
    const v = Float32Array.of(3, 4);
    expect(l2Normalize(v)).toBe(v);
    expect(Array.from(v)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(l2Normalize(new Float32Array(3)))).toEqual([0, 0, 0]);
  });

  it('computes cosine similarity, 0 for zero vectors', () => {
    expect(cosine(Float32Array.of(1, 0), Float32Array.of(0, 2))).toBe(0);
    expect(cosine(Float32Array.of(1, 1), Float32Array.of(2, 2))).toBeCloseTo(1, 6);
    expect(cosine(Float32Array.of(1, 0), Float32Array.of(-3, 0))).toBeCloseTo(-1, 6);
    expect(cosine(new Float32Array(2), Float32Array.of(1, 0))).toBe(0);
  });
});
