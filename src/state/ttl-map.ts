/**
 * A bounded map whose entries expire at their own deadline. Expired entries are dropped when read
 * and swept when the map reaches capacity; if it is still full of live entries, the oldest go.
 */
export class TtlMap<V> {
  private readonly map = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly now: () => number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Milliseconds left for `key` (0 when absent or expired). */
  remainingMs(key: string): number {
    const e = this.map.get(key);
    if (e === undefined) return 0;
    const left = e.expiresAt - this.now();
    if (left <= 0) {
      this.map.delete(key);
      return 0;
    }
    return left;
  }

  set(key: string, value: V, ttlMs: number): void {
    const t = this.now();
    if (!this.map.has(key) && this.map.size >= this.maxEntries) this.sweep(t);
    this.map.delete(key);
    this.map.set(key, { value, expiresAt: t + ttlMs });
  }

  /** Replaces the value and keeps the deadline; false when absent or expired. */
  update(key: string, value: V): boolean {
    const e = this.map.get(key);
    if (e === undefined || e.expiresAt <= this.now()) return false;
    e.value = value;
    return true;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  private sweep(t: number): void {
    for (const [k, e] of this.map) if (e.expiresAt <= t) this.map.delete(k);
    while (this.map.size >= this.maxEntries) {
      const oldest = this.map.keys().next();
      if (oldest.done === true) break;
      this.map.delete(oldest.value);
    }
  }
}
