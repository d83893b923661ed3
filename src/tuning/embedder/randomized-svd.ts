import { createSeededRng } from '../../core/math/seeded-rng.js';
import { orthonormalizeColumns, jacobiEigen } from './dense-linear-algebra.js';
import { csrTimesDense, csrTransposeTimesDense, type CsrMatrix } from './sparse-matrix.js';

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  readonly seed: number;
  /** Extra random directions beyond `rank` (Halko et al. suggest 5-10). Default 10. */
  readonly oversample?: number;
  /** Power iterations; each sharpens the spectrum at the cost of two sparse products. Default 3. */
  readonly powerIterations?: number;
}

/** Top right singular vectors and singular values. */
export interface TruncatedSvd {
  /** Singular values, descending (length `rank`). */
  readonly singularValues: Float64Array;
  /** Right singular vectors as columns of a `cols x rank` row-major matrix. */
  readonly v: Float64Array;
  readonly rank: number;
}

/**
 * Seeded randomized truncated SVD (Halko, Martinsson & Tropp 2011) of a sparse matrix, returning
 * the top `rank` right singular vectors: Gaussian test matrix, range finder with power iterations
 * re-orthonormalised by modified Gram-Schmidt at every step, then the small `l x l` eigenproblem of
 * `B B^T` (with `B = Q^T A`) by Jacobi. Each vector's sign is fixed so its largest-magnitude
 * component (lowest index on ties) is positive. Same input and seed give bitwise-identical output.
 * Directions beyond the matrix's numerical rank come back as zero vectors with singular value 0.
 */
export function randomizedSvd(a: CsrMatrix, rank: number, options: RandomizedSvdOptions): TruncatedSvd {
  const n = a.rows;
  const b = a.cols;
  const l = Math.min(rank + (options.oversample ?? 10), b);
  const q = options.powerIterations ?? 3;
  const rng = createSeededRng(options.seed);
  const omega = new Float64Array(b * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();

  const y = new Float64Array(n * l);
  const z = new Float64Array(b * l);
  csrTimesDense(a, omega, l, y);
  orthonormalizeColumns(y, n, l);
  for (let it = 0; it < q; it++) {
    csrTransposeTimesDense(a, y, l, z);
    orthonormalizeColumns(z, b, l);
    csrTimesDense(a, z, l, y);
    orthonormalizeColumns(y, n, l);
  }
  // z = A^T Q = B^T (b x l); B B^T = z^T z is small and symmetric.
  csrTransposeTimesDense(a, y, l, z);
  const gram = new Float64Array(l * l);
  for (let r = 0; r < b; r++) {
    const o = r * l;
    for (let i = 0; i < l; i++) {
      const zi = z[o + i] as number;
      if (zi === 0) continue;
      for (let j = i; j < l; j++) gram[i * l + j] = (gram[i * l + j] as number) + zi * (z[o + j] as number);
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) gram[i * l + j] = gram[j * l + i] as number;
  const eig = jacobiEigen(gram, l);

  const k = Math.min(rank, l);
  const singularValues = new Float64Array(rank);
  const v = new Float64Array(b * rank);
  const top = Math.max(eig.values[0] as number, 0);
  for (let c = 0; c < k; c++) {
    const lambda = eig.values[c] as number;
    // Eigenvalues at rounding level of the largest belong to the null space: leave a zero vector.
    if (!(lambda > 1e-12 * top) || lambda <= 0) continue;
    const sigma = Math.sqrt(lambda);
    singularValues[c] = sigma;
    for (let r = 0; r < b; r++) {
      const o = r * l;
      let s = 0;
      for (let i = 0; i < l; i++) s += (z[o + i] as number) * (eig.vectors[i * l + c] as number);
      v[r * rank + c] = s / sigma;
    }
    let best = 0;
    let bestAbs = -1;
    for (let r = 0; r < b; r++) {
      const x = Math.abs(v[r * rank + c] as number);
      if (x > bestAbs) {
        bestAbs = x;
        best = r;
      }
    }
    if ((v[best * rank + c] as number) < 0) for (let r = 0; r < b; r++) v[r * rank + c] = -(v[r * rank + c] as number);
  }
  return { singularValues, v, rank };
}
