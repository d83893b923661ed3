import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayError } from '../errors/gateway-error.js';
import type { SqlDriver, SqlRow, SqlValue } from './sql-driver.js';

/**
 * SQLite through better-sqlite3. WAL mode lets readers (the CLI) run while the gateway writes;
 * `busy_timeout` makes a second process wait for the write lock instead of failing.
 *
 * better-sqlite3 is synchronous and has one connection, so a transaction that awaits between its
 * statements would otherwise let unrelated statements run inside it. Every call therefore goes
 * through one FIFO lock, and the transaction body gets a driver that bypasses it.
 */
export function openSqliteDriver(path: string): SqlDriver {
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints, not on every commit: a power loss can lose the last
    // batches of decision logs, never corrupt the database, and each insert costs a fraction.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    throw new GatewayError('gateway_unavailable', `storage sqlite:${path} cannot be opened: ${(err as Error).message}`, { cause: err });
  }
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let stmt = statements.get(sql);
    if (stmt === undefined) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  let tail: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };
  const inner: SqlDriver = {
    dialect: 'sqlite',
    query: (sql, params = []) => call(() => prepare(sql).all(...(params as SqlValue[])) as SqlRow[]),
    run: (sql, params = []) => call(() => prepare(sql).run(...(params as SqlValue[])).changes),
    exec: (sql) => call(() => void db.exec(sql)),
    transaction: (fn) => fn(inner),
    close: () => Promise.resolve(),
  };
  return {
    dialect: 'sqlite',
    query: (sql, params) => locked(() => inner.query(sql, params)),
    run: (sql, params) => locked(() => inner.run(sql, params)),
    exec: (sql) => locked(() => inner.exec(sql)),
    transaction: (fn) =>
      locked(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(inner);
          db.exec('COMMIT');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      }),
    close: () => locked(() => call(() => void db.close())),
  };
}

function call<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
