import { describe, expect, it } from 'vitest';
import { hasCode } from './has-code.js';
import { FEATURE_WINDOW_HEAD, FEATURE_WINDOW_TAIL } from './text-window.js';

const POSITIVE = [
  'Why does this fail?\n```\nnpm run build\n```',
  'def add(a, b):\n    return a + b',
  'function greet(name) { return "hi " + name }',
  '#include <stdio.h>\nint main() { printf("hi"); }',
  'const total = items.reduce((s, x) => s + x, 0)',
  'items.map(x => { return x * 2 })',
  'SELECT name, age FROM users WHERE age > 30',
  'from collections import Counter',
  'import numpy as np',
  'public static void main(String[] args)',
  'for (int i = 0; i < n; i++) sum += a[i];',
  'for item in items:\n    print(item)',
  '    >>> sum_product([1, 2, 3, 4])\n    (10, 24)',
  'Write a python function to find the first repeated character in a given string.',
  'Write a function to count the number of unique lists within a list.',
  'x = 1;\ny = 2;\nif (x) { y = 3; }',
  '<div class="card"><span>Title</span></div>',
];

const NEGATIVE = [
  '',
  'What is the capital of France?',
  'Select one from the list of options below and explain your choice.',
  'Write a poem about the sea in the style of Emily Dickinson.',
  'The function of the heart is to pump blood through the body.',
  'He said: "let me know if you need anything; I will be around."',
  'Janet has 12 apples (she bought 5 more). How many apples does she have?',
  'Import duties on steel rose by 10% in 2019.',
];

describe('hasCode', () => {
  it.each(POSITIVE)('detects code in %j', (text) => {
    expect(hasCode(text)).toBe(true);
  });

  it.each(NEGATIVE)('finds no code in %j', (text) => {
    expect(hasCode(text)).toBe(false);
  });

  it('looks only at the head and tail windows', () => {
    const filler = 'The committee met again to discuss the budget for next year. '.repeat(400);
    const middle = filler.slice(0, 20_000) + '\n```\nconst x = 1;\n```\n' + filler.slice(0, 20_000);
    expect(hasCode(middle)).toBe(false);
    expect(hasCode(filler + 'def solve(n):\n    return n')).toBe(true);
    expect(hasCode('def solve(n):\n    return n\n' + filler)).toBe(true);
    expect(FEATURE_WINDOW_HEAD + FEATURE_WINDOW_TAIL).toBeLessThan(filler.length);
  });
});
