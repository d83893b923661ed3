import { describe, expect, it } from 'vitest';
import { createSeededRng } from '../math/seeded-rng.js';
import { windowHeadChars } from './text-window.js';
import { ENTROPY_MAX_CHARS, trigramEntropy } from './trigram-entropy.js';

function naiveEntropy(parts: string[]): number {
  const counts = new Map<string, number>();
  let total = 0;
  for (const text of parts) {
    for (let i = 0; i + 3 <= text.length; i++) {
      const t = text.slice(i, i + 3);
      counts.set(t, (counts.get(t) ?? 0) + 1);
      total++;
    }
  }
  let h = 0;
  for (const c of counts.values()) h -= (c / total) * Math.log2(c / total);
  return total === 0 ? 0 : h;
}

describe('trigramEntropy', () => {
  it('is 0 below three chars and for a single distinct trigram', () => {
    expect(trigramEntropy('')).toBe(0);
    expect(trigramEntropy('ab')).toBe(0);
    expect(trigramEntropy('abc')).toBe(0);
    expect(trigramEntropy('aaaaaaa')).toBe(0);
  });

  it('matches hand-computed values', () => {
    expect(trigramEntropy('abcd')).toBeCloseTo(1, 12); // abc, bcd
    expect(trigramEntropy('abab')).toBeCloseTo(1, 12); // aba, bab
    expect(trigramEntropy('abcabc')).toBeCloseTo(1.5, 12); // abc x2, bca, cab over 4
    expect(trigramEntropy('abcdefghij')).toBeCloseTo(3, 12); // 8 distinct trigrams
    expect(trigramEntropy('Abc abc')).toBeCloseTo(Math.log2(5), 12); // case is kept
  });

  it('agrees with a naive implementation on random and non-ASCII text', () => {
    const rng = createSeededRng(3);
    const alphabet = 'ab cdé漢字😀{};\n';
    for (let trial = 0; trial < 30; trial++) {
      let text = '';
      const len = rng.int(600);
      for (let i = 0; i < len; i++) text += alphabet[rng.int(alphabet.length)];
      expect(trigramEntropy(text)).toBeCloseTo(naiveEntropy([text]), 10);
    }
  });

  it('reads only head + tail of long texts, with no trigram across the cut', () => {
    const rng = createSeededRng(9);
    let text = '';
    for (let i = 0; i < 20_000; i++) text += String.fromCharCode(97 + rng.int(6));
    const max = 1000;
    const head = windowHeadChars(max);
    const expected = naiveEntropy([text.slice(0, head), text.slice(text.length - (max - head))]);
    expect(trigramEntropy(text, max)).toBeCloseTo(expected, 10);
    expect(trigramEntropy(text)).toBeCloseTo(
      naiveEntropy([text.slice(0, windowHeadChars(ENTROPY_MAX_CHARS)), text.slice(text.length - (ENTROPY_MAX_CHARS - windowHeadChars(ENTROPY_MAX_CHARS)))]),
      10,
    );
  });

  it('does not leak counts between calls', () => {
    const a = trigramEntropy('the quick brown fox jumps over the lazy dog');
    trigramEntropy('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz');
    expect(trigramEntropy('the quick brown fox jumps over the lazy dog')).toBe(a);
  });
});
