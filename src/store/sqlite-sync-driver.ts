import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lockDriver } from './lock-driver.js';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';
import { SQLITE_PRAGMAS } from './sqlite-pragmas.js';

interface Statement {
  all(...params: readonly SqlValue[]): SqlRow[];
  run(...params: readonly SqlValue[]): { changes: number };
}
interface Database {
  prepare(sql: string): Statement;
  pragma(sql: string): unknown;
  exec(sql: string): void;
  transaction(fn: () => void): () => void;
  close(): void;
  readonly inTransaction: boolean;
}
type DatabaseConstructor = new (path: string) => Database;

const OPEN_RETRY_MS = 5_000;

async function openDatabase(path: string): Promise<Database> {
  const Database = createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // Processes opening a new database at the same moment race to switch it to WAL, and SQLite can
  // answer SQLITE_BUSY to that without calling the busy handler: the loser retries.
  const deadline = Date.now() + OPEN_RETRY_MS;
  for (;;) {
    let db: Database | undefined;
    try {
      db = new Database(path);
      for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
      return db;
    } catch (err) {
      try {
        db?.close();
      } catch {
        // The open error is the one to report.
      }
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      await sleep(10 + Math.floor(Math.random() * 40));
    }
  }
}

/**
 * better-sqlite3 on the calling thread: each statement runs to completion inside the call (the
 * promise is only the {@link SqlDriver} shape), so nothing a call carries outlives it. For the
 * cluster primary, whose event loop serves no requests, where the thread of
 * {@link openSqliteWorkerDriver} would be one more V8 isolate in memory. Calls run one at a time
 * through a FIFO lock, which a transaction holds until it ends.
 */
export function openSqliteSyncDriver(path: string): SqlDriver {
  let openFailed = false;
  const open = (): Promise<Database> => {
    const database = openDatabase(path);
    // Observed here, so that a failed open is reported by the calls waiting on it, never as unhandled.
    database.catch(() => {
      if (opened === database) openFailed = true;
    });
    return database;
  };
  let opened = open();
  let closed = false;
  // A failed open fails the calls waiting on it, and the next call opens again: the primary
  // outlives its workers, and a replacement must not inherit a failure that has since gone away.
  const on = <T>(fn: (db: Database) => T): Promise<T> => {
    if (openFailed && !closed) {
      openFailed = false;
      opened = open();
    }
    return opened.then(fn);
  };
  const statements = new Map<string, Statement>();
  const prepare = (db: Database, sql: string): Statement => {
    let stmt = statements.get(sql);
    if (stmt === undefined) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const inner: SqlDriver = {
    dialect: 'sqlite',
    query: (sql, params = []) => on((db) => prepare(db, sql).all(...params)),
    run: (sql, params = []) => on((db) => prepare(db, sql).run(...params).changes),
    runAll: (list: readonly SqlStatement[]) =>
      on((db) => {
        let changed = 0;
        // A savepoint when a transaction is already open (runAll inside transaction()).
        db.transaction(() => {
          for (const s of list) changed += prepare(db, s.sql).run(...s.params).changes;
        })();
        return changed;
      }),
    exec: (sql) => on((db) => db.exec(sql)),
    transaction: (fn) => fn(inner),
    close: () => Promise.resolve(),
  };
  return lockDriver(
    inner,
    {
      begin: () => inner.exec('BEGIN IMMEDIATE'),
      driverIn: () => inner,
      commit: () => inner.exec('COMMIT'),
      rollback: () =>
        on((db) => {
          if (db.inTransaction) db.exec('ROLLBACK');
        }),
    },
    async () => {
      if (closed) return;
      closed = true;
      const db = await opened.catch(() => undefined);
      db?.close();
    },
  );
}
