import { describe, expect, it } from 'vitest';
import { createSeededRng } from '../../core/math/seeded-rng.js';
import { binMatrix, buildHistogramCuts } from './histogram-cuts.js';

const f32 = Math.fround;

describe('buildHistogramCuts / binMatrix', () => {
  it('gives each distinct value its own bin when there are few, with XGBoost sentinels', () => {
    const x = Float32Array.from([3, 1, 2, 2, Number.NaN]);
    const cuts = buildHistogramCuts(x, 5, 1, undefined, 256);
    expect(Array.from(cuts.cuts)).toEqual([2, 3, f32(3 + f32(3 + f32(1e-5)))]);
    expect(cuts.minValues[0]).toBe(f32(1 - f32(1 + f32(1e-5))));
    const binned = binMatrix(x, 5, 1, cuts);
    // Bins 0..2 for values, bin 3 is the feature's missing bin.
    expect(Array.from(binned.bins)).toEqual([2, 0, 1, 1, 3]);
    expect(binned.totalBins).toBe(4);
  });

  it('puts quantile cuts on many distinct values and bins every value as `x < cut`', () => {
    const rng = createSeededRng(1);
    const n = 5000;
    const f = 2;
    const x = new Float32Array(n * f);
    for (let r = 0; r < n; r++) {
      x[r * f] = rng.normal();
      x[r * f + 1] = Math.floor(rng.next() * 5); // 5 distinct values
    }
    const maxBin = 32;
    const cuts = buildHistogramCuts(x, n, f, undefined, maxBin);
    const c0 = cuts.cuts.subarray(cuts.cutPtr[0], cuts.cutPtr[1]);
    expect(c0.length).toBeLessThanOrEqual(maxBin);
    expect(c0.length).toBeGreaterThan(maxBin - 3);
    expect(cuts.cutPtr[2]! - cuts.cutPtr[1]!).toBe(5);
    const binned = binMatrix(x, n, f, cuts);
    const counts = new Array<number>(c0.length).fill(0);
    for (let r = 0; r < n; r++) {
      const v = x[r * f] as number;
      const b = binned.bins[r * f] as number;
      expect(v).toBeLessThan(c0[b] as number);
      if (b > 0) expect(v).toBeGreaterThanOrEqual(c0[b - 1] as number);
      counts[b] = (counts[b] as number) + 1;
    }
    // Roughly equal-frequency bins.
    expect(Math.max(...counts)).toBeLessThan((2 * n) / maxBin);
  });

  it('weights move quantile cuts towards heavy rows', () => {
    const n = 1000;
    const x = Float32Array.from({ length: n }, (_, i) => i);
    const light = buildHistogramCuts(x, n, 1, undefined, 4);
    const heavy = buildHistogramCuts(x, n, 1, Float64Array.from({ length: n }, (_, i) => (i >= 900 ? 50 : 1)), 4);
    expect(heavy.cuts[0] as number).toBeGreaterThan(light.cuts[0] as number);
    expect(heavy.cuts[0] as number).toBeGreaterThanOrEqual(900);
  });

  it('handles a feature that is always missing', () => {
    const x = Float32Array.from([Number.NaN, 1, Number.NaN, 2]);
    const cuts = buildHistogramCuts(x, 2, 2, undefined, 16);
    expect(cuts.cutPtr[1]).toBe(0);
    const binned = binMatrix(x, 2, 2, cuts);
    expect(Array.from(binned.bins)).toEqual([0, 1, 0, 2]);
  });
});
