import type { HashedEmbedderParams } from '../core/embedding/hashed-embedder-params.js';
import type { ArtifactJson } from './artifact-schema.js';
import { encodeFloat32 } from './float32-codec.js';

/** The artifact's `embedder` section for fitted parameters (the inverse of what parseArtifact decodes). */
export function embedderToJson(params: HashedEmbedderParams): ArtifactJson['embedder'] {
  return {
    kind: 'hashed-lsa',
    dim: params.dim,
    buckets: params.buckets,
    seed: params.seed,
    word_bigrams: params.wordBigrams,
    char_trigrams: params.charTrigrams,
    max_chars: params.maxChars,
    idf: encodeFloat32(params.idf),
    projection: encodeFloat32(params.projection),
  };
}
