import { describe, expect, it } from 'vitest';
import { createSeededRng } from '../../core/math/seeded-rng.js';
import { trainGbdt } from './train-gbdt.js';
import { formatFloat32, serializeXGBoostModel } from './xgboost-model-json.js';

describe('formatFloat32', () => {
  it("writes the shortest float32 round-trip in XGBoost's exponent style", () => {
    expect(formatFloat32(0.5)).toBe('5E-1');
    expect(formatFloat32(0)).toBe('0E0');
    expect(formatFloat32(1)).toBe('1E0');
    expect(formatFloat32(100)).toBe('1E2');
    expect(formatFloat32(0.1)).toBe('1E-1');
    expect(formatFloat32(Math.fround(0.1))).toBe('1E-1');
    expect(formatFloat32(-123.456)).toBe('-1.23456E2');
    expect(() => formatFloat32(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips random float32 values exactly', () => {
    const rng = createSeededRng(2);
    for (let i = 0; i < 2000; i++) {
      const v = Math.fround(rng.normal() * 10 ** (rng.int(20) - 10));
      const text = formatFloat32(v);
      expect(text).toMatch(/E/);
      expect(Math.fround(Number(text))).toBe(v);
    }
  });
});

describe('serializeXGBoostModel', () => {
  it('writes float arrays as floats and everything else as JSON.stringify would', () => {
    const x = Float32Array.from([0, 1, 0, 1]);
    const model = trainGbdt(
      { x, n: 4, f: 1, y: [1, 2, 1, 2] },
      { objective: 'reg:squarederror', rounds: 1, maxDepth: 1, eta: 1, lambda: 0, gamma: 0, minChildWeight: 0, maxBin: 8, seed: 1, featureNames: ['x'], baseScore: 0 },
    );
    const text = serializeXGBoostModel(model);
    expect(text).toContain('"split_conditions":[1E0,1E0,2E0]');
    expect(text).toContain('"loss_changes":[');
    expect(text).not.toMatch(/"loss_changes":\[0[,\]]/);
    expect(text).toContain('"left_children":[1,-1,-1]');
    expect(text).toContain('"base_score":"0E0"');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(model)));
  });
});
