import { describe, expect, it } from 'vitest';
import { canarySlot, createCanarySelector } from './canary.js';

describe('canary selection', () => {
  it('is sticky and deterministic per id', () => {
    expect(canarySlot('conv-1')).toBe(canarySlot('conv-1'));
    const s = createCanarySelector({ percent: 30 });
    for (let i = 0; i < 50; i++) expect(s.inCanary(`id-${i}`)).toBe(s.inCanary(`id-${i}`));
  });

  it('sends about `percent` of ids to the candidate, none at 0 and all at 100', () => {
    const ids = Array.from({ length: 4_000 }, (_, i) => `client-${i}`);
    const share = (percent: number): number => ids.filter((id) => createCanarySelector({ percent }).inCanary(id)).length / ids.length;
    expect(share(0)).toBe(0);
    expect(share(100)).toBe(1);
    expect(Math.abs(share(10) - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(share(50) - 0.5)).toBeLessThan(0.03);
    // Growing the share only adds ids: nobody already in the canary leaves it.
    const at10 = ids.filter((id) => createCanarySelector({ percent: 10 }).inCanary(id));
    expect(at10.every((id) => createCanarySelector({ percent: 25 }).inCanary(id))).toBe(true);
  });
});
