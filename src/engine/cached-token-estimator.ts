import { LruCache } from '../core/cache/lru-cache.js';
import { estimateTokens } from '../core/features/estimate-tokens.js';
import { textKey } from '../core/hash/text-key.js';

/** Texts shorter than this are estimated outright: hashing one costs about as much. */
const MIN_CACHED_CHARS = 1_024;

/**
 * {@link estimateTokens} behind a bounded LRU keyed by each text's hash. A conversation resends its
 * system prompt, tools and history with every turn, and a coding agent's request of ~180 KB had
 * ~175,000 characters estimated at ~3-5 ns each here, where hashing reads one in ~0.6 ns
 * (docs/benchmarks.md, session 18). The count for a text is the same either way.
 */
export function createCachedTokenEstimator(maxEntries: number, estimate: (text: string) => number = estimateTokens): (text: string) => number {
  const cache = new LruCache<string, number>({ maxEntries: Math.max(1, maxEntries) });
  return (text) => {
    if (text.length < MIN_CACHED_CHARS) return estimate(text);
    const key = textKey(text);
    const known = cache.get(key);
    if (known !== undefined) return known;
    const tokens = estimate(text);
    cache.set(key, tokens);
    return tokens;
  };
}
