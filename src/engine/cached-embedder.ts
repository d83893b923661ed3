import { Doorkeeper } from '../core/cache/doorkeeper.js';
import { LruCache } from '../core/cache/lru-cache.js';
import { textKey } from '../core/hash/text-key.js';
import type { AsyncEmbedder, Embedder } from '../types/embedder.js';

/** Hit/miss counters of an embedding cache. */
export interface EmbeddingCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
  readonly evictions: number;
}

/**
 * Puts a bounded LRU in front of the local embedder. Cached vectors are shared between callers,
 * who must not write into them. The embedder's id is part of the key space: a new artifact gets a
 * new cache (create a new wrapper), so a vector never outlives the parameters that made it.
 *
 * With `admission: 'repeat'` a text's vector is cached when the text comes back (see `Doorkeeper`):
 * a vector cached for every one-off prompt lived until evicted, 10,000 prompts later, so each was
 * promoted to the old generation and collected there (docs/benchmarks.md, session 10).
 */
export function createCachedEmbedder(
  embedder: Embedder,
  maxEntries: number,
  keyOf: (text: string) => string = textKey,
  admission: 'repeat' | 'all' = 'all',
): Embedder & { stats(): EmbeddingCacheStats } {
  const cache = new LruCache<string, Float32Array>({ maxEntries: Math.max(1, maxEntries) });
  const doorkeeper = admission === 'repeat' ? new Doorkeeper(cache.maxEntries) : undefined;
  return {
    id: embedder.id,
    dim: embedder.dim,
    embed(text: string): Float32Array {
      const key = keyOf(text);
      const hit = cache.get(key);
      if (hit) return hit;
      const v = embedder.embed(text);
      if (doorkeeper === undefined || doorkeeper.seen(key)) cache.set(key, v);
      return v;
    },
    stats: () => ({ hits: cache.hits, misses: cache.misses, size: cache.size, evictions: cache.evictions }),
  };
}

/** The same cache in front of an embedder that does I/O; failures are not cached. */
export function createCachedAsyncEmbedder(embedder: AsyncEmbedder, maxEntries: number): AsyncEmbedder & { stats(): EmbeddingCacheStats } {
  const cache = new LruCache<string, Float32Array>({ maxEntries: Math.max(1, maxEntries) });
  return {
    id: embedder.id,
    dim: embedder.dim,
    async embed(text: string, signal?: AbortSignal): Promise<Float32Array> {
      const key = textKey(text);
      const hit = cache.get(key);
      if (hit) return hit;
      const v = await embedder.embed(text, signal);
      cache.set(key, v);
      return v;
    },
    stats: () => ({ hits: cache.hits, misses: cache.misses, size: cache.size, evictions: cache.evictions }),
  };
}
