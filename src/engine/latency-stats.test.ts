import { describe, expect, it } from 'vitest';
import type { RouterState } from '../core/router-state.js';
import { createClientCooldowns } from './client-cooldowns.js';
import { createLatencyStats } from './latency-stats.js';

describe('createLatencyStats', () => {
  it('reports nothing until enough samples, then an EW mean and standard deviation', () => {
    const s = createLatencyStats({ alpha: 0.5, minSamples: 3 });
    s.record('a', 100);
    s.record('a', 100);
    expect(s.get('a')).toBeUndefined();
    s.record('a', 100);
    expect(s.get('a')).toEqual({ meanMs: 100, sdMs: 0, samples: 3 });
    s.record('a', 300);
    const r = s.get('a');
    expect(r?.meanMs).toBe(200);
    expect(r?.sdMs).toBeCloseTo(100, 6);
  });

  it('exposes the statistics indexed like the router state, cached until they change', () => {
    const s = createLatencyStats({ minSamples: 1 });
    const state = { models: [{ index: 0, id: 'openai/a' }, { index: 1, id: 'openai/b' }] } as unknown as RouterState;
    s.record('openai/b', 50);
    s.record('openai/b', 150);
    const o1 = s.observed(state);
    expect(Number.isNaN(o1.latencySdMs[0])).toBe(true);
    expect(o1.latencySdMs[1]).toBeGreaterThan(0);
    expect(s.observed(state)).toBe(o1);
    s.record('openai/a', 10);
    // Refreshed in place: the same arrays, with the new sample in them.
    const o2 = s.observed(state);
    expect(o2.latencySdMs).toBe(o1.latencySdMs);
    expect(o2.latencySdMs[0]).toBe(0);
    // Another state (a canary) gets arrays of its own, indexed like its models.
    const other = { models: [{ index: 0, id: 'openai/b' }] } as unknown as RouterState;
    const o3 = s.observed(other);
    expect(o3.latencySdMs).not.toBe(o1.latencySdMs);
    expect(o3.latencySdMs[0]).toBe(o1.latencySdMs[1]);
  });
});

describe('createClientCooldowns', () => {
  it('holds a token for the given time and forgets it afterwards', () => {
    let now = 1000;
    const c = createClientCooldowns(() => now);
    c.start('sk-ant-oat01-x', 240_000);
    expect(c.remainingMs('sk-ant-oat01-x')).toBe(240_000);
    expect(c.remainingMs('sk-ant-oat01-y')).toBe(0);
    now += 240_000;
    expect(c.remainingMs('sk-ant-oat01-x')).toBe(0);
    expect(c.size).toBe(0);
  });

  it('stays bounded', () => {
    const c = createClientCooldowns(() => 0, 10);
    for (let i = 0; i < 50; i++) c.start(`t${i}`, 1000);
    expect(c.size).toBeLessThanOrEqual(10);
    expect(c.remainingMs('t49')).toBe(1000);
  });
});
