/**
 * A cache admission filter (TinyLFU's "doorkeeper"): remembers which keys were seen once, in a
 * bitset with two hashes per key, so a cache can admit a key only when it comes back. Caching the
 * decision of a prompt seen only once (every prompt, in the gateway benchmark) cost a packed entry
 * that lived until evicted, which the young-generation GC copied and promoted for nothing
 * (docs/benchmarks.md, session 4).
 *
 * False positives (a new key taken for a repeat, ~1-2% with the default sizing) only admit a key
 * early. After `capacity` newly remembered keys the filter starts over, so it forgets keys seen
 * once long ago and its false-positive rate stays bounded.
 */
export class Doorkeeper {
  readonly capacity: number;
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private remembered = 0;

  /** @param capacity keys remembered before the filter starts over (the cache's size fits). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Doorkeeper capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    // 16 bits a key, rounded up to a power of two: two bits set per key keep ~12% of the bits set when full.
    let size = 64;
    while (size < capacity * 16) size *= 2;
    this.bits = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  /** True when `key` was seen before (since the last start-over); remembers it either way. */
  seen(key: string): boolean {
    // FNV-1a, then a murmur3 finaliser for the second position (double hashing).
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    let g = h ^ (h >>> 16);
    g = Math.imul(g, 0x85ebca6b);
    g ^= g >>> 13;
    g = Math.imul(g, 0xc2b2ae35);
    g ^= g >>> 16;
    const a = h & this.mask;
    const b = g & this.mask;
    const bits = this.bits;
    const wordA = bits[a >>> 5] ?? 0;
    const wordB = bits[b >>> 5] ?? 0;
    if (((wordA >>> (a & 31)) & 1) === 1 && ((wordB >>> (b & 31)) & 1) === 1) return true;
    if (this.remembered >= this.capacity) this.clear();
    bits[a >>> 5] = (bits[a >>> 5] ?? 0) | (1 << (a & 31));
    bits[b >>> 5] = (bits[b >>> 5] ?? 0) | (1 << (b & 31));
    this.remembered++;
    return false;
  }

  clear(): void {
    this.bits.fill(0);
    this.remembered = 0;
  }
}
