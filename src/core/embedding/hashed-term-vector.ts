import { windowHeadChars } from '../features/text-window.js';
import type { HashedTermParams } from './hashed-embedder-params.js';

/** A sparse vector: `length` (index, value) pairs with distinct indices. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
  length: number;
}

/** Allocates an empty {@link SparseVector} with room for `capacity` entries. */
export function createSparseVector(capacity: number): SparseVector {
  const size = Math.max(1, capacity | 0);
  return { indices: new Int32Array(size), values: new Float32Array(size), length: 0 };
}

// Feature kinds are salted so a word, a word pair and a char trigram never share a hash stream.
const BIGRAM_SALT = 0x2545f491;
const TRIGRAM_SALT = 0x68e31da4;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

// Char classes for the tokeniser.
const K_SEPARATOR = 0;
const K_WORD = 1;
const K_SYMBOL = 2;
/** CJK is written without spaces: each char is its own token (bigrams then act as char pairs). */
const K_CJK = 3;

const ASCII_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  let kind = K_SEPARATOR;
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) kind = K_WORD;
  else if (c > 32 && c < 127) kind = K_SYMBOL;
  ASCII_KIND[c] = kind;
}

/** Case-folded code of ASCII word chars, 0 for every other ASCII char (one lookup on the hot path). */
const ASCII_WORD_FOLD = new Uint16Array(128);
for (let c = 0; c < 128; c++) if (ASCII_KIND[c] === K_WORD) ASCII_WORD_FOLD[c] = c >= 65 && c <= 90 ? c | 0x20 : c;

function nonAsciiKind(c: number): number {
  if (c < 0xc0) return c === 0xb2 || c === 0xb3 || c === 0xb9 || c === 0xb1 ? K_SYMBOL : K_SEPARATOR;
  if (c === 0xd7 || c === 0xf7) return K_SYMBOL;
  if (c < 0x2000) return K_WORD;
  if (c < 0x2070) return K_SEPARATOR;
  if (c >= 0x2190 && c < 0x2300) return K_SYMBOL; // arrows and mathematical operators
  if (c === 0x3000) return K_SEPARATOR;
  if ((c >= 0x3001 && c < 0x3040) || (c >= 0xff00 && c < 0xff10)) return K_SEPARATOR; // CJK punctuation
  if ((c >= 0x2e80 && c < 0xa000) || (c >= 0xac00 && c < 0xd7b0) || (c >= 0xf900 && c < 0xfb00)) return K_CJK;
  return K_WORD;
}

/** Simple case folding: ASCII, Latin-1, Greek and Cyrillic capitals (no allocation, no locale). */
function foldCase(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c | 0x20 : c;
  if (c >= 0xc0 && c <= 0xde && c !== 0xd7) return c + 0x20;
  if (c >= 0x391 && c <= 0x3a9) return c + 0x20;
  if (c >= 0x410 && c <= 0x42f) return c + 0x20;
  return c;
}

// Scratch shared by every call: signed counts per bucket, reset in O(1) by a generation counter.
let scratchBuckets = 0;
let acc = new Float64Array(0);
let generation = new Uint32Array(0);
let touched = new Int32Array(0);
let currentGeneration = 0;
let touchedCount = 0;
let bucketMask = 0;
/** 1 + ln(n) for small n, so the sub-linear TF needs no Math.log in the common case. */
const LOG_TF_TABLE_SIZE = 4096;
const ONE_PLUS_LOG = new Float64Array(LOG_TF_TABLE_SIZE);
for (let n = 1; n < LOG_TF_TABLE_SIZE; n++) ONE_PLUS_LOG[n] = 1 + Math.log(n);

function ensureScratch(buckets: number): void {
  if (buckets !== scratchBuckets) {
    scratchBuckets = buckets;
    acc = new Float64Array(buckets);
    generation = new Uint32Array(buckets);
    touched = new Int32Array(buckets);
    currentGeneration = 0;
  }
  bucketMask = buckets - 1;
  currentGeneration = (currentGeneration + 1) >>> 0;
  if (currentGeneration === 0) {
    generation.fill(0);
    currentGeneration = 1;
  }
  touchedCount = 0;
}

function addFeature(h: number): void {
  const b = h & bucketMask;
  if (generation[b] !== currentGeneration) {
    generation[b] = currentGeneration;
    acc[b] = 0;
    touched[touchedCount++] = b;
  }
  // Bit 31 is the sign: with B <= 2^24 it is independent of the bucket bits.
  acc[b] = (acc[b] as number) + (h < 0 ? -1 : 1);
}

// Tokeniser state shared by the two window ranges of one call.
let prevToken = 0;
let hasPrevToken = false;
let tri1 = 32;
let tri2 = 32;
let triFilled = 0;
let triLastWasSpace = true;

function emitToken(h: number, seed: number, bigrams: boolean): void {
  addFeature(h);
  if (bigrams && hasPrevToken) addFeature(fmix32((Math.imul(prevToken, 0x9e3779b1) ^ h) + (BIGRAM_SALT ^ seed)));
  prevToken = h;
  hasPrevToken = true;
}

function pushTrigramChar(c: number, seed: number): void {
  // Runs of separators collapse to one space so trigrams see word boundaries, not layout.
  if (c === 32) {
    if (triLastWasSpace) return;
    triLastWasSpace = true;
  } else triLastWasSpace = false;
  if (triFilled >= 2) {
    addFeature(fmix32(Math.imul(Math.imul(tri1, 0x9e3779b1) ^ tri2, 0x85ebca6b) ^ c ^ (TRIGRAM_SALT ^ seed)));
  } else triFilled++;
  tri1 = tri2;
  tri2 = c;
}

function scanRange(text: string, start: number, end: number, seed: number, bigrams: boolean, trigrams: boolean): void {
  const wordStart = (FNV_OFFSET ^ seed) | 0;
  let h = wordStart;
  let len = 0;
  for (let i = start; i < end; i++) {
    const raw = text.charCodeAt(i);
    let kind: number;
    if (raw < 128) {
      const folded = ASCII_WORD_FOLD[raw] as number;
      if (folded !== 0) {
        h = Math.imul(h ^ folded, FNV_PRIME);
        len++;
        if (trigrams) pushTrigramChar(folded, seed);
        continue;
      }
      kind = ASCII_KIND[raw] as number;
    } else {
      kind = nonAsciiKind(raw);
      if (kind === K_WORD) {
        const c = foldCase(raw);
        h = Math.imul(h ^ c, FNV_PRIME);
        len++;
        if (trigrams) pushTrigramChar(c, seed);
        continue;
      }
    }
    if (len > 0) {
      emitToken(fmix32(h ^ len), seed, bigrams);
      h = wordStart;
      len = 0;
    }
    if (kind === K_SEPARATOR) {
      if (trigrams) pushTrigramChar(32, seed);
    } else {
      // Symbols and CJK chars are one-char tokens, hashed like a one-char word.
      emitToken(fmix32(Math.imul(wordStart ^ raw, FNV_PRIME) ^ 1), seed, bigrams);
      if (trigrams) pushTrigramChar(raw, seed);
    }
  }
  if (len > 0) emitToken(fmix32(h ^ len), seed, bigrams);
}

/**
 * The sparse TF-IDF vector of `text`: the one function both fitting and serving use.
 *
 * The text (head 3/4 + tail 1/4 when longer than `maxChars`) is case-folded and split into word
 * tokens (runs of letters, digits and `_`), one-char symbol tokens (`{ } ( ) = + $ \ #` and all
 * other ASCII punctuation, maths operators) and one-char CJK tokens. Each token, each adjacent
 * token pair (`wordBigrams`) and each char trigram (`charTrigrams`) is hashed (FNV-1a over char
 * codes then a murmur3 finaliser, seeded) to a bucket and a sign. A bucket's value is
 * `sign(c) * (1 + ln|c|) * idf[bucket]` where `c` is the signed count; buckets whose signed count
 * cancels to 0 are dropped. The result is L2-normalised.
 *
 * Entries are deduplicated and listed in order of first occurrence in the text (not sorted): the
 * order is deterministic, which keeps every float sum downstream bit-reproducible.
 * Writes into `out` when given (growing its arrays if they are too small), else allocates.
 * Parameters are not validated here (the embedder validates them once).
 */
export function hashedTermVector(text: string, params: HashedTermParams, out?: SparseVector): SparseVector {
  const seed = params.seed | 0;
  ensureScratch(params.buckets);
  prevToken = 0;
  hasPrevToken = false;
  tri1 = 32;
  tri2 = 32;
  triFilled = 0;
  triLastWasSpace = true;
  const n = text.length;
  const max = params.maxChars;
  if (n <= max) {
    scanRange(text, 0, n, seed, params.wordBigrams, params.charTrigrams);
  } else {
    const head = windowHeadChars(max);
    scanRange(text, 0, head, seed, params.wordBigrams, params.charTrigrams);
    // The cut is a hard boundary: no bigram or trigram spans the elided middle.
    hasPrevToken = false;
    triFilled = 0;
    triLastWasSpace = true;
    scanRange(text, n - (max - head), n, seed, params.wordBigrams, params.charTrigrams);
  }

  let vec = out;
  if (vec === undefined) vec = createSparseVector(touchedCount);
  else if (vec.indices.length < touchedCount) {
    vec.indices = new Int32Array(touchedCount);
    vec.values = new Float32Array(touchedCount);
  }
  const idf = params.idf;
  const indices = vec.indices;
  const values = vec.values;
  let length = 0;
  let sq = 0;
  for (let t = 0; t < touchedCount; t++) {
    const b = touched[t] as number;
    const c = acc[b] as number;
    if (c === 0) continue;
    const mag = c > 0 ? c : -c;
    const tf = mag < LOG_TF_TABLE_SIZE ? (ONE_PLUS_LOG[mag] as number) : 1 + Math.log(mag);
    const w = (c > 0 ? tf : -tf) * (idf[b] as number);
    if (w === 0) continue;
    indices[length] = b;
    acc[b] = w;
    sq += w * w;
    length++;
  }
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  for (let t = 0; t < length; t++) values[t] = (acc[indices[t] as number] as number) * inv;
  vec.length = length;
  return vec;
}
