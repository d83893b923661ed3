 
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { ESTIMATE_FULL_SCAN_CHARS, estimateTokens } from './estimate-tokens.js';

const ROUTING_PROMPTS = '/work/shared/data/routing/llmrouter/query_test.jsonl';
const NM = join(process.cwd(), 'node_modules');

/** Real prompts when the routing data set is present, else a small hand-written mix. */
function prompts(): string[] {
  if (existsSync(ROUTING_PROMPTS)) {
    return readFileSync(ROUTING_PROMPTS, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { query: string }).query);
  }
  return [
    'What is the capital of Australia, and why was it chosen over Sydney and Melbourne?',
    'Explain the difference between a mutex and a semaphore, with an example of when each is the better choice.',
    'Janet has 12 apples. She gives 3 to her brother and buys twice as many as she has left. How many apples does she have now?',
    'Summarise the main causes of the French Revolution in three short paragraphs suitable for a high-school student.',
    'Translate to French: "The meeting has been moved to Thursday afternoon because the director is travelling."',
    'Write a limerick about a cat who learns to program in Rust and keeps fighting the borrow checker.',
    'Which of the following is a prime number? (A) 21 (B) 27 (C) 29 (D) 33. Answer with the letter only.',
    'Let $f(x) = 3x^2 - 2x + 7$. Compute $f(4)$ and find the vertex of the parabola.',
  ];
}

/** Chunks of real files (code, JSON, translated messages) from installed packages. */
function chunksOf(files: string[], size: number, perFile: number): string[] {
  const out: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (let i = 0, k = 0; i < text.length && k < perFile; i += size, k++) out.push(text.slice(i, i + size));
  }
  return out;
}

function filesUnder(dir: string, pattern: RegExp, max: number): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (out.length >= max) return;
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (pattern.test(entry.name)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function diagnostics(langs: string[]): string[] {
  const out: string[] = [];
  for (const lang of langs) {
    const p = join(NM, 'typescript/lib', lang, 'diagnosticMessages.generated.json');
    if (!existsSync(p)) continue;
    const text = Object.values(JSON.parse(readFileSync(p, 'utf8')) as Record<string, string>).join('\n');
    for (let i = 0; i < 10; i++) out.push(text.slice(i * 1500, i * 1500 + 1500));
  }
  return out;
}

function meanRelativeError(texts: string[]): number {
  let sum = 0;
  let n = 0;
  for (const text of texts) {
    const exact = encode(text).length;
    if (exact === 0) continue;
    sum += Math.abs(estimateTokens(text) - exact) / exact;
    n++;
  }
  expect(n).toBeGreaterThan(0);
  return sum / n;
}

describe('estimateTokens vs gpt-tokenizer (o200k_base)', () => {
  it('uses o200k_base as the reference', async () => {
    const o200k = await import('gpt-tokenizer/encoding/o200k_base');
    expect(encode('Hello, 世界! function f(x) { return x; }')).toEqual(o200k.encode('Hello, 世界! function f(x) { return x; }'));
  });

  it('is 0 for the empty string and at least 1 otherwise', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a')).toBe(1);
    expect(estimateTokens(' ')).toBeGreaterThanOrEqual(1);
  });

  // Documented bounds (mean absolute relative error): prompts, code, JSON <= 8%;
  // European languages <= 15%; CJK <= 12%. Measured at calibration: ~5%, ~4%, ~4%, ~10%, ~7%.
  it('prompts: mean absolute relative error <= 8%', () => {
    expect(meanRelativeError(prompts())).toBeLessThanOrEqual(0.08);
  });

  it('code: mean absolute relative error <= 8%', () => {
    const files = [
      ...filesUnder(join(NM, 'zod/src'), /\.ts$/, 15),
      ...filesUnder(join(NM, 'yaml/dist'), /\.js$/, 15),
      ...filesUnder(join(NM, 'vitest/dist'), /\.js$/, 10),
    ];
    expect(files.length).toBeGreaterThan(5);
    expect(meanRelativeError(chunksOf(files, 2500, 3))).toBeLessThanOrEqual(0.08);
  });

  it('JSON: mean absolute relative error <= 8%', () => {
    const files = filesUnder(NM, /^package\.json$/, 60);
    expect(meanRelativeError(chunksOf(files, 2000, 1))).toBeLessThanOrEqual(0.08);
  });

  it('multilingual text: <= 15% (European), <= 12% (CJK)', () => {
    const european = diagnostics(['de', 'fr', 'es', 'it', 'pl', 'ru']);
    const cjk = diagnostics(['ja', 'ko', 'zh-cn']);
    if (european.length > 0) expect(meanRelativeError(european)).toBeLessThanOrEqual(0.15);
    if (cjk.length > 0) expect(meanRelativeError(cjk)).toBeLessThanOrEqual(0.12);
  });

  it('maths / LaTeX prompts stay within 12%', () => {
    const latex = [
      'Let $f(x) = \\frac{3x^2 - 2x + 7}{x - 1}$. Find $\\lim_{x \\to \\infty} f(x)/x$ and the value of $f(2)$.',
      'Compute $\\sum_{k=1}^{100} k^2$ and express $\\int_0^1 x^3 \\, dx$ as a fraction in lowest terms.',
      'If $\\sqrt{2x+1} = 5$, what is $x$? Put your final answer in \\boxed{}.',
      'The matrix $A = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}$ has eigenvalues $\\lambda_1, \\lambda_2$. Compute $\\lambda_1 \\lambda_2$.',
    ];
    expect(meanRelativeError(latex)).toBeLessThanOrEqual(0.12);
  });

  it('samples long texts (bounded work) and stays within 6% there', () => {
    const parts = prompts();
    let text = '';
    for (let i = 0; text.length < ESTIMATE_FULL_SCAN_CHARS * 3; i = (i + 37) % parts.length) text += `${parts[i] as string}\n`;
    const exact = encode(text).length;
    expect(Math.abs(estimateTokens(text) - exact) / exact).toBeLessThanOrEqual(0.06);
  });
});
