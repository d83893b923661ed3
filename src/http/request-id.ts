import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex = (byte: number): string => HEX[byte & 0xff] as string;
// Random bytes are drawn 4 KiB at a time, as node's randomUUID does, not one syscall per id.
const pool = Buffer.alloc(4096);
let offset = pool.length;

/**
 * A new request id: a UUID version 7 (RFC 9562), i.e. 48 bits of Unix time in milliseconds, then
 * 74 random bits. Ids of requests that arrive later sort later, so the decision log's primary key
 * grows at its end instead of at random places: inserting decision rows into SQLite took a flat
 * ~16 us a row with time-ordered keys, against 23 us rising to 46 us over 320,000 rows with random
 * v4 UUIDs (bench/sqlite-request-ids.ts; docs/benchmarks.md, "Session 7").
 */
export function newRequestId(nowMs: number = Date.now()): string {
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = offset;
  offset += 10;
  const ms = Math.max(0, Math.floor(nowMs));
  const high = Math.floor(ms / 0x1000000) % 0x1000000;
  const low = ms % 0x1000000;
  const b = (i: number): number => pool[r + i] as number;
  return (
    hex(high >>> 16) + hex(high >>> 8) + hex(high) + hex(low >>> 16) + '-' +
    hex(low >>> 8) + hex(low) + '-' +
    hex(0x70 | (b(0) & 0x0f)) + hex(b(1)) + '-' +
    hex(0x80 | (b(2) & 0x3f)) + hex(b(3)) + '-' +
    hex(b(4)) + hex(b(5)) + hex(b(6)) + hex(b(7)) + hex(b(8)) + hex(b(9))
  );
}
