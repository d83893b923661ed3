/**
 * `npx tsx bench/sqlite-request-ids.ts [--rows N]`: inserts decision rows (the gateway's shape and
 * schema, 16 KB pages, WAL, the decision logger's batches of 32) into one fresh database keyed by
 * random version 4 UUIDs and into another keyed by the gateway's version 7 request ids (time
 * first, one millisecond apart, as at 1,000 requests/s), and prints the insert time per row for
 * every 64,000 rows: what the primary key's order costs as the table grows.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newRequestId } from '../src/http/request-id.js';
import { decisionRow, openDecisionDb, timedInsert32 } from './decision-rows.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '320000' } } });
const total = Number(values.rows);
const step = 64_000;
if (!Number.isInteger(total) || total < step) throw new Error(`--rows must be an integer of at least ${step}`);
const dir = mkdtempSync(join(tmpdir(), 'heimdall-request-ids-'));

function run(kind: 'v4' | 'v7'): string {
  const path = join(dir, `${kind}.db`);
  const { db, insert32 } = openDecisionDb(path, 16384);
  const marks: string[] = [];
  let ns = 0n;
  let rows = 0;
  for (let b = 0; b < Math.floor(total / 32); b++) {
    ns += timedInsert32(insert32, (i) => {
      const at = 1_800_000_000_000 + b * 32 + i;
      return decisionRow(kind === 'v7' ? newRequestId(at) : randomUUID(), at);
    });
    rows += 32;
    if (((b + 1) * 32) % step === 0) {
      marks.push(`${((b + 1) * 32) / 1000}k: ${(Number(ns) / rows / 1000).toFixed(1)}`);
      ns = 0n;
      rows = 0;
    }
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return `${kind} request ids: us per row, by rows inserted so far: ${marks.join(', ')} (file ${(statSync(path).size / 1e6).toFixed(0)} MB)`;
}

try {
  for (const kind of ['v4', 'v7'] as const) console.log(run(kind));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
