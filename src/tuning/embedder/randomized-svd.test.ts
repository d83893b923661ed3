import { describe, expect, it } from 'vitest';
import { createSeededRng } from '../../core/math/seeded-rng.js';
import { orthonormalizeColumns, jacobiEigen } from './dense-linear-algebra.js';
import { randomizedSvd } from './randomized-svd.js';
import { csrFromRows } from './sparse-matrix.js';

/** Random orthonormal columns (rows x cols, row-major). */
function orthonormal(rows: number, cols: number, seed: number): Float64Array {
  const rng = createSeededRng(seed);
  const m = new Float64Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = rng.normal();
  return orthonormalizeColumns(m, rows, cols);
}

describe('dense linear algebra', () => {
  it('orthonormalises columns and zeroes dependent ones', () => {
    const m = Float64Array.of(1, 2, 2, 0, 4, 0, 0, 1, 0);
    // columns: (1,0,0), (2,4,1), (2,0,0) -- the third is parallel to the first.
    orthonormalizeColumns(m, 3, 3);
    const col = (c: number) => [m[c] as number, m[3 + c] as number, m[6 + c] as number];
    const d01 = col(0).reduce((s, x, i) => s + x * (col(1)[i] as number), 0);
    expect(d01).toBeCloseTo(0, 12);
    expect(Math.hypot(...col(1))).toBeCloseTo(1, 12);
    expect(col(2).every((x) => x === 0)).toBe(true);
  });

  it('finds eigenpairs of a symmetric matrix (Jacobi)', () => {
    const a = Float64Array.of(4, 1, 0, 1, 3, 1, 0, 1, 2);
    const { values, vectors } = jacobiEigen(a, 3);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) av += (a[i * 3 + j] as number) * (vectors[j * 3 + k] as number);
        expect(av).toBeCloseTo((values[k] as number) * (vectors[i * 3 + k] as number), 10);
      }
    }
    expect(values[0]).toBeGreaterThan(values[1] as number);
    expect(values[0]! + values[1]! + values[2]!).toBeCloseTo(9, 10);
  });
});

describe('randomizedSvd', () => {
  it('recovers a planted low-rank structure', () => {
    const n = 300;
    const b = 120;
    const rank = 4;
    const sigmas = [50, 20, 8, 3];
    const u = orthonormal(n, rank, 1);
    const v = orthonormal(b, rank, 2);
    const noise = createSeededRng(3);
    const rows = [];
    for (let r = 0; r < n; r++) {
      const indices: number[] = [];
      const values: number[] = [];
      for (let c = 0; c < b; c++) {
        let x = 0;
        for (let k = 0; k < rank; k++) x += (u[r * rank + k] as number) * (sigmas[k] as number) * (v[c * rank + k] as number);
        x += noise.normal() * 1e-4;
        indices.push(c);
        values.push(x);
      }
      rows.push({ indices, values, length: b });
    }
    const svd = randomizedSvd(csrFromRows(b, rows), rank, { seed: 7, powerIterations: 2 });
    for (let k = 0; k < rank; k++) {
      expect(svd.singularValues[k]).toBeCloseTo(sigmas[k] as number, 2);
      let overlap = 0;
      for (let c = 0; c < b; c++) overlap += (svd.v[c * rank + k] as number) * (v[c * rank + k] as number);
      expect(Math.abs(overlap)).toBeGreaterThan(0.9999);
      // Sign convention: the largest-magnitude component is positive.
      let best = 0;
      for (let c = 1; c < b; c++) if (Math.abs(svd.v[c * rank + k] as number) > Math.abs(svd.v[best * rank + k] as number)) best = c;
      expect(svd.v[best * rank + k]).toBeGreaterThan(0);
    }
  });

  it('returns zero vectors beyond the numerical rank', () => {
    const rows = [
      { indices: [0, 1], values: [1, 1], length: 2 },
      { indices: [0, 1], values: [2, 2], length: 2 },
    ];
    const svd = randomizedSvd(csrFromRows(6, rows), 3, { seed: 1 });
    expect(svd.singularValues[0]).toBeCloseTo(Math.sqrt(10), 10);
    expect(svd.singularValues[1]).toBe(0);
    for (let c = 0; c < 6; c++) expect(svd.v[c * 3 + 2]).toBe(0);
  });
});
