import { describe, expect, it } from 'vitest';
import { aiq, hullAccuracyAt, nonDecreasingHull, parityCostRatio, type CurvePoint } from './cost-quality-curve.js';

const PTS: CurvePoint[] = [
  [4, 0.6],
  [1, 0.5],
  [2.5, 0.6],
  [3, 0.75],
  [2, 0.7],
];

describe('nonDecreasingHull', () => {
  it('keeps the upper convex hull up to the accuracy maximum', () => {
    // (2.5, 0.6) lies under the segment (2, 0.7)-(3, 0.75); (4, 0.6) is past the maximum.
    expect(nonDecreasingHull(PTS)).toEqual([
      [1, 0.5],
      [2, 0.7],
      [3, 0.75],
    ]);
  });

  it('drops a point that lies on or under a chord', () => {
    expect(nonDecreasingHull([[0, 0], [1, 0.4], [2, 1]])).toEqual([[0, 0], [2, 1]]);
  });

  it('reads accuracy on the hull: 0 below the cheapest point, interpolated, flat after the best', () => {
    const h = nonDecreasingHull(PTS);
    expect(hullAccuracyAt(h, 0.5)).toBe(0);
    expect(hullAccuracyAt(h, 1.5)).toBeCloseTo(0.6, 12);
    expect(hullAccuracyAt(h, 10)).toBe(0.75);
  });
});

describe('aiq', () => {
  it('integrates the hull over the single-model cost range, normalised', () => {
    // [0, 4]: 0 on [0, 1], then trapezoids 0.6 + 0.725, then flat 0.75 on [3, 4] -> 2.075 / 4.
    expect(aiq(PTS, 0, 4)).toBeCloseTo(2.075 / 4, 12);
    expect(aiq(PTS, 1, 3)).toBeCloseTo((0.6 + 0.725) / 2, 12);
  });

  it('gives a single point its accuracy times the share of the range it covers', () => {
    expect(aiq([[2, 0.5]], 0, 4)).toBeCloseTo(0.25, 12);
    expect(aiq([[0, 0.5]], 0, 4)).toBeCloseTo(0.5, 12);
  });
});

describe('parityCostRatio', () => {
  it('interpolates the cost where the hull reaches the target accuracy', () => {
    expect(parityCostRatio(PTS, 0.7, 4)).toBeCloseTo(0.5, 12);
    expect(parityCostRatio(PTS, 0.6, 4)).toBeCloseTo(1.5 / 4, 12);
    expect(parityCostRatio(PTS, 0.4, 4)).toBeCloseTo(0.25, 12);
  });

  it('is null when the hull never reaches the target', () => {
    expect(parityCostRatio(PTS, 0.8, 4)).toBeNull();
  });
});
