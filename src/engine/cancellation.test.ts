import { describe, expect, it } from 'vitest';
import { Cancellation, toAbortSignal } from './cancellation.js';

describe('Cancellation', () => {
  it('aborts once: listeners run once, in order, and aborted/reason are set', () => {
    const c = new Cancellation();
    const calls: string[] = [];
    c.addEventListener('abort', () => calls.push(`a:${c.aborted}`));
    c.addEventListener('abort', () => calls.push('b'));
    expect(c.aborted).toBe(false);
    expect(c.reason).toBeUndefined();
    const reason = new DOMException('deadline', 'TimeoutError');
    c.abort(reason);
    c.abort(new Error('second'));
    expect(calls).toEqual(['a:true', 'b']);
    expect(c.aborted).toBe(true);
    expect(c.reason).toBe(reason);
  });

  it('defaults the reason to an AbortError, as AbortController does', () => {
    const c = new Cancellation();
    c.abort();
    expect(c.reason).toBeInstanceOf(DOMException);
    expect((c.reason as DOMException).name).toBe('AbortError');
  });

  it('a removed listener, a duplicate and one added after the abort do not run', () => {
    const c = new Cancellation();
    let removed = 0;
    let twice = 0;
    let late = 0;
    const r = (): void => void removed++;
    const d = (): void => void twice++;
    c.addEventListener('abort', r);
    c.addEventListener('abort', d);
    c.addEventListener('abort', d);
    c.removeEventListener('abort', r);
    c.removeEventListener('abort', () => undefined);
    c.abort();
    c.addEventListener('abort', () => void late++);
    expect([removed, twice, late]).toEqual([0, 1, 0]);
  });

  it('runs every listener even when one throws, then rethrows the first error', () => {
    const c = new Cancellation();
    const ran: number[] = [];
    c.addEventListener('abort', () => {
      ran.push(1);
      throw new Error('first');
    });
    c.addEventListener('abort', () => {
      ran.push(2);
      throw new Error('second');
    });
    c.addEventListener('abort', () => void ran.push(3));
    expect(() => c.abort()).toThrow('first');
    expect(ran).toEqual([1, 2, 3]);
    expect(c.aborted).toBe(true);
  });
});

describe('toAbortSignal', () => {
  it('gives a real AbortSignal that follows a Cancellation, aborted now or later, with its reason', async () => {
    const later = new Cancellation();
    const signal = toAbortSignal(later);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    const reason = new DOMException('deadline', 'TimeoutError');
    later.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    // fetch takes it: an aborted one rejects at once with the reason.
    await expect(fetch('http://127.0.0.1:9/', { signal })).rejects.toBe(reason);

    const before = new Cancellation();
    before.abort();
    expect(toAbortSignal(before).aborted).toBe(true);
    expect((toAbortSignal(before).reason as DOMException).name).toBe('AbortError');
  });

  it('returns an AbortSignal as it is', () => {
    const signal = new AbortController().signal;
    expect(toAbortSignal(signal)).toBe(signal);
  });
});
