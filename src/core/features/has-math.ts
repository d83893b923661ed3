import { FEATURE_WINDOW_HEAD, FEATURE_WINDOW_TAIL } from './text-window.js';

// Separate patterns, each with a cheap literal or class start, scan faster than one big alternation.
const LATEX =
  /\\(?:frac|dfrac|sqrt|sum|int|prod|lim|cdot|times|div|alpha|beta|gamma|theta|lambda|sigma|pi|infty|leq?|geq?|neq|approx|begin\{|boxed|left[([|]|mathbb|mathrm|binom|log|ln|sin|cos|tan|pm|circ|angle|triangle)/;
/** `$...$` maths: no spaces inside, or an operator inside (so "$5 and $10" is money, not maths). */
const INLINE_DOLLAR = /\$(?:[^$\s]{1,40}|[^$\n]{0,60}[\\^_=][^$\n]{0,60})\$/;
const MATH_WORDS =
  /\b(?:equations?|integral|integrate|derivative|differentiate|polynomial|quadratic|theorem|lemma|prove that|probability|logarithm|matrix|matrices|eigen\w*|vector space|factorial|modulo|remainder when|greatest common|least common multiple|prime factor|arithmetic sequence|geometric sequence|perimeter|hypotenuse|circumference)\b/i;
const MATH_SYMBOLS = /[∑∫√π≤≥≠∞±×÷]/;
/** Words that signal a maths word problem only when the text also carries numbers. */
const MATH_WEAK =
  /\b(?:how (?:many|much|long|far|old|fast)|solve|calculate|compute|what (?:is|was|will be) the (?:total|sum|product|difference|average|value|probability|ratio|percentage|area|volume|speed|cost|price)|find the (?:value|sum|number|smallest|largest|least|greatest|area|product))\b/i;

/** Operators whose neighbours {@link hasEquation} inspects (not `-`: hyphens are everywhere). */
const OPERATORS = ['=', '+', '*', '/', '^', '<', '>'];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** A digit, a bracket, or a one-letter variable (not part of a longer word) next to an operator. */
function operandAt(text: string, at: number, step: number, start: number, end: number): number {
  let i = at;
  for (let spaces = 0; i >= start && i < end && text.charCodeAt(i) === 32 && spaces < 2; spaces++) i += step;
  if (i < start || i >= end) return 0;
  const c = text.charCodeAt(i);
  if (isDigit(c)) return 2;
  if (c === 40 || c === 41 || (step > 0 && c === 45)) return 1;
  if (isLetter(c)) {
    const beyond = i + step;
    const b = beyond >= start && beyond < end ? text.charCodeAt(beyond) : 32;
    return isLetter(b) ? 0 : 1;
  }
  return 0;
}

/** `2x + 3 = 7`, `x^2`, `3 * 4`, `a < 5`: an operator between operands, at least one of them a digit. */
function hasEquation(text: string, start: number, end: number): boolean {
  for (const op of OPERATORS) {
    let at = text.indexOf(op, start);
    while (at !== -1 && at < end) {
      const left = operandAt(text, at - 1, -1, start, end);
      if (left > 0) {
        const right = operandAt(text, at + 1, 1, start, end);
        if (right > 0 && (left === 2 || right === 2)) return true;
      }
      at = text.indexOf(op, at + 1);
    }
  }
  return false;
}

function countNumbers(text: string, start: number, end: number): number {
  let numbers = 0;
  let inNumber = false;
  for (let i = start; i < end; i++) {
    const digit = isDigit(text.charCodeAt(i));
    if (digit && !inNumber) numbers++;
    inNumber = digit;
  }
  return numbers;
}

function mathIn(window: string): boolean {
  return (
    LATEX.test(window) ||
    INLINE_DOLLAR.test(window) ||
    MATH_SYMBOLS.test(window) ||
    hasEquation(window, 0, window.length) ||
    MATH_WORDS.test(window)
  );
}

/**
 * True when the prompt is maths: LaTeX commands, `$...$` maths, arithmetic or equations with digits
 * (`2x + 3 = 7`), maths vocabulary ("integral", "probability", "polynomial"...), maths symbols, or
 * word-problem phrasing ("how many", "solve", "calculate"...) together with at least two numbers.
 * Reads only the head and tail windows ({@link FEATURE_WINDOW_HEAD}, {@link FEATURE_WINDOW_TAIL}).
 */
export function hasMath(text: string): boolean {
  const n = text.length;
  if (n <= FEATURE_WINDOW_HEAD + FEATURE_WINDOW_TAIL) {
    return mathIn(text) || (MATH_WEAK.test(text) && countNumbers(text, 0, n) >= 2);
  }
  const head = text.slice(0, FEATURE_WINDOW_HEAD);
  const tail = text.slice(n - FEATURE_WINDOW_TAIL);
  if (mathIn(head) || mathIn(tail)) return true;
  return (MATH_WEAK.test(head) || MATH_WEAK.test(tail)) && countNumbers(head, 0, head.length) + countNumbers(tail, 0, tail.length) >= 2;
}
