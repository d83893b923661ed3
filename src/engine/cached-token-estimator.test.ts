import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../core/features/estimate-tokens.js';
import { createCachedTokenEstimator } from './cached-token-estimator.js';

describe('createCachedTokenEstimator', () => {
  it('gives the same count as estimateTokens, long texts or short', () => {
    const cached = createCachedTokenEstimator(64);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3_000 }), fc.nat({ max: 3 }), (text, repeat) => {
        const long = text.repeat(repeat + 1);
        expect(cached(long)).toBe(estimateTokens(long));
        // Asked again (now from the cache for long texts), still the same.
        expect(cached(`${long}`)).toBe(estimateTokens(long));
      }),
      { numRuns: 500 },
    );
  });

  it('estimates a long text once while it stays cached, a short one every time, and holds at most maxEntries', () => {
    const seen: string[] = [];
    const cached = createCachedTokenEstimator(2, (text) => {
      seen.push(text);
      return text.length;
    });
    const long = (c: string): string => c.repeat(2_000);
    expect(cached(long('a'))).toBe(2_000);
    // Built again, as a resent turn arrives: an equal text, another string.
    expect(cached('a'.repeat(1_000) + 'a'.repeat(1_000))).toBe(2_000);
    expect(seen).toHaveLength(1);
    cached('short');
    cached('short');
    expect(seen).toHaveLength(3);
    cached(long('b'));
    cached(long('c'));
    // 'a' was the least recently used of three: evicted, so estimated again.
    cached(long('a'));
    expect(seen.filter((t) => t === long('a'))).toHaveLength(2);
    // Texts that differ anywhere are different entries.
    expect(cached(`${long('a').slice(0, 1_000)}X${long('a').slice(1_001)}`)).toBe(2_000);
    expect(seen).toHaveLength(7);
  });
});
