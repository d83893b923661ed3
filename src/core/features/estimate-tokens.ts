/**
 * Fast o200k_base token-count estimate from a single char-class scan.
 *
 * The o200k pre-tokeniser splits text into letter pieces (an optional capitalised head then
 * lower-case letters, so `camelCase` is two pieces), digit groups of at most three, punctuation
 * runs and whitespace runs; BPE then splits rare pieces further. We count those pieces by kind
 * (letter pieces bucketed by length, since long words split into more sub-words) and take a
 * weighted sum. The weights were fitted by relative-error least squares against `gpt-tokenizer`
 * (o200k_base) on prompts from the routing data set, JS/TS/JSON sources, Markdown docs, LaTeX
 * maths and TypeScript's translated diagnostics (de/fr/es/it/pl/cs/ru/tr/ja/ko/zh); the test
 * `estimate-tokens.test.ts` re-measures the error against the real tokenizer.
 */

/** Index of each count in {@link tokenFeatureCounts}' output. */
export const TOKEN_FEATURE = {
  piece1to2: 0,
  piece3to4: 1,
  piece5to6: 2,
  piece7to8: 3,
  piece9to10: 4,
  piece11to13: 5,
  piece14plus: 6,
  /** Letters beyond the 13th in ASCII pieces of 14+ letters. */
  longPieceExtraChars: 7,
  /** Letter pieces that contain any non-ASCII letter. */
  nonAsciiPieces: 8,
  /** All letters of pieces that contain a non-ASCII letter. */
  nonAsciiPieceLetters: 9,
  /** Letters from U+0530 on (Hebrew, Arabic, Indic, Thai...): BPE splits these much finer. */
  farScriptLetters: 10,
  cjkChars: 11,
  digitGroups: 12,
  /** Digit runs right after a space: o200k keeps that space as its own token. */
  spacedDigitRuns: 13,
  punctChars: 14,
  punctRuns: 15,
  newlineRuns: 16,
  /** Whitespace runs of 2+ chars without a newline (indentation, alignment). */
  longSpaceRuns: 17,
  otherChars: 18,
} as const;

/** Number of counts {@link tokenFeatureCounts} produces. */
export const TOKEN_FEATURE_COUNT = 19;

/** Fitted tokens per unit of each count (see module comment), in {@link TOKEN_FEATURE} order. */
export const TOKEN_COEFFICIENTS: readonly number[] = [
  0.801, 1.038, 0.995, 1.185, 1.555, 2.084, 2.673, 0.251, 0, 0.3, 1.798, 0.711, 1.588, 0.593, 0.036, 0.752, 1.138, 0.3,
  0.42,
];

/** Beyond this many chars the scan samples evenly spaced blocks and extrapolates (bounded work). */
export const ESTIMATE_FULL_SCAN_CHARS = 16_384;
const SAMPLE_BLOCKS = 16;
const SAMPLE_BLOCK_CHARS = 1024;

// ASCII char classes.
const C_LOWER = 1;
const C_UPPER = 2;
const C_DIGIT = 3;
const C_SPACE = 4;
const C_NEWLINE = 5;
const C_PUNCT = 6;
const C_OTHER = 7;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  let cls = C_OTHER;
  if (c >= 97 && c <= 122) cls = C_LOWER;
  else if (c >= 65 && c <= 90) cls = C_UPPER;
  else if (c >= 48 && c <= 57) cls = C_DIGIT;
  else if (c === 32 || c === 9 || c === 11 || c === 12) cls = C_SPACE;
  else if (c === 10 || c === 13) cls = C_NEWLINE;
  else if (c > 32 && c < 127) cls = C_PUNCT;
  ASCII_CLASS[c] = cls;
}

// Non-ASCII classes.
const N_LETTER = 1;
const N_CJK = 2;
const N_SPACE = 3;
const N_PUNCT = 4;
const N_OTHER = 5;

function nonAsciiClass(c: number): number {
  if (c < 0xc0) return c === 0xa0 ? N_SPACE : N_PUNCT;
  if (c < 0x2000) return c === 0xd7 || c === 0xf7 ? N_PUNCT : N_LETTER;
  if (c < 0x2070) return c <= 0x200b || c === 0x202f || c === 0x205f ? N_SPACE : N_PUNCT;
  if (c < 0x2e80) return N_OTHER;
  if (c === 0x3000) return N_SPACE;
  if (c < 0xa000) return N_CJK;
  if (c >= 0xac00 && c < 0xd7b0) return N_CJK;
  if (c >= 0xd800 && c < 0xe000) return N_OTHER;
  if (c >= 0xf900 && c < 0xfb00) return N_CJK;
  if (c >= 0xff00 && c < 0xfff0) return N_CJK;
  if (c >= 0xe000 && c < 0xf900) return N_OTHER;
  return N_LETTER;
}

function isLetterCode(c: number): boolean {
  if (c < 128) return (ASCII_CLASS[c] as number) <= C_UPPER && c > 64;
  return nonAsciiClass(c) === N_LETTER;
}

/** Count slot of an ASCII letter piece by length (lengths >= 14 share the last slot). */
const PIECE_SLOT = new Uint8Array(15);
for (let len = 1; len < 15; len++) {
  PIECE_SLOT[len] =
    len <= 2
      ? TOKEN_FEATURE.piece1to2
      : len <= 4
        ? TOKEN_FEATURE.piece3to4
        : len <= 6
          ? TOKEN_FEATURE.piece5to6
          : len <= 8
            ? TOKEN_FEATURE.piece7to8
            : len <= 10
              ? TOKEN_FEATURE.piece9to10
              : len <= 13
                ? TOKEN_FEATURE.piece11to13
                : TOKEN_FEATURE.piece14plus;
}
const SLOT_LONG_EXTRA = TOKEN_FEATURE.longPieceExtraChars;
const SLOT_NON_ASCII_PIECES = TOKEN_FEATURE.nonAsciiPieces;
const SLOT_NON_ASCII_LETTERS = TOKEN_FEATURE.nonAsciiPieceLetters;
const SLOT_FAR_SCRIPT = TOKEN_FEATURE.farScriptLetters;
const SLOT_CJK = TOKEN_FEATURE.cjkChars;
const SLOT_DIGIT_GROUPS = TOKEN_FEATURE.digitGroups;
const SLOT_SPACED_DIGITS = TOKEN_FEATURE.spacedDigitRuns;
const SLOT_PUNCT_CHARS = TOKEN_FEATURE.punctChars;
const SLOT_PUNCT_RUNS = TOKEN_FEATURE.punctRuns;
const SLOT_NEWLINE_RUNS = TOKEN_FEATURE.newlineRuns;
const SLOT_LONG_SPACES = TOKEN_FEATURE.longSpaceRuns;
const SLOT_OTHER = TOKEN_FEATURE.otherChars;

function addPiece(counts: Float64Array, len: number, nonAscii: boolean): void {
  if (nonAscii) {
    counts[SLOT_NON_ASCII_PIECES]! += 1;
    counts[SLOT_NON_ASCII_LETTERS]! += len;
  } else if (len < 14) {
    counts[PIECE_SLOT[len] as number]! += 1;
  } else {
    counts[PIECE_SLOT[14] as number]! += 1;
    counts[SLOT_LONG_EXTRA]! += len - 13;
  }
}

/**
 * Adds the char-class counts of `text[start, end)` to `counts` (length {@link TOKEN_FEATURE_COUNT}).
 * Exported for calibration; callers on the hot path use {@link estimateTokens}.
 */
export function tokenFeatureCounts(text: string, start: number, end: number, counts: Float64Array): void {
  let i = start;
  while (i < end) {
    let c = text.charCodeAt(i);
    const cls = c < 128 ? (ASCII_CLASS[c] as number) : 8 + nonAsciiClass(c);
    if (cls === C_LOWER || cls === C_UPPER || cls === 8 + N_LETTER) {
      // One letter run, split into o200k-style pieces at lower->upper transitions.
      let pieceLen = 0;
      let pieceNonAscii = false;
      let prevLower = false;
      for (;;) {
        if (c >= 97 && c <= 122) {
          pieceLen++;
          prevLower = true;
        } else if (c >= 65 && c <= 90) {
          if (prevLower) {
            addPiece(counts, pieceLen, pieceNonAscii);
            pieceLen = 0;
            pieceNonAscii = false;
          }
          pieceLen++;
          prevLower = false;
        } else if (c >= 128 && nonAsciiClass(c) === N_LETTER) {
          pieceLen++;
          pieceNonAscii = true;
          prevLower = true;
          if (c >= 0x530) counts[SLOT_FAR_SCRIPT]! += 1;
        } else break;
        if (++i >= end) break;
        c = text.charCodeAt(i);
      }
      addPiece(counts, pieceLen, pieceNonAscii);
    } else if (cls === C_DIGIT) {
      const runStart = i;
      while (++i < end) {
        c = text.charCodeAt(i);
        if (c < 48 || c > 57) break;
      }
      counts[SLOT_DIGIT_GROUPS]! += Math.ceil((i - runStart) / 3);
      if (runStart > start && text.charCodeAt(runStart - 1) === 32) counts[SLOT_SPACED_DIGITS]! += 1;
    } else if (cls === C_SPACE || cls === C_NEWLINE || cls === 8 + N_SPACE) {
      const runStart = i;
      let newline = cls === C_NEWLINE;
      while (++i < end) {
        c = text.charCodeAt(i);
        if (c < 128) {
          const dc = ASCII_CLASS[c];
          if (dc === C_NEWLINE) newline = true;
          else if (dc !== C_SPACE) break;
        } else if (nonAsciiClass(c) !== N_SPACE) break;
      }
      if (newline) counts[SLOT_NEWLINE_RUNS]! += 1;
      else if (i - runStart >= 2) counts[SLOT_LONG_SPACES]! += 1;
    } else if (cls === C_PUNCT || cls === 8 + N_PUNCT) {
      const runStart = i;
      while (++i < end) {
        c = text.charCodeAt(i);
        if (c < 128 ? ASCII_CLASS[c] !== C_PUNCT : nonAsciiClass(c) !== N_PUNCT) break;
      }
      counts[SLOT_PUNCT_CHARS]! += i - runStart;
      counts[SLOT_PUNCT_RUNS]! += 1;
    } else if (cls === 8 + N_CJK) {
      counts[SLOT_CJK]! += 1;
      i++;
    } else {
      // Emoji and other astral chars arrive as surrogate pairs: count the pair once.
      counts[SLOT_OTHER]! += 1;
      i += c >= 0xd800 && c < 0xdc00 && i + 1 < end ? 2 : 1;
    }
  }
}

const scratchCounts = new Float64Array(TOKEN_FEATURE_COUNT);

function weightedSum(counts: Float64Array): number {
  let sum = 0;
  for (let f = 0; f < TOKEN_FEATURE_COUNT; f++) sum += (counts[f] as number) * (TOKEN_COEFFICIENTS[f] as number);
  return sum;
}

/**
 * Estimated o200k_base token count of `text` (never negative, 0 for ""). Linear in the text up to
 * {@link ESTIMATE_FULL_SCAN_CHARS}; longer texts are estimated from evenly spaced sample blocks so
 * the work stays bounded. Accuracy on the calibration corpus is reported by the colocated test.
 */
export function estimateTokens(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  scratchCounts.fill(0);
  if (n <= ESTIMATE_FULL_SCAN_CHARS) {
    tokenFeatureCounts(text, 0, n, scratchCounts);
    return Math.max(1, Math.round(weightedSum(scratchCounts)));
  }
  const stride = Math.floor((n - SAMPLE_BLOCK_CHARS) / (SAMPLE_BLOCKS - 1));
  let sampled = 0;
  for (let b = 0; b < SAMPLE_BLOCKS; b++) {
    let start = b * stride;
    let end = Math.min(n, start + SAMPLE_BLOCK_CHARS);
    // Snap block edges forward to a letter-run boundary so blocks do not count half-words.
    while (start < end && isLetterCode(text.charCodeAt(start)) && start > 0 && isLetterCode(text.charCodeAt(start - 1))) start++;
    while (end < n && isLetterCode(text.charCodeAt(end)) && isLetterCode(text.charCodeAt(end - 1))) end++;
    tokenFeatureCounts(text, start, end, scratchCounts);
    sampled += end - start;
  }
  if (sampled === 0) return 1;
  return Math.max(1, Math.round((weightedSum(scratchCounts) * n) / sampled));
}
