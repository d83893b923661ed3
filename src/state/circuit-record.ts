import type { CircuitPolicy, CircuitSnapshot, CircuitState } from './shared-state.js';

/** A breaker as stored. `open` past `openUntil` behaves as half-open; `probeUntil` > now means a probe is out. */
export interface CircuitRecord {
  state: CircuitState;
  failures: number;
  successes: number;
  windowStart: number;
  openUntil: number;
  probeUntil: number;
}

/** The operations of a circuit store, as one transition function (the Redis Lua script mirrors it). */
export type CircuitOp = 'acquire' | 'success' | 'failure' | 'release' | 'read';

/** A breaker never seen: closed with nothing counted. */
export function emptyCircuitRecord(): CircuitRecord {
  return { state: 'closed', failures: 0, successes: 0, windowStart: 0, openUntil: 0, probeUntil: 0 };
}

/**
 * Applies one operation to `r` in place at time `now`; returns whether the operation was granted
 * (only meaningful for `acquire`) and whether the stored record changed.
 *
 * Closed counts failures in a fixed window starting at the first failure; a success resets the
 * failure count (failures must be consecutive to trip). Open refuses until `openUntil`; then the
 * first `acquire` turns it half-open and takes the probe slot for `probeLeaseMs`. The probe's
 * success closes the breaker; any failure while open or half-open re-opens it for a new cool-off.
 */
export function applyCircuitOp(r: CircuitRecord, op: CircuitOp, policy: CircuitPolicy, now: number): { granted: boolean; changed: boolean } {
  switch (op) {
    case 'read':
      return { granted: true, changed: false };
    case 'acquire': {
      if (r.state === 'closed') return { granted: true, changed: false };
      if (r.state === 'open' && now < r.openUntil) return { granted: false, changed: false };
      if (r.state === 'half-open' && r.probeUntil > now) return { granted: false, changed: false };
      r.state = 'half-open';
      r.probeUntil = now + policy.probeLeaseMs;
      return { granted: true, changed: true };
    }
    case 'release': {
      if (r.state !== 'half-open' || r.probeUntil === 0) return { granted: true, changed: false };
      r.probeUntil = 0;
      return { granted: true, changed: true };
    }
    case 'success': {
      const reopened = r.state !== 'closed';
      if (reopened || now - r.windowStart >= policy.windowMs) {
        r.windowStart = now;
        r.successes = 0;
      }
      r.state = 'closed';
      r.failures = 0;
      r.successes++;
      r.openUntil = 0;
      r.probeUntil = 0;
      return { granted: true, changed: true };
    }
    case 'failure': {
      if (r.state === 'closed') {
        if (now - r.windowStart >= policy.windowMs) {
          r.windowStart = now;
          r.failures = 0;
          r.successes = 0;
        }
        r.failures++;
        if (r.failures >= policy.failureThreshold) {
          r.state = 'open';
          r.openUntil = now + policy.coolOffMs;
          r.probeUntil = 0;
        }
        return { granted: true, changed: true };
      }
      r.failures++;
      // A late failure while still open does not extend the cool-off; past it (or from the probe) it re-opens.
      if (r.state === 'half-open' || now >= r.openUntil) {
        r.state = 'open';
        r.openUntil = now + policy.coolOffMs;
        r.probeUntil = 0;
      }
      return { granted: true, changed: true };
    }
  }
}

/** The snapshot callers see: an open breaker past its cool-off reads `half-open`. */
export function toCircuitSnapshot(r: CircuitRecord, now: number, changed: boolean): CircuitSnapshot {
  const state: CircuitState = r.state === 'open' && now >= r.openUntil ? 'half-open' : r.state;
  return { state, failures: r.failures, successes: r.successes, openUntil: r.state === 'open' ? r.openUntil : 0, changed };
}
