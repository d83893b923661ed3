/** A breaker's state: `closed` lets calls through, `open` refuses them, `half-open` lets one probe through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of {@link createCircuitBreakers}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open a closed breaker. */
  readonly failureThreshold: number;
  /** How long an open breaker refuses calls before it lets one probe through. */
  readonly coolOffMs: number;
  readonly now?: () => number;
  /** Told about every state change (metrics, logs). */
  readonly onStateChange?: (key: string, state: CircuitState) => void;
}

/** Circuit breakers keyed by target (`provider/model`). */
export interface CircuitBreakers {
  /**
   * True when a call to `key` may go ahead now. An open breaker whose cool-off has passed turns
   * half-open and admits exactly one probe until that probe reports back.
   */
  tryAcquire(key: string): boolean;
  /** True when `key` would refuse a call (without claiming a probe slot). */
  isOpen(key: string): boolean;
  recordSuccess(key: string): void;
  recordFailure(key: string): void;
  /** Releases a probe that ended without telling anything about the target (client cancelled). */
  release(key: string): void;
  state(key: string): CircuitState;
  /** Every breaker that is not closed. */
  snapshot(): ReadonlyArray<{ readonly key: string; readonly state: CircuitState }>;
}

interface Breaker {
  state: CircuitState;
  failures: number;
  openedAt: number;
  probing: boolean;
}

/**
 * Per-target circuit breakers. Closed -> open after `failureThreshold` consecutive failures;
 * open -> half-open after `coolOffMs`; half-open -> closed on the probe's success, -> open again
 * (new cool-off) on its failure. Targets never seen cost nothing: breakers are created on first failure.
 */
export function createCircuitBreakers(options: CircuitBreakerOptions): CircuitBreakers {
  const now = options.now ?? Date.now;
  const breakers = new Map<string, Breaker>();
  const setState = (key: string, b: Breaker, state: CircuitState): void => {
    if (b.state === state) return;
    b.state = state;
    options.onStateChange?.(key, state);
  };
  const isOpenNow = (b: Breaker): boolean => b.state === 'open' && now() - b.openedAt < options.coolOffMs;
  return {
    tryAcquire(key) {
      const b = breakers.get(key);
      if (b === undefined || b.state === 'closed') return true;
      if (b.state === 'open') {
        if (isOpenNow(b)) return false;
        setState(key, b, 'half-open');
        b.probing = false;
      }
      if (b.probing) return false;
      b.probing = true;
      return true;
    },
    isOpen(key) {
      const b = breakers.get(key);
      if (b === undefined || b.state === 'closed') return false;
      if (b.state === 'open') return isOpenNow(b);
      return b.probing;
    },
    recordSuccess(key) {
      const b = breakers.get(key);
      if (b === undefined) return;
      b.failures = 0;
      b.probing = false;
      setState(key, b, 'closed');
    },
    recordFailure(key) {
      let b = breakers.get(key);
      if (b === undefined) {
        b = { state: 'closed', failures: 0, openedAt: 0, probing: false };
        breakers.set(key, b);
      }
      b.failures++;
      if (b.state === 'half-open' || b.failures >= options.failureThreshold) {
        b.openedAt = now();
        b.probing = false;
        setState(key, b, 'open');
      }
    },
    release(key) {
      const b = breakers.get(key);
      if (b !== undefined) b.probing = false;
    },
    state(key) {
      const b = breakers.get(key);
      if (b === undefined) return 'closed';
      if (b.state === 'open' && !isOpenNow(b)) return 'half-open';
      return b.state;
    },
    snapshot() {
      const out: { key: string; state: CircuitState }[] = [];
      for (const [key, b] of breakers) if (b.state !== 'closed') out.push({ key, state: b.state });
      return out;
    },
  };
}
