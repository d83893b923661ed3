import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { lockDriver } from './lock-driver.js';
import { SQLITE_PRAGMAS } from './sqlite-pragmas.js';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';

const NO_STATEMENTS: readonly SqlStatement[] = [];

/**
 * The worker's source: it owns the better-sqlite3 connection and runs one message at a time, in
 * order. Plain CommonJS evaluated as a string, so it needs no build step and runs the same from
 * src/ (tests, tsx) and dist/.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
let db;
let openError;
// Processes opening a new database at the same moment (the workers of one gateway) race to switch
// it to WAL, and SQLite can answer SQLITE_BUSY to that without calling the busy handler: the
// loser retries for up to 5 s instead of failing its gateway's start.
const openDeadline = Date.now() + 5000;
for (;;) {
  try {
    if (workerData.path !== ':memory:') require('node:fs').mkdirSync(require('node:path').dirname(workerData.path), { recursive: true });
    db = new Database(workerData.path);
    for (const pragma of workerData.pragmas) db.pragma(pragma);
    break;
  } catch (err) {
    try { if (db) db.close(); } catch {}
    db = undefined;
    if (!err || err.code !== 'SQLITE_BUSY' || Date.now() > openDeadline) {
      openError = err;
      break;
    }
    // A blocking wait is fine here: this thread has nothing else to do until the database opens.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.floor(Math.random() * 40));
  }
}
const statements = new Map();
const prepare = (sql) => {
  let stmt = statements.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    statements.set(sql, stmt);
  }
  return stmt;
};
parentPort.on('message', (m) => {
  try {
    if (openError) throw openError;
    let result = null;
    if (m.op === 'query') result = prepare(m.sql).all(...m.params);
    else if (m.op === 'run') result = prepare(m.sql).run(...m.params).changes;
    else if (m.op === 'runAll') {
      let changed = 0;
      // A savepoint when a transaction is already open (runAll inside transaction()).
      db.transaction(() => {
        for (const s of m.statements) changed += prepare(s.sql).run(...s.params).changes;
      })();
      result = changed;
    }
    else if (m.op === 'exec') db.exec(m.sql);
    else if (m.op === 'rollback') { if (db.inTransaction) db.exec('ROLLBACK'); }
    else if (m.op === 'close') db.close();
    parentPort.postMessage({ id: m.id, ok: true, result });
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, message: String((err && err.message) || err), code: err && err.code });
  }
});
`;

type Op = 'query' | 'run' | 'runAll' | 'exec' | 'rollback' | 'close';
interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly message?: string;
  readonly code?: string;
}

/**
 * SQLite through better-sqlite3 on a worker thread. better-sqlite3 is synchronous: on the gateway's
 * thread every batched decision-log insert (~30 us a record) stalled request handling and cost a
 * quarter of the maximum throughput (docs/benchmarks.md). Here the event loop only posts messages.
 * WAL mode lets readers (the CLI) run while the gateway writes; `busy_timeout` makes a second
 * process wait for the write lock instead of failing.
 *
 * Calls go through one FIFO lock so that a transaction's statements are never interleaved with
 * unrelated ones; the transaction body gets a driver that bypasses the lock. The worker keeps the
 * process alive only while a call is pending.
 */
export function openSqliteWorkerDriver(path: string): SqlDriver {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  // The thread only turns messages into statements: a 1 MB young generation (V8's default grows to
  // 4 MB here under load) is 2 MB less RSS per gateway process (docs/benchmarks.md, session 12).
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, modulePath, pragmas: SQLITE_PRAGMAS }, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
  worker.unref();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let dead: Error | undefined;
  const failAll = (err: Error): void => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker.unref();
  };
  worker.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.ok) p.resolve(reply.result);
    else p.reject(Object.assign(new Error(reply.message ?? 'sqlite error'), reply.code === undefined ? {} : { code: reply.code }));
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`the SQLite worker exited (code ${code})`)));

  const send = (op: Op, sql = '', params: readonly SqlValue[] = [], statements: readonly SqlStatement[] = NO_STATEMENTS): Promise<unknown> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (pending.size === 1) worker.ref();
      worker.postMessage({ id, op, sql, params, statements });
    });
  };
  const inner: SqlDriver = {
    dialect: 'sqlite',
    query: (sql, params = []) => send('query', sql, params) as Promise<SqlRow[]>,
    run: (sql, params = []) => send('run', sql, params) as Promise<number>,
    runAll: (statements) => send('runAll', '', [], statements) as Promise<number>,
    exec: (sql) => send('exec', sql).then(() => undefined),
    transaction: (fn) => fn(inner),
    close: () => Promise.resolve(),
  };
  return lockDriver(
    inner,
    {
      begin: () => inner.exec('BEGIN IMMEDIATE'),
      driverIn: () => inner,
      commit: () => inner.exec('COMMIT'),
      rollback: () => send('rollback').then(() => undefined),
    },
    async () => {
      if (dead) return;
      await send('close');
      await worker.terminate();
    },
  );
}
