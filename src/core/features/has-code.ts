import { FEATURE_WINDOW_HEAD, FEATURE_WINDOW_TAIL } from './text-window.js';

// One alternation per concern so each window is scanned a few times, not once per keyword.
// Case-sensitive on purpose: code keywords are lower case, and `SELECT ... FROM` in capitals is SQL
// while "select one from the list" is English.
const CODE_SYNTAX =
  /```|#include\s*[<"]|\b(?:def|class|fn|func)\s+[A-Za-z_]\w*\s*[(:<{]|\bfunction\b\s*[\w$]*\s*\(|\b(?:const|let|var)\s+[\w$]+\s*[:=]|\)\s*=>|=>\s*\{|\bimport\s+[\w*{][^\n]*\bfrom\b|\bfrom\s+[\w.]+\s+import\b|^\s*import\s+[\w.]+(?:\s+as\s+\w+)?\s*;?\s*$|\b(?:public|private|protected|static)\s+(?:void|int|class|static|final|String)\b|\bSELECT\b[^;]{1,200}?\bFROM\b|\b(?:console\.log|System\.out\.print|printf|std::)|\bprint\(|\breturn\b[^\n]*;|\bfor\s*\([^)\n]*;|\bfor\s+\w+\s+in\s+[^\n]{1,60}:\s*$|\bwhile\s*\(|\bif\s+__name__\b|^\s*>>> |<\/?(?:div|span|html|script|body|table)\b[^>]*>/m;

/** Requests for code with no code in them yet ("Write a python function to ..."). */
const CODE_REQUEST =
  /\b(?:write|implement|create|complete|fix|debug|refactor)\s+(?:a|an|the|this|my)?\s*(?:python|javascript|typescript|java|c\+\+|c#|rust|go|sql|bash|shell|recursive)?\s*(?:function|program|script|class|method|query|code|snippet|regex)\b/i;

function countOccurrences(text: string, needle: string, start: number, end: number, enough: number): number {
  let count = 0;
  let at = text.indexOf(needle, start);
  while (at !== -1 && at < end && count < enough) {
    count++;
    at = text.indexOf(needle, at + needle.length);
  }
  return count;
}

/** Braces plus statement-ending semicolons: C-family code that no keyword pattern caught. */
function hasCodeIn(text: string, start: number, end: number): boolean {
  if (countOccurrences(text, '{', start, end, 1) + countOccurrences(text, '}', start, end, 1) < 2) return false;
  return countOccurrences(text, ';\n', start, end, 2) + countOccurrences(text, ';}', start, end, 2) + countOccurrences(text, '; }', start, end, 2) >= 2;
}

/**
 * True when the prompt contains source code or asks for code: fenced blocks, keyword syntax
 * (`def f(`, `function`, `#include`, `=>`, `const x =`, SQL `SELECT ... FROM`, ...), C-family
 * brace/semicolon density, or an explicit request ("write a function ..."). Reads only the head and
 * tail windows ({@link FEATURE_WINDOW_HEAD}, {@link FEATURE_WINDOW_TAIL}).
 */
export function hasCode(text: string): boolean {
  const n = text.length;
  if (n <= FEATURE_WINDOW_HEAD + FEATURE_WINDOW_TAIL) {
    return CODE_SYNTAX.test(text) || CODE_REQUEST.test(text) || hasCodeIn(text, 0, n);
  }
  const head = text.slice(0, FEATURE_WINDOW_HEAD);
  const tail = text.slice(n - FEATURE_WINDOW_TAIL);
  return (
    CODE_SYNTAX.test(head) ||
    CODE_SYNTAX.test(tail) ||
    CODE_REQUEST.test(head) ||
    CODE_REQUEST.test(tail) ||
    hasCodeIn(head, 0, head.length) ||
    hasCodeIn(tail, 0, tail.length)
  );
}
