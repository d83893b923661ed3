import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import { createSeededRng } from '../math/seeded-rng.js';
import { createClusterMatch, nearestClusters } from './nearest-clusters.js';

function unitRows(k: number, d: number, seed: number): Float32Array {
  const rng = createSeededRng(seed);
  const m = new Float32Array(k * d);
  for (let c = 0; c < k; c++) {
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const x = rng.normal();
      m[c * d + j] = x;
      sq += x * x;
    }
    for (let j = 0; j < d; j++) m[c * d + j] = (m[c * d + j] as number) / Math.sqrt(sq);
  }
  return m;
}

describe('nearestClusters', () => {
  it('selects the topP most similar centroids, best first, like a full sort', () => {
    const k = 50;
    const d = 8;
    const centroids = unitRows(k, d, 1);
    const vec = unitRows(1, d, 2);
    const match = nearestClusters(vec, centroids, k, 5, 0.1);
    const sims = Array.from({ length: k }, (_, c) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += (vec[j] as number) * (centroids[c * d + j] as number);
      return { c, s };
    }).sort((a, b) => b.s - a.s || a.c - b.c);
    expect(match.count).toBe(5);
    expect(Array.from(match.indices.subarray(0, 5))).toEqual(sims.slice(0, 5).map((x) => x.c));
    for (let i = 0; i < 5; i++) expect(match.similarities[i]).toBeCloseTo((sims[i] as { s: number }).s, 5);
  });

  it('gives softmax weights over the selection that sum to 1', () => {
    const centroids = Float32Array.of(1, 0, 0, 1, -1, 0);
    const match = nearestClusters(Float32Array.of(1, 0), centroids, 3, 2, 0.5);
    const w0 = Math.exp(1 / 0.5);
    const w1 = Math.exp(0);
    expect(match.weights[0]).toBeCloseTo(w0 / (w0 + w1), 6);
    expect((match.weights[0] as number) + (match.weights[1] as number)).toBeCloseTo(1, 6);
  });

  it('breaks ties by the lower index', () => {
    const centroids = Float32Array.of(0, 1, 1, 0, 1, 0, 0, 1, 1, 0);
    const match = nearestClusters(Float32Array.of(1, 0), centroids, 5, 2, 1);
    expect(Array.from(match.indices.subarray(0, 2))).toEqual([1, 2]);
    const all = nearestClusters(Float32Array.of(1, 0), centroids, 5, 5, 1);
    expect(Array.from(all.indices)).toEqual([1, 2, 4, 0, 3]);
  });

  it('clamps topP to [1, k] and reuses the output', () => {
    const centroids = unitRows(4, 3, 5);
    const vec = unitRows(1, 3, 6);
    expect(nearestClusters(vec, centroids, 4, 99, 1).count).toBe(4);
    expect(nearestClusters(vec, centroids, 4, 0, 1).count).toBe(1);
    const out = createClusterMatch(4);
    expect(nearestClusters(vec, centroids, 4, 3, 1, out)).toBe(out);
    expect(out.count).toBe(3);
  });

  it.each([
    ['a dimension mismatch', Float32Array.of(1, 0, 0), 2, 1],
    ['a zero k', Float32Array.of(1, 0), 0, 1],
    ['a bad temperature', Float32Array.of(1, 0, 0, 1), 2, 0],
  ])('throws routing_artifact_invalid on %s', (_name, vec, k, temperature) => {
    const centroids = Float32Array.of(1, 0, 0, 1);
    try {
      nearestClusters(vec, centroids, k, 1, temperature);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).code).toBe('routing_artifact_invalid');
    }
  });
});
