import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

type Op = { kind: 'get' | 'set' | 'delete'; key: number; value: number } | { kind: 'clear' };

/** The obviously correct model: an array ordered from least to most recently used. */
function applyToModel(model: Array<[number, number]>, op: Op, max: number): number | boolean | undefined {
  if (op.kind === 'clear') {
    model.length = 0;
    return undefined;
  }
  const at = model.findIndex(([k]) => k === op.key);
  if (op.kind === 'get') {
    if (at === -1) return undefined;
    const [entry] = model.splice(at, 1);
    model.push(entry as [number, number]);
    return (entry as [number, number])[1];
  }
  if (op.kind === 'delete') {
    if (at !== -1) model.splice(at, 1);
    return at !== -1;
  }
  if (at !== -1) model.splice(at, 1);
  model.push([op.key, op.value]);
  while (model.length > max) model.shift();
  return undefined;
}

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now most recent
    cache.set('c', 3); // evicts b
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
    expect(cache.evictions).toBe(1);
  });

  it('refreshes recency on set of an existing key without evicting', () => {
    const cache = new LruCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect(cache.get('a')).toBe(10);
    expect(cache.has('b')).toBe(false);
    expect(cache.evictions).toBe(1);
  });

  it('expires entries after the TTL using the injected clock', () => {
    let now = 1000;
    const cache = new LruCache<string, string>({ maxEntries: 10, ttlMs: 100, now: () => now });
    cache.set('k', 'v');
    now = 1099;
    expect(cache.get('k')).toBe('v');
    now = 1100;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.expirations).toBe(1);
  });

  it('accepts explicit times instead of a clock', () => {
    const cache = new LruCache<string, string>({ maxEntries: 10, ttlMs: 50 });
    cache.set('k', 'v', 0);
    expect(cache.get('k', 49)).toBe('v');
    expect(cache.has('k', 50)).toBe(false);
    expect(cache.get('k', 50)).toBeUndefined();
  });

  it('counts hits and misses and clears entries', () => {
    const cache = new LruCache<number, number>({ maxEntries: 3 });
    cache.set(1, 1);
    cache.get(1);
    cache.get(2);
    cache.get(1);
    expect(cache.hits).toBe(2);
    expect(cache.misses).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.delete(1)).toBe(false);
  });

  it('behaves like a plain recency list under any sequence of operations', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constantFrom('get' as const, 'set' as const, 'delete' as const), key: fc.integer({ min: 0, max: 12 }), value: fc.integer() }),
      fc.constant({ kind: 'clear' as const }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 120 }), (max, ops) => {
        const cache = new LruCache<number, number>({ maxEntries: max });
        const model: Array<[number, number]> = [];
        for (const o of ops) {
          const expected = applyToModel(model, o, max);
          if (o.kind === 'get') expect(cache.get(o.key)).toBe(expected);
          else if (o.kind === 'delete') expect(cache.delete(o.key)).toBe(expected);
          else if (o.kind === 'set') cache.set(o.key, o.value);
          else cache.clear();
          expect(cache.size).toBe(model.length);
        }
        // Every key the model holds is in the cache, with its value.
        for (const [k, v] of model) {
          expect(cache.has(k)).toBe(true);
          expect(cache.get(k)).toBe(v);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects nonsense capacities', () => {
    expect(() => new LruCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new LruCache({ maxEntries: 2, ttlMs: -1 })).toThrow(RangeError);
  });
});
