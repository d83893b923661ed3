import { describe, expect, it } from 'vitest';
import { hasMath } from './has-math.js';

const POSITIVE = [
  'Compute $\\frac{3}{4} + \\frac{1}{8}$.',
  'Show that \\sqrt{2} is irrational.',
  'Each correct answer scored $5$ points.',
  'Solve for x: 2x + 3 = 11',
  'If x = 5, what is 3x^2?',
  'What is 17 * 23?',
  'Evaluate the integral of sin(x) from 0 to pi.',
  'What is the probability of rolling two sixes with two dice?',
  'Find the roots of the polynomial p(t) = t^3 - t.',
  'How many girls are in the school if 40% of a school population is made up of 240 boys?',
  'A train travels 120 km in 2 hours. Calculate its average speed.',
  'Let a ≤ b be real numbers.',
  'The hypotenuse of a right triangle is 13 and one leg is 5.',
];

const NEGATIVE = [
  '',
  'What is the capital of France?',
  'It costs $5 and $10 for adults.',
  'How many moons does Jupiter have?',
  'Write a short story about a dragon who learns to bake bread.',
  'The 2020-2021 season was cancelled.',
  'Who won the world cup in 1998?',
  'Q: There are 3 houses in a row, numbered 1 on the left to 3 on the right. What is the number of the house where the pianist lives?',
  'Summarise the causes of World War 1 and its consequences for Europe.',
];

describe('hasMath', () => {
  it.each(POSITIVE)('detects maths in %j', (text) => {
    expect(hasMath(text)).toBe(true);
  });

  it.each(NEGATIVE)('finds no maths in %j', (text) => {
    expect(hasMath(text)).toBe(false);
  });

  it('reads only the head and tail of long texts', () => {
    const filler = 'The museum opens at nine and closes late on Fridays. '.repeat(500);
    expect(hasMath(filler.slice(0, 15_000) + ' Solve \\frac{1}{2} ' + filler.slice(0, 15_000))).toBe(false);
    expect(hasMath(filler + 'Compute \\sqrt{49}.')).toBe(true);
  });
});
