import { describe, expect, it } from 'vitest';
import { createProgress } from './create-progress.js';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, s: { isTTY, columns: 80, write: (t: string) => out.push(t) } };
}

describe('createProgress', () => {
  it('writes plain numbered lines when not a terminal', () => {
    const { out, s } = sink(false);
    let t = 0;
    const p = createProgress(s, 2, () => (t += 500));
    p.step('first');
    p.step('second');
    p.done();
    expect(out).toEqual(['[1/2 0.5s] first\n', '[2/2 1.0s] second\n']);
  });

  it('redraws one bar line on a terminal and ends it with a newline', () => {
    const { out, s } = sink(true);
    const p = createProgress(s, 4, () => 0);
    p.step('embedder');
    p.step('clusters');
    p.done();
    expect(out[0]).toBe(`\r\u001b[2K[${'#'.repeat(6)}${'-'.repeat(18)}] 1/4 0.0s embedder`);
    expect(out[1]).toContain('[############------------] 2/4');
    expect(out.at(-1)).toBe('\n');
  });
});
