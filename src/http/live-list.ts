/** One item of a {@link LiveList}: the handle `add` returns and `delete` takes. */
export interface LiveEntry<T> {
  /** The item; undefined once deleted. */
  readonly value: T | undefined;
}

interface Node<T> extends LiveEntry<T> {
  value: T | undefined;
  linked: boolean;
  prev: Node<T> | undefined;
  next: Node<T> | undefined;
}

/**
 * The items in flight (requests, deadlines): O(1) `add` and `delete` on a doubly linked list, and
 * a deleted entry keeps no reference to its item or its neighbours.
 *
 * Why not a `Set`: a long-lived `Set` or `Map` with one insert and one delete per request keeps
 * its old hash tables, which still point at the entries they held, until a full GC; V8's
 * young-generation GC takes those pointers for live ones, so every finished request reachable
 * from an entry (a `ServerResponse` reaches the whole request) was copied and then promoted to
 * the old generation. With the gateway's in-flight responses in a `Set` (and its deadlines in a
 * `Map`), 7.6% of what a request allocated was promoted and scavenges paused 2.6 ms on average;
 * with this list, 4.2% and 2.0-2.2 ms (`npm run bench:gateway -- --gc-stats`, docs/benchmarks.md).
 */
export class LiveList<T> {
  #first: Node<T> | undefined;
  #last: Node<T> | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(value: T): LiveEntry<T> {
    const node: Node<T> = { value, linked: true, prev: this.#last, next: undefined };
    if (this.#last === undefined) this.#first = node;
    else this.#last.next = node;
    this.#last = node;
    this.#size++;
    return node;
  }

  /** Removes `entry`; false when it was already removed. */
  delete(entry: LiveEntry<T>): boolean {
    const node = entry as Node<T>;
    if (!node.linked) return false;
    node.linked = false;
    if (node.prev === undefined) this.#first = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.#last = node.prev;
    else node.next.prev = node.prev;
    node.value = undefined;
    node.prev = undefined;
    node.next = undefined;
    this.#size--;
    return true;
  }

  /** A snapshot, oldest first: deleting entries while walking it is safe. */
  values(): T[] {
    const out: T[] = [];
    for (let n = this.#first; n !== undefined; n = n.next) out.push(n.value as T);
    return out;
  }

  /** The entries themselves (oldest first, snapshot), for callers that delete what they visit. */
  entries(): LiveEntry<T>[] {
    const out: LiveEntry<T>[] = [];
    for (let n = this.#first; n !== undefined; n = n.next) out.push(n);
    return out;
  }

  clear(): void {
    for (const e of this.entries()) this.delete(e);
  }
}
