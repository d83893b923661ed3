/**
 * State that every replica and worker of a gateway shares: the decision cache, client cooldowns,
 * circuit-breaker state and rate-limit counters. Two backends implement it with the same semantics
 * (checked by one contract test suite): in-process (`createMemorySharedState`) and Redis
 * (`createRedisSharedState`); `createResilientSharedState` uses Redis and falls back to in-process
 * while Redis is unreachable.
 *
 * Every time-dependent operation reads the backend's injected clock (epoch ms), so windows and
 * cool-offs are deterministic in tests. With Redis, the clocks of the replicas should agree (NTP):
 * a skew of `s` ms shifts a replica's windows by `s`.
 */
export interface SharedState {
  /** `memory` or `redis`; the resilient wrapper reports the backend that serves calls right now. */
  readonly backend: () => 'memory' | 'redis';
  readonly kv: KeyValueStore;
  readonly cooldowns: CooldownStore;
  readonly circuits: CircuitStore;
  readonly counters: CounterStore;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** String values with a per-entry time to live (the decision cache stores JSON in it). */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Keys put on hold for a while (an Anthropic OAuth client after a 429). */
export interface CooldownStore {
  /** Starts (or replaces) a cooldown of `ms` for `key`. */
  setCooldown(key: string, ms: number): Promise<void>;
  /** Milliseconds of cooldown left (0 when none). */
  cooldownRemainingMs(key: string): Promise<number>;
  isCoolingDown(key: string): Promise<boolean>;
}

/** How a circuit breaker trips and recovers. */
export interface CircuitPolicy {
  /** Failures within `windowMs` (with no success in between) that open a closed breaker. */
  readonly failureThreshold: number;
  /** How long an open breaker refuses calls before it admits one probe. */
  readonly coolOffMs: number;
  /** Failures older than this no longer count. */
  readonly windowMs: number;
  /** A probe that never reports back frees its slot after this long (its replica may have died). */
  readonly probeLeaseMs: number;
}

/** A circuit breaker's state: `closed` lets calls through, `open` refuses them, `half-open` admits one probe. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** One target's breaker as the store holds it after an operation. */
export interface CircuitSnapshot {
  /** The effective state: an open breaker past its cool-off reads `half-open`. */
  readonly state: CircuitState;
  /** Failures counted in the current window. */
  readonly failures: number;
  /** Successes counted in the current window. */
  readonly successes: number;
  /** Epoch ms until which an open breaker refuses calls (0 when not open). */
  readonly openUntil: number;
  /** True when this operation changed the stored state. */
  readonly changed: boolean;
}

/** Circuit-breaker state per target (`provider/model`); every operation is atomic. */
export interface CircuitStore {
  /** May a call go to `target` now? Claims the single probe slot of a half-open breaker. */
  tryAcquire(target: string, policy: CircuitPolicy): Promise<boolean>;
  recordSuccess(target: string, policy: CircuitPolicy): Promise<CircuitSnapshot>;
  recordFailure(target: string, policy: CircuitPolicy): Promise<CircuitSnapshot>;
  /** Frees a probe slot without a verdict (the client cancelled). */
  release(target: string): Promise<void>;
  read(target: string): Promise<CircuitSnapshot>;
}

/**
 * A window a counter is measured over. `sliding`: the sliding-window-counter approximation (the
 * previous fixed window weighted by how much of it still overlaps, plus the current one), smooth at
 * window edges. `fixed`: one window with explicit bounds (a calendar day or month for budgets).
 */
export type CounterWindow = { readonly kind: 'sliding'; readonly ms: number } | { readonly kind: 'fixed'; readonly start: number; readonly end: number };

/** One limit checked by {@link CounterStore.consume}. Amounts are non-negative integers. */
export interface CounterSpec {
  /** Identifies the counter (`rpm:team-a`); the backend derives its slot keys from it. */
  readonly key: string;
  readonly limit: number;
  /** How much this call takes. A call taking 0 is refused only when the counter is already at its limit. */
  readonly cost: number;
  readonly window: CounterWindow;
}

/** The answer of {@link CounterStore.consume}. */
export interface ConsumeResult {
  /** True when every counter had room, and all were charged; false when none was. */
  readonly allowed: boolean;
  /** Index (in the specs) of the first counter that refused. */
  readonly refusedIndex?: number;
  /** When refused: the wait, in ms, after which the refused counters would have room. */
  readonly retryAfterMs: number;
  /** Per spec, the slot charged (pass it to `adjust` to correct the amount later). */
  readonly slots: readonly CounterSlot[];
}

/** Where an amount was charged: a counter's window slot and how long that slot lives. */
export interface CounterSlot {
  readonly slot: string;
  readonly ttlMs: number;
}

/** Counters for rate limits and budgets. */
export interface CounterStore {
  /** Atomically: if every counter has room for its cost, charge all of them; otherwise charge none. */
  consume(specs: readonly CounterSpec[]): Promise<ConsumeResult>;
  /** Adds `delta` (possibly negative; a slot never goes below 0) to slots charged earlier. */
  adjust(changes: ReadonlyArray<{ readonly slot: CounterSlot; readonly delta: number }>): Promise<void>;
}
