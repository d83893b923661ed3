import type { HashedEmbedderParams } from './hashed-embedder-params.js';
import { createSeededRng } from '../math/seeded-rng.js';

/** Random (unfitted) embedder parameters for tests of the serving path. */
export function randomHashedParams(overrides: Partial<HashedEmbedderParams> = {}): HashedEmbedderParams {
  const buckets = overrides.buckets ?? 1024;
  const dim = overrides.dim ?? 16;
  const rng = createSeededRng(overrides.seed ?? 1);
  const idf = new Float32Array(buckets);
  for (let i = 0; i < buckets; i++) idf[i] = 1 + rng.next() * 3;
  const projection = new Float32Array(buckets * dim);
  for (let i = 0; i < projection.length; i++) projection[i] = rng.normal() / Math.sqrt(dim);
  return { kind: 'hashed-lsa', dim, buckets, seed: 1, wordBigrams: true, charTrigrams: false, maxChars: 2048, idf, projection, ...overrides };
}
