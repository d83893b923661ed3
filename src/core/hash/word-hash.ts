/**
 * A running non-cryptographic hash for cache keys: two 32-bit lanes over the UTF-8 bytes of
 * strings, read four bytes at a time. `TextEncoder.encodeInto` writes the string into a scratch
 * buffer (vectorised for ASCII), and each 32-bit word goes through MurmurHash3's per-word mix into
 * two lanes with different rotations and multipliers. Reading the characters one `charCodeAt` at
 * a time was ~2 ns each on this machine, which made the key nearly all of a decision-cache hit on a
 * 20,000-token prompt (docs/benchmarks.md, session 18).
 *
 * Words are read in the platform's byte order: keys are stable within a platform, and a key built
 * on another differs (a cache miss, never a wrong hit). A lone surrogate is encoded as U+FFFD, so
 * texts that differ only in which lone surrogate they hold share a key; parsed requests have none.
 */
export interface WordHash {
  a: number;
  b: number;
  /** Bytes and codes mixed so far. */
  n: number;
}

const SCRATCH = new Uint8Array(1 << 16);
const WORDS = new Int32Array(SCRATCH.buffer);
const encoder = new TextEncoder();

export function newWordHash(): WordHash {
  return { a: 0x811c9dc5 | 0, b: 0x1b873593 | 0, n: 0 };
}

/** Mixes one 32-bit word: MurmurHash3's body, into both lanes. */
function mixWord(h: WordHash, word: number): void {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let a = h.a ^ k;
  a = (a << 13) | (a >>> 19);
  h.a = (Math.imul(a, 5) + 0xe6546b64) | 0;
  let b = h.b ^ k;
  b = (b << 17) | (b >>> 15);
  h.b = (Math.imul(b, 9) + 0x7fb5d329) | 0;
}

/** Mixes a small integer (a tag between fields). */
export function mixCode(h: WordHash, code: number): void {
  mixWord(h, code);
  h.n++;
}

/**
 * Mixes a whole string, then its UTF-8 length: a string's words are followed by its length, so
 * ["ab", "c"] and ["a", "bc"] differ, and so do "a" and "a\0" (whose last words are equal).
 */
export function mixText(h: WordHash, text: string): void {
  let read = 0;
  let bytes = 0;
  let a = h.a;
  let b = h.b;
  while (read < text.length) {
    // An empty 64 KiB buffer always takes at least one character, so every round advances.
    const r = encoder.encodeInto(read === 0 ? text : text.substring(read), SCRATCH);
    read += r.read;
    bytes += r.written;
    const words = r.written >>> 2;
    // `mixWord` written out on locals: through the function, reading and writing `h` per word, the
    // loop took 53 against 38 us on 81,200 characters.
    for (let i = 0; i < words; i++) {
      let k = Math.imul(WORDS[i] as number, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      a ^= k;
      a = (a << 13) | (a >>> 19);
      a = (Math.imul(a, 5) + 0xe6546b64) | 0;
      b ^= k;
      b = (b << 17) | (b >>> 15);
      b = (Math.imul(b, 9) + 0x7fb5d329) | 0;
    }
    let tail = 0;
    for (let i = words << 2, shift = 0; i < r.written; i++, shift += 8) tail |= (SCRATCH[i] as number) << shift;
    h.a = a;
    h.b = b;
    if ((r.written & 3) !== 0) mixWord(h, tail);
    a = h.a;
    b = h.b;
  }
  h.a = a;
  h.b = b;
  mixWord(h, bytes);
  h.n += bytes + 1;
}

/** The key: both lanes and the count, base 36. */
export function digest(h: WordHash): string {
  return `${(h.a >>> 0).toString(36)}.${(h.b >>> 0).toString(36)}.${h.n}`;
}
