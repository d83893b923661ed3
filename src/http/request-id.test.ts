import { describe, expect, it } from 'vitest';
import { newRequestId } from './request-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds in a version 7 UUID's first 48 bits. */
const timeOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newRequestId', () => {
  it('is a UUID version 7 with the RFC 9562 variant, carrying the time it was made', () => {
    const at = Date.UTC(2026, 10, 28, 4, 45, 0, 123);
    const id = newRequestId(at);
    expect(id).toMatch(V7);
    expect(timeOf(id)).toBe(at);
    const now = Date.now();
    expect(Math.abs(timeOf(newRequestId()) - now)).toBeLessThan(1000);
  });

  it('encodes the whole 48-bit time range', () => {
    expect(timeOf(newRequestId(0))).toBe(0);
    expect(timeOf(newRequestId(2 ** 48 - 1))).toBe(2 ** 48 - 1);
    expect(newRequestId(0x0123456789ab).slice(0, 13)).toBe('01234567-89ab');
  });

  it('sorts by time: ids made later compare greater as strings', () => {
    const ids = Array.from({ length: 200 }, (_, i) => newRequestId(1_800_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
  });

  it('does not repeat (the random part crosses refills of its byte pool)', () => {
    const at = 1_800_000_000_000;
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) seen.add(newRequestId(at));
    expect(seen.size).toBe(50_000);
    // Every random nibble position takes many values, so no byte of the pool is stuck.
    const fifth = new Set([...seen].map((id) => id.slice(24, 26)));
    expect(fifth.size).toBeGreaterThan(200);
  });
});
