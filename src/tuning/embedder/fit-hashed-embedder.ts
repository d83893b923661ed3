import {
  MAX_HASH_BUCKETS,
  validateHashedTermParams,
  type HashedEmbedderParams,
} from '../../core/embedding/hashed-embedder-params.js';
import { createSparseVector, hashedTermVector, type SparseVector } from '../../core/embedding/hashed-term-vector.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { randomizedSvd } from './randomized-svd.js';
import { csrFromRows } from './sparse-matrix.js';

/** Options of {@link fitHashedEmbedder}. */
export interface FitHashedEmbedderOptions {
  readonly dim: number;
  readonly buckets: number;
  readonly seed: number;
  /** Default true. */
  readonly wordBigrams?: boolean;
  /** Default false (trigrams triple the features per text for a small gain on short prompts). */
  readonly charTrigrams?: boolean;
  /** Default 2048: the head and tail of a prompt carry its topic, and embedding cost grows with it. */
  readonly maxChars?: number;
  /** Default 3. */
  readonly powerIterations?: number;
}

/**
 * Fits the hashed-LSA embedder on a corpus of prompts.
 *
 * 1. Document frequency per bucket from the hashed term vectors (with unit IDF), then
 *    `idf = ln((1 + N) / (1 + df)) + 1` (buckets no text touches get the maximum IDF).
 * 2. Rows = {@link hashedTermVector} with that IDF (the same function serving uses), already
 *    L2-normalised, stacked into a sparse N x B matrix.
 * 3. Projection = the top `dim` right singular vectors of that matrix by seeded randomized SVD.
 *
 * Deterministic: the same texts and options give bitwise-identical parameters.
 * Throws `gateway_config_invalid` for an empty corpus or unusable options.
 */
export function fitHashedEmbedder(texts: readonly string[], options: FitHashedEmbedderOptions): HashedEmbedderParams {
  if (texts.length === 0) throw new GatewayError('gateway_config_invalid', 'fitHashedEmbedder needs at least one text');
  const base = {
    kind: 'hashed-lsa' as const,
    dim: options.dim,
    buckets: options.buckets,
    seed: options.seed,
    wordBigrams: options.wordBigrams ?? true,
    charTrigrams: options.charTrigrams ?? false,
    maxChars: options.maxChars ?? 2048,
  };
  const b = base.buckets;
  const unitIdf = new Float32Array(Number.isInteger(b) && b > 0 && b <= MAX_HASH_BUCKETS ? b : 0).fill(1);
  try {
    validateHashedTermParams({ ...base, idf: unitIdf });
    if (!Number.isInteger(base.dim) || base.dim < 1 || base.dim > b) {
      throw new RangeError(`dim must be an integer in [1, buckets], got ${base.dim}`);
    }
  } catch (err) {
    throw new GatewayError('gateway_config_invalid', `fitHashedEmbedder: ${(err as Error).message}`, { cause: err });
  }

  const df = new Int32Array(b);
  const scratch = createSparseVector(1024);
  const unitParams = { ...base, idf: unitIdf };
  for (const text of texts) {
    const vec = hashedTermVector(text, unitParams, scratch);
    for (let t = 0; t < vec.length; t++) df[vec.indices[t] as number]!++;
  }
  const n = texts.length;
  const idf = new Float32Array(b);
  for (let i = 0; i < b; i++) idf[i] = Math.log((1 + n) / (1 + (df[i] as number))) + 1;

  const termParams = { ...base, idf };
  const rows: SparseVector[] = texts.map((text) => hashedTermVector(text, termParams));
  const matrix = csrFromRows(b, rows);
  const svd = randomizedSvd(matrix, base.dim, { seed: base.seed, powerIterations: options.powerIterations ?? 3 });
  const projection = new Float32Array(svd.v.length);
  for (let i = 0; i < projection.length; i++) projection[i] = svd.v[i] as number;
  return { ...base, idf, projection };
}
