import type { SqlDriver } from './sql-driver.js';

/** How a driver opens and ends a transaction on its one connection. */
export interface TransactionSteps<T> {
  /** Starts a transaction; resolves to whatever identifies it. */
  begin(): Promise<T>;
  /** The driver the transaction's body runs on. */
  driverIn(tx: T): SqlDriver;
  commit(tx: T): Promise<void>;
  /** Undoes whatever of the transaction is still open; its failure is ignored. */
  rollback(tx: T): Promise<void>;
}

/**
 * A {@link SqlDriver} over one connection, `plain`, whose calls run one at a time in the order they
 * were made, whether earlier ones resolved or failed, so that a transaction's statements are never
 * interleaved with unrelated ones: a transaction holds the lock from `begin` to its commit or
 * rollback, and its body gets `steps.driverIn`, which bypasses the lock. A failed commit rolls back.
 */
export function lockDriver<T>(plain: SqlDriver, steps: TransactionSteps<T>, close: () => Promise<void>): SqlDriver {
  let tail: Promise<unknown> = Promise.resolve();
  const locked = <R>(fn: () => Promise<R>): Promise<R> => {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };
  return {
    dialect: plain.dialect,
    query: (sql, params) => locked(() => plain.query(sql, params)),
    run: (sql, params) => locked(() => plain.run(sql, params)),
    runAll: (statements) => locked(() => plain.runAll(statements)),
    exec: (sql) => locked(() => plain.exec(sql)),
    transaction: (fn) =>
      locked(async () => {
        const tx = await steps.begin();
        try {
          const result = await fn(steps.driverIn(tx));
          await steps.commit(tx);
          return result;
        } catch (err) {
          await steps.rollback(tx).catch(() => undefined);
          throw err;
        }
      }),
    close: () => locked(close),
  };
}
