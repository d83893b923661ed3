import { describe, expect, it } from 'vitest';
import { Doorkeeper } from './doorkeeper.js';

describe('Doorkeeper', () => {
  it('says a key is new the first time and seen the second', () => {
    const d = new Doorkeeper(100);
    expect(d.seen('a|prompt one')).toBe(false);
    expect(d.seen('a|prompt two')).toBe(false);
    expect(d.seen('a|prompt one')).toBe(true);
    expect(d.seen('a|prompt two')).toBe(true);
    expect(d.seen('a|prompt one')).toBe(true);
  });

  it('takes few new keys for repeats when full (false positives stay rare)', () => {
    const d = new Doorkeeper(10_000);
    for (let i = 0; i < 10_000; i++) d.seen(`v1|openrouter|auto||${i.toString(36)}.${(i * 7919).toString(36)}.${i}|64|||`);
    let falsePositives = 0;
    for (let i = 0; i < 10_000; i++) if (d.seen(`other-${i}`)) falsePositives++;
    // Two bits of 16 per key: ~1.4% expected at capacity (the filter restarts right after, so fewer here).
    expect(falsePositives).toBeLessThan(300);
  });

  it('starts over after `capacity` new keys, forgetting what was seen once', () => {
    const d = new Doorkeeper(3);
    d.seen('k1');
    d.seen('k2');
    d.seen('k3');
    expect(d.seen('k1')).toBe(true);
    expect(d.seen('k4')).toBe(false); // the fourth new key: the filter restarts, then remembers k4
    expect(d.seen('k1')).toBe(false);
    expect(d.seen('k4')).toBe(true);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new Doorkeeper(0)).toThrow(RangeError);
    expect(() => new Doorkeeper(1.5)).toThrow(RangeError);
  });
});
