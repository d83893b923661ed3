import type { CircuitBreakers } from '../engine/circuit-breaker.js';
import type { CircuitPolicy, CircuitSnapshot, CircuitState, CircuitStore } from './shared-state.js';
import { TtlMap } from './ttl-map.js';

/** Options of {@link createSharedCircuitBreakers}. */
export interface SharedCircuitBreakersOptions {
  readonly policy: CircuitPolicy;
  readonly now?: () => number;
  /** Re-read a target's shared state at most this often, on use (default 1 s; 0: only on own events). */
  readonly refreshMs?: number;
  readonly onStateChange?: (key: string, state: CircuitState) => void;
  /** Told when the store failed (the mirror keeps answering). */
  readonly onError?: (error: unknown) => void;
}

/** Circuit breakers shared through a store, with a way to wait for the writes in flight. */
export interface SharedCircuitBreakers extends CircuitBreakers {
  /** Resolves when every store call issued so far has settled (tests, shutdown). */
  flush(): Promise<void>;
}

interface Mirror {
  state: CircuitState;
  openUntil: number;
  failures: number;
  /** The shared probe slot was claimed for this replica; the next `tryAcquire` uses it. */
  granted: boolean;
  claiming: boolean;
  /** A call admitted through the probe slot is running here. */
  probing: boolean;
}

/**
 * The engine's synchronous `CircuitBreakers` over a shared {@link CircuitStore}: failures from every
 * replica count toward one breaker per target, so a target failing on five replicas opens for all.
 * Answers come from an in-process mirror (no I/O on the request path); failures and successes are
 * written to the store and its atomic answer updates the mirror; each target's shared state is
 * re-read at most every `refreshMs` when used, which is how a replica learns of breakers opened
 * elsewhere. The half-open probe slot is claimed in the store, so one replica at a time probes:
 * when a cool-off ends, the request that notices claims the slot and is refused, and the next one
 * goes through as the probe. Successes on a target with no failures write nothing.
 */
export function createSharedCircuitBreakers(store: CircuitStore, options: SharedCircuitBreakersOptions): SharedCircuitBreakers {
  const now = options.now ?? Date.now;
  const policy = options.policy;
  const refreshMs = options.refreshMs ?? 1_000;
  const mirrors = new Map<string, Mirror>();
  const lastRead = new TtlMap<true>(now, 100_000);
  const pending = new Set<Promise<unknown>>();

  const track = <T>(p: Promise<T>, then: (value: T) => void): void => {
    const q = p.then(then, (err: unknown) => options.onError?.(err)).finally(() => pending.delete(q));
    pending.add(q);
  };
  const effective = (m: Mirror): CircuitState => (m.state === 'open' && now() >= m.openUntil ? 'half-open' : m.state);
  const mirrorOf = (key: string): Mirror => {
    let m = mirrors.get(key);
    if (m === undefined) {
      m = { state: 'closed', openUntil: 0, failures: 0, granted: false, claiming: false, probing: false };
      mirrors.set(key, m);
    }
    return m;
  };
  const setState = (key: string, m: Mirror, state: CircuitState, openUntil: number): void => {
    const before = effective(m);
    m.state = state;
    m.openUntil = openUntil;
    if (state === 'closed') {
      m.granted = false;
      m.probing = false;
    }
    const after = effective(m);
    if (after !== before) options.onStateChange?.(key, after);
  };
  const apply = (key: string, s: CircuitSnapshot): void => {
    const m = mirrorOf(key);
    m.failures = s.failures;
    setState(key, m, s.state === 'half-open' && m.state === 'open' ? 'open' : s.state, s.state === 'closed' ? 0 : s.openUntil || m.openUntil);
    if (s.state === 'closed' && m.failures === 0 && !m.probing) mirrors.delete(key);
  };
  const refresh = (key: string): void => {
    if (refreshMs <= 0 || lastRead.get(key) !== undefined) return;
    lastRead.set(key, true, refreshMs);
    track(store.read(key), (s) => {
      if (s.state !== 'closed' || mirrors.has(key)) apply(key, s);
    });
  };

  return {
    tryAcquire(key) {
      refresh(key);
      const m = mirrors.get(key);
      if (m === undefined || m.state === 'closed') return true;
      if (m.state === 'open' && now() < m.openUntil) return false;
      if (m.granted) {
        m.granted = false;
        m.probing = true;
        return true;
      }
      if (!m.claiming) {
        m.claiming = true;
        track(store.tryAcquire(key, policy), (granted) => {
          m.claiming = false;
          if (granted) {
            m.granted = true;
            setState(key, m, 'half-open', m.openUntil);
          }
        });
      }
      return false;
    },
    isOpen(key) {
      const m = mirrors.get(key);
      if (m === undefined || m.state === 'closed') return false;
      return !m.granted;
    },
    recordSuccess(key) {
      const m = mirrors.get(key);
      if (m === undefined) return;
      m.probing = false;
      m.failures = 0;
      setState(key, m, 'closed', 0);
      track(store.recordSuccess(key, policy), (s) => apply(key, s));
    },
    recordFailure(key) {
      const m = mirrorOf(key);
      m.failures++;
      m.probing = false;
      track(store.recordFailure(key, policy), (s) => apply(key, s));
    },
    release(key) {
      const m = mirrors.get(key);
      if (m === undefined || (!m.probing && !m.granted)) return;
      m.probing = false;
      m.granted = false;
      track(store.release(key), () => undefined);
    },
    state(key) {
      const m = mirrors.get(key);
      return m === undefined ? 'closed' : effective(m);
    },
    snapshot() {
      const out: Array<{ key: string; state: CircuitState }> = [];
      for (const [key, m] of mirrors) {
        const state = effective(m);
        if (state !== 'closed') out.push({ key, state });
      }
      return out;
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
