/**
 * `npx tsx bench/sqlite-cache-size.ts [--rows N]`: the decision log's writer at SQLite page-cache
 * sizes of 2 MB (SQLite's default, what the gateway's writer sets) and 16 MB (better-sqlite3's
 * build default). Inserts decision rows shaped like the gateway's, keyed by the gateway's own
 * time-ordered request ids, in the decision logger's batches of 32, into fresh WAL databases with
 * 16 KB pages; prints the insert time per row and the RSS the process gained, each size three
 * times, interleaved, each in a fresh process so that one run's memory is not the next one's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newRequestId } from '../src/http/request-id.js';
import { decisionRow, openDecisionDb, timedInsert32 } from './decision-rows.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, child: { type: 'string' } } });
const total = Number(values.rows);

if (values.child !== undefined) {
  const [path, cacheKb] = values.child.split(',') as [string, string];
  const rss0 = process.memoryUsage().rss;
  const { db, insert32: insert } = openDecisionDb(path, 16_384);
  db.pragma(`cache_size = -${cacheKb}`);
  let ns = 0n;
  const at = 1_800_000_000_000;
  for (let b = 0; b < total / 32; b++) ns += timedInsert32(insert, () => decisionRow(newRequestId(at + b), at + b));
  const gained = (process.memoryUsage().rss - rss0) / 1048576;
  db.close();
  console.log(`cache ${String(Number(cacheKb) / 1000).padStart(2)} MB: ${(Number(ns) / total / 1000).toFixed(1)} us per row, RSS +${gained.toFixed(1)} MB over ${total} rows`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'heimdall-cache-size-'));
  try {
    for (let round = 0; round < 3; round++) {
      for (const cacheKb of [2000, 16000]) {
        const path = join(dir, `c${cacheKb}-${round}.db`);
        const out = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, '--rows', String(total), '--child', `${path},${cacheKb}`], { encoding: 'utf8' });
        process.stdout.write(out);
        for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
