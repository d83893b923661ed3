import { describe, expect, it } from 'vitest';
import { createCircuitBreakers, type CircuitState } from './circuit-breaker.js';

function setup(threshold = 3, coolOffMs = 1000) {
  let now = 0;
  const changes: Array<[string, CircuitState]> = [];
  const b = createCircuitBreakers({ failureThreshold: threshold, coolOffMs, now: () => now, onStateChange: (k, s) => changes.push([k, s]) });
  return { b, changes, advance: (ms: number) => (now += ms) };
}

describe('createCircuitBreakers', () => {
  it('opens after consecutive failures; a success resets the count', () => {
    const { b } = setup(3);
    b.recordFailure('t');
    b.recordFailure('t');
    b.recordSuccess('t');
    b.recordFailure('t');
    b.recordFailure('t');
    expect(b.state('t')).toBe('closed');
    b.recordFailure('t');
    expect(b.state('t')).toBe('open');
    expect(b.tryAcquire('t')).toBe(false);
    expect(b.isOpen('t')).toBe(true);
    expect(b.tryAcquire('other')).toBe(true);
  });

  it('lets exactly one probe through after the cool-off; its success closes the breaker', () => {
    const { b, changes, advance } = setup(1, 1000);
    b.recordFailure('t');
    advance(999);
    expect(b.tryAcquire('t')).toBe(false);
    advance(1);
    expect(b.state('t')).toBe('half-open');
    expect(b.tryAcquire('t')).toBe(true);
    expect(b.tryAcquire('t')).toBe(false);
    b.recordSuccess('t');
    expect(b.state('t')).toBe('closed');
    expect(b.tryAcquire('t')).toBe(true);
    expect(changes).toEqual([
      ['t', 'open'],
      ['t', 'half-open'],
      ['t', 'closed'],
    ]);
  });

  it('re-opens for a new cool-off when the probe fails; a released probe frees the slot', () => {
    const { b, advance } = setup(1, 1000);
    b.recordFailure('t');
    advance(1000);
    expect(b.tryAcquire('t')).toBe(true);
    b.release('t');
    expect(b.tryAcquire('t')).toBe(true);
    b.recordFailure('t');
    expect(b.state('t')).toBe('open');
    advance(500);
    expect(b.tryAcquire('t')).toBe(false);
    expect(b.snapshot()).toEqual([{ key: 't', state: 'open' }]);
  });
});
