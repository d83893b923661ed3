import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDeadlines } from './deadlines.js';

describe('createDeadlines', () => {
  afterEach(() => vi.useRealTimers());

  it('aborts what outlived its deadline with a TimeoutError, leaves the rest, and stops its timer when empty', () => {
    vi.useFakeTimers();
    let clock = 0;
    const deadlines = createDeadlines(100, () => clock);
    const early = new AbortController();
    const late = new AbortController();
    const cancelled = new AbortController();
    deadlines.add(early, 150);
    const cancelLate = deadlines.add(late, 1_000);
    deadlines.add(cancelled, 150)();
    clock = 200;
    vi.advanceTimersByTime(100);
    expect(early.signal.aborted).toBe(true);
    expect((early.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(late.signal.aborted).toBe(false);
    expect(cancelled.signal.aborted).toBe(false);
    cancelLate();
    vi.advanceTimersByTime(100);
    expect(late.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() drops every deadline', () => {
    vi.useFakeTimers();
    let clock = 0;
    const deadlines = createDeadlines(100, () => clock);
    const c = new AbortController();
    deadlines.add(c, 50);
    deadlines.close();
    clock = 1_000;
    vi.advanceTimersByTime(500);
    expect(c.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
