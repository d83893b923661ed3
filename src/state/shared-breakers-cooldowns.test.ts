import { describe, expect, it } from 'vitest';
import { createMemorySharedState } from './memory-shared-state.js';
import { createSharedCircuitBreakers } from './shared-circuit-breakers.js';
import { createSharedClientCooldowns } from './shared-client-cooldowns.js';
import type { CircuitState } from './shared-state.js';

const POLICY = { failureThreshold: 4, coolOffMs: 30_000, windowMs: 60_000, probeLeaseMs: 10_000 };

/** Two replicas' breakers over one store, with a hand-moved clock. */
function twoReplicas(refreshMs = 1_000) {
  const clock = { t: 1_000_000 };
  const now = (): number => clock.t;
  const store = createMemorySharedState({ now }).circuits;
  const changes: Array<[string, string, CircuitState]> = [];
  const make = (name: string) => createSharedCircuitBreakers(store, { policy: POLICY, now, refreshMs, onStateChange: (k, s) => changes.push([name, k, s]) });
  return { clock, store, a: make('a'), b: make('b'), changes };
}

describe('createSharedCircuitBreakers', () => {
  it('counts failures from every replica toward one breaker, and the others learn it on their next use', async () => {
    const { a, b, changes } = twoReplicas();
    a.recordFailure('openai/gpt');
    b.recordFailure('openai/gpt');
    a.recordFailure('openai/gpt');
    await a.flush();
    await b.flush();
    expect(a.state('openai/gpt')).toBe('closed');
    b.recordFailure('openai/gpt');
    await b.flush();
    // The fourth failure, on B, opened the shared breaker.
    expect(b.state('openai/gpt')).toBe('open');
    expect(b.tryAcquire('openai/gpt')).toBe(false);
    // A's mirror still says closed: this use goes through and refreshes A from the store.
    expect(a.tryAcquire('openai/gpt')).toBe(true);
    await a.flush();
    expect(a.state('openai/gpt')).toBe('open');
    expect(a.tryAcquire('openai/gpt')).toBe(false);
    expect(changes).toEqual([
      ['b', 'openai/gpt', 'open'],
      ['a', 'openai/gpt', 'open'],
    ]);
  });

  it('lets exactly one replica probe after the cool-off, and closes everywhere on its success', async () => {
    const { clock, a, b } = twoReplicas();
    for (let i = 0; i < 4; i++) a.recordFailure('t');
    await a.flush();
    clock.t += 1_000;
    b.tryAcquire('t');
    await b.flush();
    clock.t += 30_000;
    expect(a.state('t')).toBe('half-open');
    // Both notice the end of the cool-off; the store grants the probe slot to one of them.
    expect(a.tryAcquire('t')).toBe(false);
    expect(b.tryAcquire('t')).toBe(false);
    await a.flush();
    await b.flush();
    const admitted = [a.tryAcquire('t'), b.tryAcquire('t')];
    expect(admitted.filter(Boolean)).toHaveLength(1);
    const prober = admitted[0] === true ? a : b;
    const other = prober === a ? b : a;
    prober.recordSuccess('t');
    await prober.flush();
    expect(prober.state('t')).toBe('closed');
    clock.t += 1_000;
    other.tryAcquire('t');
    await other.flush();
    expect(other.state('t')).toBe('closed');
    expect(other.tryAcquire('t')).toBe(true);
  });

  it('writes nothing for successes on healthy targets', async () => {
    const { a, store } = twoReplicas(0);
    let writes = 0;
    const counting = createSharedCircuitBreakers(
      {
        ...store,
        recordSuccess: (k, p) => {
          writes++;
          return store.recordSuccess(k, p);
        },
      },
      { policy: POLICY, refreshMs: 0 },
    );
    for (let i = 0; i < 100; i++) counting.recordSuccess('healthy');
    expect(writes).toBe(0);
    counting.recordFailure('healthy');
    counting.recordSuccess('healthy');
    await counting.flush();
    expect(writes).toBe(1);
    expect(a.snapshot()).toEqual([]);
  });
});

describe('createSharedClientCooldowns', () => {
  it('shares a cooldown started on one replica with the others, by token digest', async () => {
    const clock = { t: 5_000_000 };
    const now = (): number => clock.t;
    const state = createMemorySharedState({ now });
    const a = createSharedClientCooldowns(state.cooldowns, { now });
    const b = createSharedClientCooldowns(state.cooldowns, { now });
    const token = 'sk-ant-oat01-client-token';
    a.start(token, 240_000);
    await a.flush();
    expect(a.remainingMs(token)).toBe(240_000);
    // B has not heard of it yet: its first look asks the store, the next one knows.
    expect(b.remainingMs(token)).toBe(0);
    await b.flush();
    expect(b.remainingMs(token)).toBe(240_000);
    clock.t += 240_000;
    expect(b.remainingMs(token)).toBe(0);
    // The store never holds the token itself.
    expect(await state.cooldowns.isCoolingDown(token)).toBe(false);
  });
});
