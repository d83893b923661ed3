/** Cosine similarity of an L2-normalised vector to each of k L2-normalised centroids (k x dim, row-major). */
export function clusterSimilarities(vec: Float32Array, centroids: Float32Array, k: number, dim: number, out: Float32Array): Float32Array {
  for (let c = 0; c < k; c++) {
    let s = 0;
    const base = c * dim;
    for (let i = 0; i < dim; i++) s += (vec[i] as number) * (centroids[base + i] as number);
    out[c] = s;
  }
  return out;
}
