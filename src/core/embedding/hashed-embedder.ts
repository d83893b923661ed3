import type { Embedder } from '../../types/embedder.js';
import { type HashedEmbedderParams, validateHashedEmbedderParams } from './hashed-embedder-params.js';
import { createSparseVector, hashedTermVector, type SparseVector } from './hashed-term-vector.js';

let scratchSparse: SparseVector = createSparseVector(1024);
let scratchDense = new Float64Array(0);

/**
 * Projects a sparse term vector through the `B x dim` projection into `out` (length `dim`) and
 * L2-normalises it (a zero vector stays zero). Shared by serving and by training code that must
 * reproduce served vectors bit for bit.
 */
export function projectSparse(sparse: SparseVector, projection: Float32Array, dim: number, out: Float32Array): Float32Array {
  if (scratchDense.length < dim) scratchDense = new Float64Array(dim);
  const accum = scratchDense;
  accum.fill(0, 0, dim);
  const indices = sparse.indices;
  const values = sparse.values;
  const length = sparse.length;
  let t = 0;
  // Four sparse rows per sweep: one load/store of the accumulator per four multiply-adds.
  for (; t + 3 < length; t += 4) {
    const v0 = values[t] as number;
    const v1 = values[t + 1] as number;
    const v2 = values[t + 2] as number;
    const v3 = values[t + 3] as number;
    const r0 = (indices[t] as number) * dim;
    const r1 = (indices[t + 1] as number) * dim;
    const r2 = (indices[t + 2] as number) * dim;
    const r3 = (indices[t + 3] as number) * dim;
    for (let j = 0; j < dim; j++) {
      accum[j] =
        (accum[j] as number) +
        (v0 * (projection[r0 + j] as number) +
          v1 * (projection[r1 + j] as number) +
          v2 * (projection[r2 + j] as number) +
          v3 * (projection[r3 + j] as number));
    }
  }
  for (; t < length; t++) {
    const v = values[t] as number;
    const row = (indices[t] as number) * dim;
    for (let j = 0; j < dim; j++) accum[j] = (accum[j] as number) + v * (projection[row + j] as number);
  }
  let sq = 0;
  for (let j = 0; j < dim; j++) sq += (accum[j] as number) * (accum[j] as number);
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  for (let j = 0; j < dim; j++) out[j] = (accum[j] as number) * inv;
  return out;
}

/**
 * Embeds `text` into `out` (length >= `params.dim`) without allocating (after warm-up).
 * Parameters are trusted: validate them once with {@link createHashedEmbedder} or
 * `validateHashedEmbedderParams`.
 */
export function embedInto(text: string, params: HashedEmbedderParams, out: Float32Array): Float32Array {
  scratchSparse = hashedTermVector(text, params, scratchSparse);
  return projectSparse(scratchSparse, params.projection, params.dim, out);
}

function fnvWords(h: number, words: Uint32Array, samples: number): number {
  const stride = Math.max(1, Math.floor(words.length / samples));
  for (let i = 0; i < words.length; i += stride) h = Math.imul(h ^ (words[i] as number), 0x01000193);
  if (words.length > 0) h = Math.imul(h ^ (words[words.length - 1] as number), 0x01000193);
  return h >>> 0;
}

/**
 * Stable identity of the parameters: the hyper-parameters plus a checksum of the bit patterns of
 * evenly spaced idf and projection samples, so a refitted artifact gets a new id (and new cache keys).
 */
export function hashedEmbedderId(params: HashedEmbedderParams): string {
  const idfWords = new Uint32Array(params.idf.buffer, params.idf.byteOffset, params.idf.length);
  const projWords = new Uint32Array(params.projection.buffer, params.projection.byteOffset, params.projection.length);
  let h = 0x811c9dc5;
  h = fnvWords(h, idfWords, 1024);
  h = fnvWords(h, projWords, 4096);
  const flags = `${params.wordBigrams ? 'w2' : 'w1'}${params.charTrigrams ? 'c3' : ''}`;
  return `hashed-lsa:d${params.dim}:b${params.buckets}:s${params.seed}:${flags}:m${params.maxChars}:${h.toString(16).padStart(8, '0')}`;
}

/**
 * The local embedder: validates `params` (throws `routing_artifact_invalid`), then embeds
 * synchronously. `embed` returns a new `Float32Array` per call because callers may cache it.
 */
export function createHashedEmbedder(params: HashedEmbedderParams): Embedder {
  validateHashedEmbedderParams(params);
  const id = hashedEmbedderId(params);
  return {
    id,
    dim: params.dim,
    embed: (text: string) => embedInto(text, params, new Float32Array(params.dim)),
  };
}
