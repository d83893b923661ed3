/** A sparse matrix in compressed sparse row form, float64 values. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rowPtr[r]..rowPtr[r+1] index the entries of row r (length rows + 1). */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly values: Float64Array;
}

/** Builds a CSR matrix from per-row (column, value) lists. */
export function csrFromRows(cols: number, rows: readonly { indices: ArrayLike<number>; values: ArrayLike<number>; length: number }[]): CsrMatrix {
  let nnz = 0;
  for (const r of rows) nnz += r.length;
  const rowPtr = new Int32Array(rows.length + 1);
  const colIdx = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let at = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as (typeof rows)[number];
    for (let t = 0; t < row.length; t++) {
      colIdx[at] = row.indices[t] as number;
      values[at] = row.values[t] as number;
      at++;
    }
    rowPtr[r + 1] = at;
  }
  return { rows: rows.length, cols, rowPtr, colIdx, values };
}

/** `out (rows x l, row-major) = A * M` where M is `cols x l` row-major. */
export function csrTimesDense(a: CsrMatrix, m: Float64Array, l: number, out: Float64Array): Float64Array {
  out.fill(0, 0, a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    const o = r * l;
    for (let t = a.rowPtr[r] as number, end = a.rowPtr[r + 1] as number; t < end; t++) {
      const v = a.values[t] as number;
      const base = (a.colIdx[t] as number) * l;
      for (let j = 0; j < l; j++) out[o + j] = (out[o + j] as number) + v * (m[base + j] as number);
    }
  }
  return out;
}

/** `out (cols x l, row-major) = A^T * M` where M is `rows x l` row-major. */
export function csrTransposeTimesDense(a: CsrMatrix, m: Float64Array, l: number, out: Float64Array): Float64Array {
  out.fill(0, 0, a.cols * l);
  for (let r = 0; r < a.rows; r++) {
    const src = r * l;
    for (let t = a.rowPtr[r] as number, end = a.rowPtr[r + 1] as number; t < end; t++) {
      const v = a.values[t] as number;
      const base = (a.colIdx[t] as number) * l;
      for (let j = 0; j < l; j++) out[base + j] = (out[base + j] as number) + v * (m[src + j] as number);
    }
  }
  return out;
}
