/**
 * Bounded windows over long prompts. Everything but token, char and line counts looks only at the
 * head and the tail of the text: the instruction is usually at the start, the question at the end,
 * and bounded work keeps 20,000-token prompts as cheap as short ones. The code/maths detectors are
 * regex alternations costing ~5 us per KiB, so their window is the smallest that still sees the
 * instruction and the question (1 KiB + 1/4 KiB); changing it changes features: retrain artifacts.
 */

/** Chars from the start of the text that the feature detectors read. */
export const FEATURE_WINDOW_HEAD = 1024;
/** Chars from the end of the text that the feature detectors read. */
export const FEATURE_WINDOW_TAIL = 256;

/**
 * Length of the head part when a text longer than `maxChars` is cut to `maxChars` chars: three
 * quarters head, one quarter tail (so `windowHeadChars(FEATURE_WINDOW_HEAD + FEATURE_WINDOW_TAIL)`
 * is `FEATURE_WINDOW_HEAD` up to rounding). The tail starts at `length - (maxChars - windowHeadChars(maxChars))`.
 */
export function windowHeadChars(maxChars: number): number {
  return maxChars - (maxChars >> 2);
}
