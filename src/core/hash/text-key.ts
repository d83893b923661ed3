import { windowHeadChars } from '../features/text-window.js';
import { digest, mixText, newWordHash } from './word-hash.js';

/**
 * A cache key for a text: {@link WordHash} over the whole text. Far smaller than the text itself (a
 * cache of 10,000 long prompts must not hold 10,000 prompts), with accidental collisions around
 * 2^-64.
 */
export function textKey(text: string): string {
  const h = newWordHash();
  mixText(h, text);
  return digest(h);
}

/**
 * A key over only what a windowed reader sees: the whole text up to `maxChars`, else its head
 * (3/4) and tail (1/4), the same cut the local embedder makes. Texts that differ only in the elided
 * middle get the same key, which is exactly right for a cache of vectors computed from the window.
 */
export function windowTextKey(text: string, maxChars: number): string {
  const n = text.length;
  if (n <= maxChars) return textKey(text);
  const head = windowHeadChars(maxChars);
  const h = newWordHash();
  mixText(h, text.substring(0, head));
  mixText(h, text.substring(n - (maxChars - head)));
  return digest(h);
}
