import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

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

  it('rejects nonsense capacities', () => {
    expect(() => new LruCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new LruCache({ maxEntries: 2, ttlMs: -1 })).toThrow(RangeError);
  });
});
