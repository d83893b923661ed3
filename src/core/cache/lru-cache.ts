/** Options of {@link LruCache}. */
export interface LruCacheOptions {
  /** Maximum number of entries; the least recently used one is evicted beyond it. */
  readonly maxEntries: number;
  /** Entries older than this (since their last `set`) read as misses. Omit for no expiry. */
  readonly ttlMs?: number;
  /** Clock used when a call passes no `nowMs` (the core reads no clock itself). */
  readonly now?: () => number;
}

interface Entry<K, V> {
  readonly key: K;
  value: V;
  expiresAt: number;
  /** Towards the most recently used end. */
  newer: Entry<K, V> | undefined;
  /** Towards the least recently used end. */
  older: Entry<K, V> | undefined;
}

/**
 * A bounded least-recently-used cache with optional TTL. O(1) `get`/`set`: a `Map` finds the
 * entry and a doubly linked list keeps the recency order. (Evicting through the `Map`'s own
 * insertion order, `keys().next()` after deleting from the front, made V8 skip the deleted slots
 * at the front of its hash table on every insert: 18% of a routing decision.) Time comes from the
 * `nowMs` argument or the injected `now` clock; without either, TTL cannot apply and entries never
 * expire.
 */
export class LruCache<K, V> {
  readonly maxEntries: number;
  readonly ttlMs: number | undefined;
  hits = 0;
  misses = 0;
  /** Entries dropped to make room (not counting expiries). */
  evictions = 0;
  /** Entries found expired and dropped. */
  expirations = 0;
  private readonly map = new Map<K, Entry<K, V>>();
  private readonly now: (() => number) | undefined;
  private newest: Entry<K, V> | undefined;
  private oldest: Entry<K, V> | undefined;

  constructor(options: LruCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError(`LruCache maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
    if (options.ttlMs !== undefined && !(options.ttlMs > 0)) {
      throw new RangeError(`LruCache ttlMs must be positive, got ${options.ttlMs}`);
    }
    this.maxEntries = options.maxEntries;
    this.ttlMs = options.ttlMs;
    this.now = options.now;
  }

  /** Number of entries held (expired ones count until they are touched or evicted). */
  get size(): number {
    return this.map.size;
  }

  /** The value for `key`, refreshed as most recently used; `undefined` (a miss) if absent or expired. */
  get(key: K, nowMs?: number): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    if (this.isExpired(entry, nowMs)) {
      this.remove(entry);
      this.expirations++;
      this.misses++;
      return undefined;
    }
    if (entry !== this.newest) {
      this.unlink(entry);
      this.pushNewest(entry);
    }
    this.hits++;
    return entry.value;
  }

  /** True when `key` holds a live entry; does not touch recency or counters. */
  has(key: K, nowMs?: number): boolean {
    const entry = this.map.get(key);
    return entry !== undefined && !this.isExpired(entry, nowMs);
  }

  /** Stores `value` as the most recently used entry, evicting the least recently used beyond capacity. */
  set(key: K, value: V, nowMs?: number): this {
    const time = this.ttlMs === undefined ? undefined : this.time(nowMs);
    const expiresAt = this.ttlMs === undefined || time === undefined ? Infinity : time + this.ttlMs;
    const existing = this.map.get(key);
    if (existing !== undefined) {
      existing.value = value;
      existing.expiresAt = expiresAt;
      if (existing !== this.newest) {
        this.unlink(existing);
        this.pushNewest(existing);
      }
      return this;
    }
    const entry: Entry<K, V> = { key, value, expiresAt, newer: undefined, older: undefined };
    this.map.set(key, entry);
    this.pushNewest(entry);
    while (this.map.size > this.maxEntries && this.oldest !== undefined) {
      this.remove(this.oldest);
      this.evictions++;
    }
    return this;
  }

  delete(key: K): boolean {
    const entry = this.map.get(key);
    if (entry === undefined) return false;
    this.remove(entry);
    return true;
  }

  /** Drops every entry; counters are kept (they describe the cache's lifetime). */
  clear(): void {
    this.map.clear();
    this.newest = undefined;
    this.oldest = undefined;
  }

  private remove(entry: Entry<K, V>): void {
    this.map.delete(entry.key);
    this.unlink(entry);
  }

  private unlink(entry: Entry<K, V>): void {
    if (entry.newer === undefined) this.newest = entry.older;
    else entry.newer.older = entry.older;
    if (entry.older === undefined) this.oldest = entry.newer;
    else entry.older.newer = entry.newer;
    entry.newer = undefined;
    entry.older = undefined;
  }

  private pushNewest(entry: Entry<K, V>): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest === undefined) this.oldest = entry;
    else this.newest.newer = entry;
    this.newest = entry;
  }

  private time(nowMs: number | undefined): number | undefined {
    return nowMs ?? this.now?.();
  }

  private isExpired(entry: Entry<K, V>, nowMs: number | undefined): boolean {
    if (entry.expiresAt === Infinity) return false;
    const time = this.time(nowMs);
    return time !== undefined && time >= entry.expiresAt;
  }
}
