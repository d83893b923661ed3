import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterSimilarities } from './cluster-similarities.js';

/** One centroid at a time, each sum in index order: the results the blocked loop must reproduce. */
function reference(vec: Float32Array, centroids: Float32Array, k: number, dim: number): Float32Array {
  const out = new Float32Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += (vec[i] as number) * (centroids[c * dim + i] as number);
    out[c] = s;
  }
  return out;
}

describe('clusterSimilarities', () => {
  it('gives every centroid the dot product of the one-at-a-time loop, to the bit, for any k', () => {
    const shape = fc.record({ k: fc.integer({ min: 1, max: 11 }), dim: fc.integer({ min: 1, max: 9 }), seed: fc.integer() });
    fc.assert(
      fc.property(shape, ({ k, dim, seed }) => {
        // Values of mixed magnitude so that the order of additions would show in the last bits.
        let x = seed | 0;
        const next = (): number => {
          x = (Math.imul(x, 1103515245) + 12345) | 0;
          return ((x >>> 8) / 2 ** 24 - 0.5) * 10 ** ((x >>> 4) % 4);
        };
        const vec = Float32Array.from({ length: dim }, next);
        const centroids = Float32Array.from({ length: k * dim }, next);
        const out = new Float32Array(k + 1).fill(-7);
        clusterSimilarities(vec, centroids, k, dim, out);
        expect(Array.from(out.subarray(0, k))).toEqual(Array.from(reference(vec, centroids, k, dim)));
        // Nothing past the k-th slot is written.
        expect(out[k]).toBe(-7);
      }),
      { numRuns: 300 },
    );
  });
});
