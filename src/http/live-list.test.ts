import { describe, expect, it } from 'vitest';
import { LiveList } from './live-list.js';

describe('LiveList', () => {
  it('adds and deletes in any order, keeping insertion order and the size', () => {
    const list = new LiveList<string>();
    const a = list.add('a');
    const b = list.add('b');
    const c = list.add('c');
    const d = list.add('d');
    expect(list.values()).toEqual(['a', 'b', 'c', 'd']);
    expect(list.delete(b)).toBe(true);
    expect(list.values()).toEqual(['a', 'c', 'd']);
    expect(list.delete(a)).toBe(true);
    expect(list.delete(d)).toBe(true);
    expect(list.values()).toEqual(['c']);
    expect(list.size).toBe(1);
    expect(list.delete(c)).toBe(true);
    expect(list.size).toBe(0);
    expect(list.values()).toEqual([]);
    const e = list.add('e');
    expect(list.values()).toEqual(['e']);
    expect(e.value).toBe('e');
  });

  it('ignores a second delete of the same entry and forgets the item', () => {
    const list = new LiveList<{ id: number }>();
    const first = list.add({ id: 1 });
    list.add({ id: 2 });
    expect(list.delete(first)).toBe(true);
    expect(list.delete(first)).toBe(false);
    expect(list.size).toBe(1);
    expect(first.value).toBeUndefined();
    expect(list.values()).toEqual([{ id: 2 }]);
  });

  it('lets a walk over entries() delete what it visits, and other entries too', () => {
    const list = new LiveList<number>();
    const entries = [1, 2, 3, 4, 5, 6].map((n) => list.add(n));
    const seen: number[] = [];
    for (const e of list.entries()) {
      if (e.value === undefined) continue;
      seen.push(e.value);
      list.delete(e);
      if (e === entries[1]) list.delete(entries[2]!);
    }
    expect(seen).toEqual([1, 2, 4, 5, 6]);
    expect(list.size).toBe(0);
  });

  it('matches a Set under a random sequence of adds and deletes', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const list = new LiveList<number>();
    const model = new Map<number, ReturnType<LiveList<number>['add']>>();
    for (let i = 0; i < 5_000; i++) {
      if (model.size > 0 && rand() < 0.45) {
        const keys = [...model.keys()];
        const k = keys[Math.floor(rand() * keys.length)]!;
        expect(list.delete(model.get(k)!)).toBe(true);
        model.delete(k);
      } else {
        model.set(i, list.add(i));
      }
      expect(list.size).toBe(model.size);
    }
    expect(list.values()).toEqual([...model.keys()]);
    list.clear();
    expect(list.size).toBe(0);
    expect(list.values()).toEqual([]);
  });
});
