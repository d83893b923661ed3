/**
 * A cache key for a text: two 32-bit FNV-style lanes over every character plus the length. Far
 * smaller than the text itself (a cache of 10,000 long prompts must not hold 10,000 prompts), with
 * accidental collisions around 2^-64.
 */
export function textKey(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x1b873593;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}.${text.length}`;
}
