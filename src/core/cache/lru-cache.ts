/** Options of {@link LruCache}. */
export interface LruCacheOptions {
  /** Maximum number of entries; the least recently used one is evicted beyond it. */
  readonly maxEntries: number;
  /** Entries older than this (since their last `set`) read as misses. Omit for no expiry. */
  readonly ttlMs?: number;
  /** Clock used when a call passes no `nowMs` (the core reads no clock itself). */
  readonly now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded least-recently-used cache with optional TTL. O(1) `get`/`set`: a `Map` keeps
 * insertion order, and a hit re-inserts the key to mark it most recent. Time comes from the
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
  private readonly map = new Map<K, Entry<V>>();
  private readonly now: (() => number) | undefined;

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
      this.map.delete(key);
      this.expirations++;
      this.misses++;
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, entry);
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
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, { value, expiresAt });
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next();
      if (oldest.done === true) break;
      this.map.delete(oldest.value);
      this.evictions++;
    }
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Drops every entry; counters are kept (they describe the cache's lifetime). */
  clear(): void {
    this.map.clear();
  }

  private time(nowMs: number | undefined): number | undefined {
    return nowMs ?? this.now?.();
  }

  private isExpired(entry: Entry<V>, nowMs: number | undefined): boolean {
    if (entry.expiresAt === Infinity) return false;
    const time = this.time(nowMs);
    return time !== undefined && time >= entry.expiresAt;
  }
}
