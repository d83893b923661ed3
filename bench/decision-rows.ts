/** Decision rows shaped like the gateway's, and fresh SQLite databases with its schema, for the SQLite benches. */
import Database from 'better-sqlite3';
import { DECISION_COLUMNS } from '../src/store/create-sql-store.js';
import { MIGRATIONS, migrationStatements } from '../src/store/migrations.js';

// ~2.3 KB a row: a 1.7 KB decision JSON, a 64-float embedding in base64, the features.
const decision = JSON.stringify({ candidates: 'c'.repeat(1650) });
const features = JSON.stringify({ f: 'z'.repeat(100) });
const embedding = Buffer.alloc(256, 7).toString('base64');

/** One row's values in `DECISION_COLUMNS` order. */
export function decisionRow(requestId: string, createdAt: number): Array<string | number | null> {
  return [requestId, createdAt, 'hm1-abc', 1, 'auto', 'mid', 'model-name', 'openrouter/x/y', 'openrouter', null, null, features, embedding, decision, '[]', 21.2, 0.12, 20, 30, 0.00001, 'ok', null, 'a'.repeat(64), null];
}

/** A new database at `path` in WAL mode with the gateway's schema, and the decision logger's 32-row INSERT. */
export function openDecisionDb(path: string, pageSize: number): { db: Database.Database; insert32: Database.Statement } {
  const db = new Database(path);
  db.pragma(`page_size = ${pageSize}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const migration of MIGRATIONS) for (const statement of migrationStatements(migration)) db.exec(statement);
  const row = `(${DECISION_COLUMNS.map(() => '?').join(', ')})`;
  const insert32 = db.prepare(`INSERT INTO decisions (${DECISION_COLUMNS.join(', ')}) VALUES ${Array(32).fill(row).join(', ')} ON CONFLICT (request_id) DO NOTHING`);
  return { db, insert32 };
}

/** Runs `insert32` once with the rows `row(0)` to `row(31)`; resolves to the time the insert alone took, in ns. */
export function timedInsert32(insert32: Database.Statement, row: (i: number) => Array<string | number | null>): bigint {
  const params: Array<string | number | null> = [];
  for (let i = 0; i < 32; i++) params.push(...row(i));
  const t0 = process.hrtime.bigint();
  insert32.run(...params);
  return process.hrtime.bigint() - t0;
}
