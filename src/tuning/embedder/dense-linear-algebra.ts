/**
 * Orthonormalises the columns of a `rows x cols` row-major matrix in place by modified Gram-Schmidt
 * (run twice for numerical orthogonality). Columns that are numerically dependent on earlier ones
 * become zero. Works on a column-major copy so the inner loops are contiguous.
 */
export function orthonormalizeColumns(m: Float64Array, rows: number, cols: number): Float64Array {
  const colMajor = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) colMajor[c * rows + r] = m[r * cols + c] as number;
  const norms = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const oc = c * rows;
    let sq0 = 0;
    for (let r = 0; r < rows; r++) sq0 += (colMajor[oc + r] as number) ** 2;
    norms[c] = Math.sqrt(sq0);
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        const op = p * rows;
        let proj = 0;
        for (let r = 0; r < rows; r++) proj += (colMajor[op + r] as number) * (colMajor[oc + r] as number);
        if (proj === 0) continue;
        for (let r = 0; r < rows; r++) colMajor[oc + r] = (colMajor[oc + r] as number) - proj * (colMajor[op + r] as number);
      }
    }
    let sq = 0;
    for (let r = 0; r < rows; r++) sq += (colMajor[oc + r] as number) ** 2;
    const norm = Math.sqrt(sq);
    // Relative threshold: what is left after projection is rounding noise of a dependent column.
    if (norm <= 1e-10 * Math.max(norms[c] as number, 1e-300) || norm === 0) {
      colMajor.fill(0, oc, oc + rows);
    } else {
      const inv = 1 / norm;
      for (let r = 0; r < rows; r++) colMajor[oc + r] = (colMajor[oc + r] as number) * inv;
    }
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m[r * cols + c] = colMajor[c * rows + r] as number;
  return m;
}

/** Eigen-decomposition of a symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in descending order. */
  values: Float64Array;
  /** Eigenvectors as columns of an `n x n` row-major matrix, in the order of `values`. */
  vectors: Float64Array;
}

/**
 * Cyclic Jacobi eigenvalue algorithm for a small symmetric `n x n` row-major matrix (not modified).
 * Deterministic; converges quadratically, so a few sweeps suffice for n in the low hundreds.
 */
export function jacobiEigen(input: Float64Array, n: number, maxSweeps = 60): SymmetricEigen {
  const a = Float64Array.from(input.subarray(0, n * n));
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += (a[i * n + i] as number) ** 2;
      for (let j = i + 1; j < n; j++) off += (a[i * n + j] as number) ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (apq === 0) continue;
        const app = a[p * n + p] as number;
        const aqq = a[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i);
  // Stable: equal eigenvalues keep their index order, so the result is deterministic.
  order.sort((x, y) => (a[y * n + y] as number) - (a[x * n + x] as number) || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = order[k] as number;
    values[k] = a[src * n + src] as number;
    for (let i = 0; i < n; i++) vectors[i * n + k] = v[i * n + src] as number;
  }
  return { values, vectors };
}
