import { windowHeadChars } from '../features/text-window.js';

/**
 * A cache key for a text: two 32-bit FNV-style lanes over every character plus the length. Far
 * smaller than the text itself (a cache of 10,000 long prompts must not hold 10,000 prompts), with
 * accidental collisions around 2^-64.
 */
export function textKey(text: string): string {
  return rangeKey(text, 0, text.length, 0, 0);
}

/**
 * A key over only what a windowed reader sees: the whole text up to `maxChars`, else its head
 * (3/4) and tail (1/4), the same cut the local embedder makes. Texts that differ only in the elided
 * middle get the same key, which is exactly right for a cache of vectors computed from the window.
 */
export function windowTextKey(text: string, maxChars: number): string {
  const n = text.length;
  if (n <= maxChars) return rangeKey(text, 0, n, 0, 0);
  const head = windowHeadChars(maxChars);
  return rangeKey(text, 0, head, n - (maxChars - head), n);
}

function rangeKey(text: string, s1: number, e1: number, s2: number, e2: number): string {
  let a = 0x811c9dc5;
  let b = 0x1b873593;
  for (let i = s1; i < e1; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  for (let i = s2; i < e2; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}.${e1 - s1 + e2 - s2}`;
}
