import { GatewayError } from '../../errors/gateway-error.js';

/**
 * Parameters of the local "hashed LSA" embedder, fitted offline (`src/tuning/embedder`) and
 * shipped in the routing artifact.
 */
export interface HashedEmbedderParams {
  kind: 'hashed-lsa';
  /** Output dimension d. */
  dim: number;
  /** Hash buckets B (a power of two, at most 2^24). */
  buckets: number;
  /** Seed of the term hash (changes every bucket assignment). */
  seed: number;
  /** Hash adjacent word pairs too. */
  wordBigrams: boolean;
  /** Hash overlapping character trigrams too. */
  charTrigrams: boolean;
  /** Chars read per text: longer texts are read as head (3/4) + tail (1/4). */
  maxChars: number;
  /** Inverse document frequency per bucket (length B). */
  idf: Float32Array;
  /** Projection, B x d row-major by bucket. */
  projection: Float32Array;
}

/** The part of the parameters that defines the sparse term vector (no projection needed). */
export type HashedTermParams = Pick<HashedEmbedderParams, 'buckets' | 'seed' | 'wordBigrams' | 'charTrigrams' | 'maxChars' | 'idf'>;

/** Largest supported bucket count: the sign bit of the term hash must stay independent of the bucket bits. */
export const MAX_HASH_BUCKETS = 1 << 24;

function invalid(message: string): GatewayError {
  return new GatewayError('routing_artifact_invalid', `hashed embedder: ${message}`);
}

/** Throws `routing_artifact_invalid` unless the term-vector parameters are usable. */
export function validateHashedTermParams(params: HashedTermParams): void {
  const b = params.buckets;
  if (!Number.isInteger(b) || b < 2 || b > MAX_HASH_BUCKETS || (b & (b - 1)) !== 0) {
    throw invalid(`buckets must be a power of two in [2, 2^24], got ${b}`);
  }
  if (!Number.isInteger(params.seed)) throw invalid(`seed must be an integer, got ${params.seed}`);
  if (!Number.isInteger(params.maxChars) || params.maxChars < 16) {
    throw invalid(`maxChars must be an integer >= 16, got ${params.maxChars}`);
  }
  if (!(params.idf instanceof Float32Array) || params.idf.length !== b) {
    throw invalid(`idf must be a Float32Array of ${b} values`);
  }
}

/** Throws `routing_artifact_invalid` unless the parameters describe a usable embedder. */
export function validateHashedEmbedderParams(params: HashedEmbedderParams): void {
  if (params.kind !== 'hashed-lsa') throw invalid(`unknown kind ${String(params.kind)}`);
  validateHashedTermParams(params);
  if (!Number.isInteger(params.dim) || params.dim < 1) throw invalid(`dim must be a positive integer, got ${params.dim}`);
  if (!(params.projection instanceof Float32Array) || params.projection.length !== params.buckets * params.dim) {
    throw invalid(`projection must be a Float32Array of ${params.buckets} x ${params.dim} values`);
  }
}
