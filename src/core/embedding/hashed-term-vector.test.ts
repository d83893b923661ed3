import { describe, expect, it } from 'vitest';
import { windowHeadChars } from '../features/text-window.js';
import { createSparseVector, hashedTermVector } from './hashed-term-vector.js';
import { randomHashedParams } from './test-params.js';

function asMap(text: string, params = randomHashedParams()): Map<number, number> {
  const v = hashedTermVector(text, params);
  const m = new Map<number, number>();
  for (let i = 0; i < v.length; i++) m.set(v.indices[i] as number, v.values[i] as number);
  return m;
}

describe('hashedTermVector', () => {
  it('is empty for text without tokens', () => {
    expect(hashedTermVector('', randomHashedParams()).length).toBe(0);
    expect(hashedTermVector('   \n\t ', randomHashedParams()).length).toBe(0);
  });

  it('returns distinct buckets and a unit-norm vector', () => {
    const v = hashedTermVector('the cat sat on the mat; the cat (again) = happy $x$ \\frac', randomHashedParams());
    const seen = new Set<number>();
    let sq = 0;
    for (let i = 0; i < v.length; i++) {
      expect(seen.has(v.indices[i] as number)).toBe(false);
      seen.add(v.indices[i] as number);
      sq += (v.values[i] as number) ** 2;
    }
    expect(v.length).toBeGreaterThan(5);
    expect(sq).toBeCloseTo(1, 5);
  });

  it('counts one feature per unigram, with bigrams when enabled', () => {
    const uni = randomHashedParams({ wordBigrams: false, buckets: 1 << 20, idf: new Float32Array(1 << 20).fill(1) });
    const bi = { ...uni, wordBigrams: true };
    expect(hashedTermVector('alpha beta gamma', uni).length).toBe(3);
    expect(hashedTermVector('alpha beta gamma', bi).length).toBe(5);
    // Symbols are tokens of their own: x, =, (, y, ) .
    expect(hashedTermVector('x=(y)', uni).length).toBe(5);
    // Each CJK char is a token.
    expect(hashedTermVector('漢字テスト', uni).length).toBe(5);
    // char trigrams add features on top.
    expect(hashedTermVector('alpha', { ...uni, charTrigrams: true }).length).toBe(1 + 3);
  });

  it('applies sub-linear TF and IDF', () => {
    const params = randomHashedParams({ wordBigrams: false, buckets: 1 << 20, idf: new Float32Array(1 << 20).fill(1) });
    const v = hashedTermVector('spam spam spam spam eggs', params);
    expect(v.length).toBe(2);
    const mags = Array.from(v.values.subarray(0, 2), Math.abs);
    // spam: 1 + ln 4, eggs: 1, then normalised.
    expect((mags[0] as number) / (mags[1] as number)).toBeCloseTo(1 + Math.log(4), 5);
  });

  it('is case-insensitive and whitespace-insensitive', () => {
    expect(asMap('Hello   World\n')).toEqual(asMap('hello world'));
  });

  it('depends on the seed', () => {
    const a = asMap('the quick brown fox', randomHashedParams({ seed: 1 }));
    const b = asMap('the quick brown fox', randomHashedParams({ seed: 2 }));
    expect(a).not.toEqual(b);
  });

  it('reads head + tail of long texts', () => {
    const params = randomHashedParams({ maxChars: 64 });
    const head = windowHeadChars(64);
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon';
    const expected = new Map([...asMap(text.slice(0, head), params)]);
    const tail = asMap(text.slice(text.length - (64 - head)), params);
    const got = asMap(text, params);
    // Every bucket of the window parts appears; nothing from the elided middle.
    for (const k of expected.keys()) expect(got.has(k)).toBe(true);
    for (const k of tail.keys()) expect(got.has(k)).toBe(true);
    const middleOnly = asMap('omicron', params);
    for (const k of middleOnly.keys()) if (!expected.has(k) && !tail.has(k)) expect(got.has(k)).toBe(false);
  });

  it('reuses and grows the output vector', () => {
    const out = createSparseVector(1);
    const v = hashedTermVector('one two three four five', randomHashedParams(), out);
    expect(v).toBe(out);
    expect(out.length).toBeGreaterThan(1);
    const again = hashedTermVector('one', randomHashedParams(), out);
    expect(again.length).toBe(1);
  });
});
