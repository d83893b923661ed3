import { GatewayError } from '../errors/gateway-error.js';
import type { CounterSlot, CounterSpec, CounterStore } from '../state/shared-state.js';
import { budgetWindow, type KeyLimits } from './key-limits.js';

/** Tokens and USD of one request: estimated before the call, actual after it. */
export interface LimitAmounts {
  readonly tokens: number;
  readonly costUsd: number;
}

/** What {@link RateLimiter.reserve} charged, to be settled once the actual usage is known. */
export interface Reservation {
  readonly keyName: string;
  /** Charged tokens and micro-USD (after clamping to the limits). */
  readonly tokens: number;
  readonly microUsd: number;
  readonly tokenSlot?: CounterSlot;
  readonly budgetSlot?: CounterSlot;
}

/** Per-gateway-key requests per minute, tokens per minute and USD budgets, shared through a {@link CounterStore}. */
export interface RateLimiter {
  /**
   * Checks every limit of `keyName` and, if all have room, charges one request and the estimate.
   * Returns `undefined` for keys without limits.
   * @throws GatewayError `policy_rate_limited` (requests or tokens) or `policy_budget_exceeded`, with `retryAfterSeconds`.
   */
  reserve(keyName: string, estimate: LimitAmounts): Promise<Reservation | undefined>;
  /** Replaces the estimate by the actual usage (the request stays counted). */
  settle(reservation: Reservation, actual: LimitAmounts): Promise<void>;
  /** The call failed before using anything billable: gives tokens and USD back (the request stays counted). */
  release(reservation: Reservation): Promise<void>;
  limitsFor(keyName: string): KeyLimits | undefined;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  readonly counters: CounterStore;
  /** Limits by key name; a function is read on every request, so a config reload applies at once. */
  readonly limits: ReadonlyMap<string, KeyLimits> | (() => ReadonlyMap<string, KeyLimits>);
  /** Epoch-ms clock for budget periods (default `Date.now`); counter windows use the store's clock. */
  readonly now?: () => number;
}

const MINUTE_MS = 60_000;

function toMicroUsd(usd: number): number {
  return Number.isFinite(usd) && usd > 0 ? Math.round(usd * 1_000_000) : 0;
}

function toTokens(tokens: number): number {
  return Number.isFinite(tokens) && tokens > 0 ? Math.round(tokens) : 0;
}

function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/**
 * Creates the limiter. Requests and tokens use one-minute sliding windows (the sliding window
 * counter: no burst of twice the limit at a minute boundary); budgets use fixed UTC calendar
 * windows. All counters of a key are checked and charged in one atomic step, so concurrent
 * replicas can never jointly exceed a limit. An estimate larger than a whole limit is clamped to
 * it: such a request goes through only when the window is otherwise empty, instead of never.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const limitsNow = (): ReadonlyMap<string, KeyLimits> => (typeof options.limits === 'function' ? options.limits() : options.limits);
  const limitsFor = (name: string): KeyLimits | undefined => limitsNow().get(name);

  const refusal = (name: string, limits: KeyLimits, kind: 'rpm' | 'tpm' | 'budget', retryAfterMs: number): GatewayError => {
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    if (kind === 'budget') {
      const period = limits.budgetPeriod ?? 'month';
      return new GatewayError(
        'policy_budget_exceeded',
        `Gateway key '${name}' has used its budget of ${formatUsd(limits.budgetUsd ?? 0)} per ${period}; it renews in ${retryAfterSeconds} s.`,
        { retryAfterSeconds },
      );
    }
    const what = kind === 'rpm' ? `${limits.rpm ?? 0} requests per minute` : `${limits.tpm ?? 0} tokens per minute`;
    return new GatewayError('policy_rate_limited', `Gateway key '${name}' is over its limit of ${what}; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  };

  const settle = async (reservation: Reservation, actual: LimitAmounts): Promise<void> => {
    const changes: Array<{ slot: CounterSlot; delta: number }> = [];
    if (reservation.tokenSlot) changes.push({ slot: reservation.tokenSlot, delta: toTokens(actual.tokens) - reservation.tokens });
    if (reservation.budgetSlot) changes.push({ slot: reservation.budgetSlot, delta: toMicroUsd(actual.costUsd) - reservation.microUsd });
    if (changes.some((c) => c.delta !== 0)) await options.counters.adjust(changes);
  };

  return {
    limitsFor,
    async reserve(name, estimate) {
      const limits = limitsFor(name);
      if (limits === undefined) return undefined;
      const specs: CounterSpec[] = [];
      const kinds: Array<'rpm' | 'tpm' | 'budget'> = [];
      const window = { kind: 'sliding', ms: MINUTE_MS } as const;
      let tokens = 0;
      let microUsd = 0;
      if (limits.rpm !== undefined) {
        specs.push({ key: `rpm:${name}`, limit: limits.rpm, cost: 1, window });
        kinds.push('rpm');
      }
      if (limits.tpm !== undefined) {
        tokens = Math.min(toTokens(estimate.tokens), limits.tpm);
        specs.push({ key: `tpm:${name}`, limit: limits.tpm, cost: tokens, window });
        kinds.push('tpm');
      }
      if (limits.budgetUsd !== undefined) {
        const period = limits.budgetPeriod ?? 'month';
        const limit = toMicroUsd(limits.budgetUsd);
        microUsd = Math.min(toMicroUsd(estimate.costUsd), limit);
        const { start, end } = budgetWindow(period, now());
        specs.push({ key: `usd:${period}:${name}`, limit, cost: microUsd, window: { kind: 'fixed', start, end } });
        kinds.push('budget');
      }
      const result = await options.counters.consume(specs);
      if (!result.allowed) throw refusal(name, limits, kinds[result.refusedIndex ?? 0] ?? 'rpm', result.retryAfterMs);
      const tokenSlot = limits.tpm === undefined ? undefined : result.slots[kinds.indexOf('tpm')];
      const budgetSlot = limits.budgetUsd === undefined ? undefined : result.slots[kinds.indexOf('budget')];
      return { keyName: name, tokens, microUsd, ...(tokenSlot ? { tokenSlot } : {}), ...(budgetSlot ? { budgetSlot } : {}) };
    },
    settle,
    release: (reservation) => settle(reservation, { tokens: 0, costUsd: 0 }),
  };
}
