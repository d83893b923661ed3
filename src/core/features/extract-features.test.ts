import { describe, expect, it } from 'vitest';
import { estimateTokens } from './estimate-tokens.js';
import { extractFeatures } from './extract-features.js';
import { trigramEntropy } from './trigram-entropy.js';

describe('extractFeatures', () => {
  it('describes the empty string', () => {
    expect(extractFeatures('')).toEqual({ tokens: 0, chars: 0, hasCode: false, hasMath: false, entropy: 0, lines: 0 });
  });

  it('combines the individual features', () => {
    const text = 'Write a python function that returns x^2 + 1.\nUse def f(x):\n    return x**2 + 1';
    const f = extractFeatures(text);
    expect(f.chars).toBe(text.length);
    expect(f.lines).toBe(3);
    expect(f.hasCode).toBe(true);
    expect(f.hasMath).toBe(true);
    expect(f.tokens).toBe(estimateTokens(text));
    expect(f.entropy).toBe(trigramEntropy(text));
    expect(f.entropy).toBeGreaterThan(0);
  });

  it('counts tokens, chars and lines over the whole of a long text', () => {
    const line = 'Plain prose about gardens, rivers and the weather in spring.\n';
    const text = line.repeat(2000);
    const f = extractFeatures(text);
    expect(f.chars).toBe(text.length);
    expect(f.lines).toBe(2001);
    expect(f.tokens).toBeGreaterThan(2000 * 10);
    expect(f.hasCode).toBe(false);
    expect(f.hasMath).toBe(false);
  });

  it('gives repetitive text lower entropy than varied text', () => {
    const repetitive = extractFeatures('ha '.repeat(300));
    const varied = extractFeatures('The quick brown fox jumps over the lazy dog while five boxing wizards jump quickly. '.repeat(4));
    expect(repetitive.entropy).toBeLessThan(varied.entropy);
  });
});
