import { windowHeadChars } from './text-window.js';

/**
 * Default number of chars {@link trigramEntropy} reads (head 768 + tail 256 of longer texts).
 * Smaller than the detectors' window: the exact table costs ~6 ns per char, and past ~1,000 chars
 * the entropy mostly tracks length, which the token count already carries.
 */
export const ENTROPY_MAX_CHARS = 1024;

// Open-addressing table keyed by the three UTF-16 code units (48 bits, exact in a float64). Each
// slot's meta word packs a 16-bit generation stamp over a 16-bit count, so one read tells both
// "is this slot live in this call" and the count; bumping the generation resets the table in O(1).
// `used` lists the occupied slots so the entropy sum visits only distinct trigrams.
const MAX_WINDOW = 65_535;
let capacity = 0;
let mask = 0;
let keys = new Float64Array(0);
let meta = new Uint32Array(0);
let used = new Int32Array(0);
let stamp = 0;
/** xLog2x[c] = c * log2(c), so the entropy sum needs no Math.log per distinct trigram. */
let xLog2x = new Float64Array(0);

function ensureCapacity(maxTrigrams: number): void {
  let size = 1024;
  while (size < maxTrigrams * 1.5) size <<= 1;
  if (size <= capacity) return;
  capacity = size;
  mask = size - 1;
  keys = new Float64Array(size);
  meta = new Uint32Array(size);
  used = new Int32Array(size);
  stamp = 0;
  xLog2x = new Float64Array(maxTrigrams + 1);
  for (let c = 2; c <= maxTrigrams; c++) xLog2x[c] = c * Math.log2(c);
}

function countRange(text: string, start: number, end: number, distinct: number): number {
  if (end - start < 3) return distinct;
  const live = stamp << 16;
  let a = text.charCodeAt(start);
  let b = text.charCodeAt(start + 1);
  for (let i = start + 2; i < end; i++) {
    const c = text.charCodeAt(i);
    const lo = ((b << 16) | c) >>> 0;
    const key = a * 4294967296 + lo;
    const h = Math.imul(lo ^ Math.imul(a, 0x9e3779b1), 0x85ebca6b);
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const m = meta[slot] as number;
      if (m >>> 16 !== stamp) {
        meta[slot] = live | 1;
        keys[slot] = key;
        used[distinct++] = slot;
        break;
      }
      if (keys[slot] === key) {
        meta[slot] = m + 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    a = b;
    b = c;
  }
  return distinct;
}

/**
 * Shannon entropy, in bits, of the distribution of overlapping character trigrams (UTF-16 code
 * units, case kept): `H = -sum p log2 p` with `p = count / total`. 0 for texts under 3 chars.
 * Texts longer than `maxChars` (at most 65,535) are read as head + tail (trigrams do not span the cut).
 * Allocation-free after the first call with a given `maxChars`.
 */
export function trigramEntropy(text: string, maxChars: number = ENTROPY_MAX_CHARS): number {
  const n = text.length;
  if (n < 3) return 0;
  const max = Math.min(MAX_WINDOW, Math.max(3, Math.floor(maxChars)));
  ensureCapacity(max);
  stamp = (stamp + 1) & 0xffff;
  if (stamp === 0) {
    meta.fill(0);
    stamp = 1;
  }
  let distinct: number;
  let total: number;
  if (n <= max) {
    distinct = countRange(text, 0, n, 0);
    total = n - 2;
  } else {
    const head = windowHeadChars(max);
    const tail = max - head;
    distinct = countRange(text, 0, head, 0);
    distinct = countRange(text, n - tail, n, distinct);
    total = Math.max(0, head - 2) + Math.max(0, tail - 2);
  }
  if (total <= 0) return 0;
  let sum = 0;
  for (let k = 0; k < distinct; k++) sum += xLog2x[(meta[used[k] as number] as number) & 0xffff] as number;
  const h = Math.log2(total) - sum / total;
  return h > 0 ? h : 0;
}
