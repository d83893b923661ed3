import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digest, mixCode, mixText, newWordHash } from './word-hash.js';

const hashOf = (...texts: string[]): string => {
  const h = newWordHash();
  for (const t of texts) mixText(h, t);
  return digest(h);
};

/** The algorithm written out plainly over the whole UTF-8 encoding, for text that fits one 64 KiB chunk. */
function reference(texts: readonly string[]): string {
  let a = 0x811c9dc5 | 0;
  let b = 0x1b873593 | 0;
  let n = 0;
  const word = (w: number): void => {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    a ^= k;
    a = (a << 13) | (a >>> 19);
    a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    b ^= k;
    b = (b << 17) | (b >>> 15);
    b = (Math.imul(b, 9) + 0x7fb5d329) | 0;
  };
  for (const text of texts) {
    const bytes = new TextEncoder().encode(text);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const words = bytes.length >>> 2;
    for (let i = 0; i < words; i++) word(view.getInt32(i * 4, true));
    if ((bytes.length & 3) !== 0) {
      let tail = 0;
      for (let i = words * 4, shift = 0; i < bytes.length; i++, shift += 8) tail |= (bytes[i] as number) << shift;
      word(tail);
    }
    word(bytes.length);
    n += bytes.length + 1;
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}.${n}`;
}

describe('WordHash', () => {
  it('is MurmurHash3-mixed words of the UTF-8 bytes, each string closed by its length', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 5 }), (texts) => {
        expect(hashOf(...texts)).toBe(reference(texts));
      }),
      { numRuns: 2_000 },
    );
  });

  it('tells apart strings that differ in any one byte of a word, in both lanes', () => {
    // FNV-style multiplies only carry bits upwards: a word's top byte never reached the low bits of
    // either lane. Here a change at every offset changes the low 16 bits of both lanes.
    const lanes = (text: string): number[] => hashOf(text).split('.').slice(0, 2).map((x) => parseInt(x, 36) & 0xffff);
    const base = 'abcdefgh'.repeat(8);
    const [a0, b0] = lanes(base);
    for (let i = 0; i < base.length; i++) {
      const [a1, b1] = lanes(`${base.slice(0, i)}Z${base.slice(i + 1)}`);
      expect(a1).not.toBe(a0);
      expect(b1).not.toBe(b0);
    }
  });

  it('keeps the boundaries between strings and the zero bytes of a last word', () => {
    expect(hashOf('ab', 'c')).not.toBe(hashOf('a', 'bc'));
    expect(hashOf('a')).not.toBe(hashOf('a\u0000'));
    expect(hashOf('', 'x')).not.toBe(hashOf('x', ''));
    const coded = newWordHash();
    mixCode(coded, 1);
    mixText(coded, 'x');
    expect(digest(coded)).not.toBe(hashOf('x'));
  });

  it('reads texts longer than its 64 KiB buffer whole: a change anywhere, multi-byte text split across chunks', () => {
    for (const unit of ['a', 'é', '€', '😀']) {
      const long = unit.repeat(70_000);
      const key = hashOf(long);
      expect(hashOf(long)).toBe(key);
      for (const at of [0, 30_000, 65_530, 69_990]) {
        const cut = at * unit.length;
        expect(hashOf(`${long.slice(0, cut)}b${long.slice(cut + unit.length)}`)).not.toBe(key);
      }
      expect(hashOf(long.slice(unit.length))).not.toBe(key);
    }
  });

  it('has no collisions among 50,000 near-identical prompts', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) seen.add(hashOf(`Summarise ticket #${i} for the on-call engineer.`));
    expect(seen.size).toBe(50_000);
  });
});
