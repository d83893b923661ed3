/**
 * `npx tsx bench/sqlite-decision-commits.ts [--rows N]`: what one decision row costs the SQLite
 * writer (CPU of this process, user and system, and wall), for the ways a batch could be committed:
 * one 32-row INSERT on its own (autocommit), 32 and 128 rows in a transaction (as the store writes
 * a batch of several statements), each of these with the statement journals in memory
 * (`temp_store = MEMORY`), and without the `decisions_artifact` index. Fresh WAL databases with the
 * gateway's schema and pragmas, rows keyed by the gateway's time-ordered request ids (three a
 * millisecond); each variant twice, interleaved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DECISION_COLUMNS } from '../src/store/create-sql-store.js';
import { MIGRATIONS, migrationStatements } from '../src/store/migrations.js';
import { newRequestId } from '../src/http/request-id.js';
import { SQLITE_PRAGMAS } from '../src/store/sqlite-pragmas.js';
import { decisionRow } from './decision-rows.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '64000' } } });
const total = Number(values.rows);
const dir = mkdtempSync(join(tmpdir(), 'heimdall-commits-'));

interface Variant {
  readonly name: string;
  readonly perCommit: number;
  /** One statement without a transaction around it (only with `perCommit` 32). */
  readonly autocommit?: boolean;
  readonly tempStoreMemory?: boolean;
  readonly dropArtifactIndex?: boolean;
}

function run(v: Variant, round: number): string {
  const path = join(dir, `v${variants.indexOf(v)}-${round}.db`);
  const db = new Database(path);
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  if (v.tempStoreMemory === true) db.pragma('temp_store = MEMORY');
  for (const migration of MIGRATIONS) for (const statement of migrationStatements(migration)) db.exec(statement);
  if (v.dropArtifactIndex === true) db.exec('DROP INDEX decisions_artifact');
  const row = `(${DECISION_COLUMNS.map(() => '?').join(', ')})`;
  const insert32 = db.prepare(`INSERT INTO decisions (${DECISION_COLUMNS.join(', ')}) VALUES ${Array(32).fill(row).join(', ')} ON CONFLICT (request_id) DO NOTHING`);
  const inTransaction = db.transaction((batches: Array<Array<string | number | null>>) => {
    for (const params of batches) insert32.run(...params);
  });
  const commit =
    v.autocommit === true
      ? (batches: Array<Array<string | number | null>>) => {
          for (const params of batches) insert32.run(...params);
        }
      : inTransaction;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  while (n < total) {
    const batches: Array<Array<string | number | null>> = [];
    for (let s = 0; s < v.perCommit / 32; s++) {
      const params: Array<string | number | null> = [];
      for (let i = 0; i < 32; i++, n++) params.push(...decisionRow(newRequestId(1_800_000_000_000 + Math.floor(n / 3)), 1_800_000_000_000 + Math.floor(n / 3)));
      batches.push(params);
    }
    commit(batches);
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1000 / total;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return `${v.name.padEnd(24)} cpu ${((cpu.user + cpu.system) / total).toFixed(1).padStart(5)} us/row (sys ${(cpu.system / total).toFixed(1).padStart(4)})  wall ${wall.toFixed(1).padStart(5)} us/row`;
}

const variants: Variant[] = [
  { name: '32, autocommit', perCommit: 32, autocommit: true },
  { name: '32 in a transaction', perCommit: 32 },
  { name: '32, temp_store memory', perCommit: 32, tempStoreMemory: true },
  { name: '128 in a transaction', perCommit: 128 },
  { name: '128, temp_store memory', perCommit: 128, tempStoreMemory: true },
  { name: '32, no artifact index', perCommit: 32, dropArtifactIndex: true },
];
try {
  for (let round = 0; round < 2; round++) for (const v of variants) console.log(run(v, round));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
