import { createSeededRng } from '../../src/core/math/seeded-rng.js';

/** A deterministic synthetic table with three targets sharing the same features. */
export interface SyntheticDataset {
  readonly n: number;
  readonly f: number;
  /** Row-major n * f, NaN = missing. */
  readonly x: Float32Array;
  /** Class in {0, 1, 2}. */
  readonly yClass: Float64Array;
  readonly yBinary: Float64Array;
  readonly yReg: Float64Array;
  readonly featureNames: readonly string[];
}

/**
 * Non-linear 3-class data with noise, mixed feature kinds (continuous, heavy-tailed, integer
 * counts, binary flags, pure noise) and missing values, some of them informative.
 */
export function makeSyntheticDataset(n: number, f: number, seed: number): SyntheticDataset {
  if (f < 10) throw new RangeError('need at least 10 features');
  const rng = createSeededRng(seed);
  const x = new Float32Array(n * f);
  const yClass = new Float64Array(n);
  const yBinary = new Float64Array(n);
  const yReg = new Float64Array(n);
  const featureNames = Array.from({ length: f }, (_, j) => `feat_${String(j).padStart(2, '0')}`);
  const gumbel = (): number => -Math.log(-Math.log(Math.max(1e-12, rng.next())));
  for (let r = 0; r < n; r++) {
    const row = new Float64Array(f);
    for (let j = 0; j < f; j++) {
      switch (j % 5) {
        case 0:
          row[j] = rng.normal();
          break;
        case 1:
          row[j] = Math.exp(rng.normal()); // heavy-tailed, like token counts
          break;
        case 2:
          row[j] = Math.floor(rng.next() * 12); // small integer counts
          break;
        case 3:
          row[j] = rng.next() < 0.3 ? 1 : 0; // flags
          break;
        default:
          row[j] = rng.next() * 2 - 1;
      }
    }
    const at = (j: number): number => row[j] as number;
    const s0 = 1.2 * at(0) + Math.sin(3 * at(4)) + 0.8 * at(3);
    const s1 = 0.9 * Math.log(at(1) + 0.1) + 0.25 * at(2) - 1.2 * at(3) * at(0);
    const s2 = 1.5 * Math.abs(at(5)) - 0.6 * Math.cos(2 * at(6)) + (at(8) === 1 ? 0.7 : -0.2);
    const scores = [s0 + 0.9 * gumbel(), s1 + 0.9 * gumbel(), s2 + 0.9 * gumbel()];
    yClass[r] = scores.indexOf(Math.max(...scores));
    yBinary[r] = s0 - s1 + 0.8 * rng.normal() > 0 ? 1 : 0;
    yReg[r] = s0 + 0.5 * s1 * s2 + 0.3 * rng.normal();
    // Missingness: random on a few features, and informative on feature 9 (absent when s2 is high).
    for (let j = 0; j < f; j++) {
      let value = row[j] as number;
      if (j < 7 && rng.next() < 0.08) value = Number.NaN;
      if (j === 9 && s2 > 1.2 && rng.next() < 0.7) value = Number.NaN;
      x[r * f + j] = value;
    }
  }
  return { n, f, x, yClass, yBinary, yReg, featureNames };
}

/** Rows `from .. to - 1` of a dataset as a new matrix. */
export function sliceRows(x: Float32Array, f: number, from: number, to: number): Float32Array {
  return x.slice(from * f, to * f);
}
