/**
 * `npx tsx bench/sqlite-page-size.ts [--rows N]`: inserts decision rows shaped like the gateway's
 * (~2.3 KB: a 1.7 KB decision JSON, a 64-float embedding in base64, the features) into fresh SQLite
 * databases in WAL mode with the decisions schema, in the decision logger's batches of 32, at
 * page sizes of 4 KB (SQLite's default), 8 KB and 16 KB; prints the insert time per row and the
 * file size, each page size twice, interleaved.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decisionRow, openDecisionDb, timedInsert32 } from './decision-rows.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '64000' } } });
const total = Number(values.rows);
const dir = mkdtempSync(join(tmpdir(), 'heimdall-page-size-'));

function run(pageSize: number): string {
  const path = join(dir, `p${pageSize}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const { db, insert32: insert } = openDecisionDb(path, pageSize);
  let ns = 0n;
  for (let b = 0; b < total / 32; b++) ns += timedInsert32(insert, (i) => decisionRow(randomUUID(), 1_800_000_000_000 + b * 32 + i));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return `page_size ${String(pageSize).padStart(5)}: ${(Number(ns) / total / 1000).toFixed(1)} us per row, ${(statSync(path).size / 1e6).toFixed(0)} MB for ${total} rows`;
}

try {
  for (let round = 0; round < 2; round++) for (const pageSize of [4096, 8192, 16384]) console.log(run(pageSize));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
