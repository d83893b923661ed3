import { describe, expect, it } from 'vitest';
import { createSeededRng } from '../../core/math/seeded-rng.js';
import { chooseK } from './choose-k.js';
import { kmeans } from './kmeans.js';

/** n points around k well-separated unit directions in d dims; returns vectors and true labels. */
export function plantedClusters(n: number, d: number, k: number, spread: number, seed: number): { vectors: Float32Array; labels: Int32Array } {
  const rng = createSeededRng(seed);
  const vectors = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = c;
    for (let j = 0; j < d; j++) vectors[i * d + j] = (j === c ? 1 : 0) + rng.normal() * spread;
  }
  return { vectors, labels };
}

/** Fraction of point pairs on which two labellings agree about same/different cluster. */
function randIndex(a: Int32Array, b: Int32Array): number {
  let agree = 0;
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      if ((a[i] === a[j]) === (b[i] === b[j])) agree++;
      total++;
    }
  }
  return agree / total;
}

describe('kmeans', () => {
  const { vectors, labels } = plantedClusters(400, 10, 4, 0.15, 1);

  it('recovers planted clusters with unit-norm centroids', () => {
    const result = kmeans(vectors, 400, 10, 4, { seed: 3 });
    expect(randIndex(result.assignments, labels)).toBe(1);
    for (let c = 0; c < 4; c++) {
      let sq = 0;
      for (let j = 0; j < 10; j++) sq += (result.centroids[c * 10 + j] as number) ** 2;
      expect(sq).toBeCloseTo(1, 5);
    }
    expect(result.inertia).toBeGreaterThan(0);
    expect(result.iterations).toBeGreaterThanOrEqual(1);
  });

  it('is deterministic for a seed', () => {
    const a = kmeans(vectors, 400, 10, 6, { seed: 9, restarts: 2 });
    const b = kmeans(vectors, 400, 10, 6, { seed: 9, restarts: 2 });
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(a.inertia).toBe(b.inertia);
  });

  it('lowers inertia as k grows and handles k >= n', () => {
    const k2 = kmeans(vectors, 400, 10, 2, { seed: 1 }).inertia;
    const k4 = kmeans(vectors, 400, 10, 4, { seed: 1 }).inertia;
    expect(k4).toBeLessThan(k2);
    const tiny = kmeans(Float32Array.of(1, 0, 0, 1), 2, 2, 5, { seed: 1 });
    expect(tiny.centroids).toHaveLength(4);
    expect(tiny.inertia).toBeCloseTo(0, 10);
  });

  it('rejects malformed input', () => {
    expect(() => kmeans(new Float32Array(3), 2, 2, 1, { seed: 1 })).toThrow(RangeError);
  });
});

describe('chooseK', () => {
  it('picks the planted number of clusters by mean silhouette', () => {
    const { vectors } = plantedClusters(300, 8, 5, 0.12, 4);
    const result = chooseK(vectors, 300, 8, [2, 3, 5, 7, 9], { seed: 2 });
    expect(result.k).toBe(5);
    expect(result.scores.map((s) => s.k)).toEqual([2, 3, 5, 7, 9]);
    const best = result.scores.find((s) => s.k === 5)?.silhouette ?? 0;
    expect(best).toBeGreaterThan(0.5);
    for (const s of result.scores) expect(s.silhouette).toBeLessThanOrEqual(best);
  });

  it('rejects candidate lists with no usable k', () => {
    expect(() => chooseK(new Float32Array(6), 3, 2, [1, 3, 10], { seed: 1 })).toThrow(RangeError);
  });
});
