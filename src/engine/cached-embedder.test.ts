import { describe, expect, it } from 'vitest';
import type { Embedder } from '../types/embedder.js';
import { createCachedEmbedder } from './cached-embedder.js';

/** An embedder that counts its calls and returns a vector made from the text's length. */
function countingEmbedder(): Embedder & { calls: number } {
  const e = {
    id: 'counting',
    dim: 2,
    calls: 0,
    embed(text: string): Float32Array {
      e.calls++;
      return new Float32Array([text.length, 1]);
    },
  };
  return e;
}

describe('createCachedEmbedder', () => {
  it('caches every vector with admission all', () => {
    const inner = countingEmbedder();
    const cached = createCachedEmbedder(inner, 10);
    const first = cached.embed('hello');
    expect(cached.embed('hello')).toBe(first);
    expect(inner.calls).toBe(1);
    expect(cached.stats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });

  it('caches a vector only when its text comes back with admission repeat', () => {
    const inner = countingEmbedder();
    const cached = createCachedEmbedder(inner, 10, undefined, 'repeat');
    for (let i = 0; i < 5; i++) cached.embed(`one-off prompt ${i}`);
    expect(cached.stats().size).toBe(0);
    const second = cached.embed('one-off prompt 3');
    expect(cached.stats().size).toBe(1);
    expect(cached.embed('one-off prompt 3')).toBe(second);
    expect(inner.calls).toBe(6);
    expect(Array.from(second)).toEqual(['one-off prompt 3'.length, 1]);
  });

  it('stays bounded, evicting the least recently used vector', () => {
    const cached = createCachedEmbedder(countingEmbedder(), 2);
    for (const t of ['a', 'bb', 'ccc', 'a']) cached.embed(t);
    expect(cached.stats()).toMatchObject({ size: 2, evictions: 2 });
  });
});
