import { applyCircuitOp, emptyCircuitRecord, toCircuitSnapshot, type CircuitOp, type CircuitRecord } from './circuit-record.js';
import { counterSlots, evaluateCounter } from './counter-window.js';
import type { CircuitPolicy, CircuitSnapshot, ConsumeResult, CounterSlot, CounterSpec, SharedState } from './shared-state.js';
import { TtlMap } from './ttl-map.js';

/** Options of {@link createMemorySharedState}. */
export interface MemorySharedStateOptions {
  /** Epoch-ms clock (default `Date.now`). */
  readonly now?: () => number;
  /** Bound on each map (decision cache, cooldowns, counters, breakers). Default 100,000. */
  readonly maxEntries?: number;
}

/** Idle breakers are forgotten after a day, like the Redis backend's key expiry. */
const CIRCUIT_TTL_MS = 86_400_000;
/** `release` and `read` never consult the policy. */
const UNUSED_POLICY: CircuitPolicy = { failureThreshold: 1, coolOffMs: 0, windowMs: 0, probeLeaseMs: 0 };

/**
 * Shared state for a single process: the same semantics as the Redis backend, held in bounded
 * maps. JavaScript runs each call to completion, so every operation is atomic without locks.
 */
export function createMemorySharedState(options: MemorySharedStateOptions = {}): SharedState {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 100_000;
  const kv = new TtlMap<string>(now, max);
  const cooldowns = new TtlMap<true>(now, max);
  const counters = new TtlMap<number>(now, max);
  const circuits = new TtlMap<CircuitRecord>(now, max);

  const circuit = (target: string, op: CircuitOp, policy: CircuitPolicy): { granted: boolean; snapshot: CircuitSnapshot } => {
    const t = now();
    const record = circuits.get(target) ?? emptyCircuitRecord();
    const { granted, changed } = applyCircuitOp(record, op, policy, t);
    if (changed) circuits.set(target, record, CIRCUIT_TTL_MS);
    return { granted, snapshot: toCircuitSnapshot(record, t, changed) };
  };

  const consume = (specs: readonly CounterSpec[]): ConsumeResult => {
    const t = now();
    const slots: CounterSlot[] = [];
    let refusedIndex: number | undefined;
    let retryAfterMs = 0;
    specs.forEach((spec, i) => {
      const s = counterSlots(spec, t);
      slots.push({ slot: s.current, ttlMs: s.ttlMs });
      const verdict = evaluateCounter(spec, t, s.windowStart, counters.get(s.current) ?? 0, s.previous === undefined ? 0 : (counters.get(s.previous) ?? 0));
      if (verdict.refused) {
        refusedIndex ??= i;
        retryAfterMs = Math.max(retryAfterMs, verdict.retryAfterMs);
      }
    });
    if (refusedIndex !== undefined) return { allowed: false, refusedIndex, retryAfterMs, slots };
    specs.forEach((spec, i) => {
      const slot = slots[i];
      if (slot === undefined || spec.cost === 0) return;
      const value = (counters.get(slot.slot) ?? 0) + spec.cost;
      if (!counters.update(slot.slot, value)) counters.set(slot.slot, value, slot.ttlMs);
    });
    return { allowed: true, retryAfterMs: 0, slots };
  };

  return {
    backend: () => 'memory',
    kv: {
      get: (key) => Promise.resolve(kv.get(key)),
      set: (key, value, ttlMs) => Promise.resolve(kv.set(key, value, ttlMs)),
      delete: (key) => Promise.resolve(kv.delete(key)),
    },
    cooldowns: {
      setCooldown: (key, ms) => Promise.resolve(ms > 0 ? cooldowns.set(key, true, ms) : cooldowns.delete(key)),
      cooldownRemainingMs: (key) => Promise.resolve(cooldowns.remainingMs(key)),
      isCoolingDown: (key) => Promise.resolve(cooldowns.remainingMs(key) > 0),
    },
    circuits: {
      tryAcquire: (target, policy) => Promise.resolve(circuit(target, 'acquire', policy).granted),
      recordSuccess: (target, policy) => Promise.resolve(circuit(target, 'success', policy).snapshot),
      recordFailure: (target, policy) => Promise.resolve(circuit(target, 'failure', policy).snapshot),
      release: (target) => Promise.resolve(void circuit(target, 'release', UNUSED_POLICY)),
      read: (target) => Promise.resolve(circuit(target, 'read', UNUSED_POLICY).snapshot),
    },
    counters: {
      consume: (specs) => Promise.resolve(consume(specs)),
      adjust(changes) {
        for (const { slot, delta } of changes) {
          const current = counters.get(slot.slot);
          if (current === undefined) {
            if (delta > 0) counters.set(slot.slot, delta, slot.ttlMs);
            continue;
          }
          counters.update(slot.slot, Math.max(0, current + delta));
        }
        return Promise.resolve();
      },
    },
    close: () => Promise.resolve(),
  };
}
