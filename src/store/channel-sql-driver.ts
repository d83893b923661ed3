import { createFifoLock } from './fifo-lock.js';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';
import { isStoreReply, STORE_CALL, type StoreCall, type StoreChannel, type StoreOp } from './store-channel.js';

type CallFields = Pick<StoreCall, 'sql' | 'params' | 'statements' | 'tx'>;

/**
 * A SQLite driver whose connection lives in another process: each call goes over `channel` to a
 * {@link SqlDriverHost} (the cluster primary) and resolves with its answer. Every worker of a
 * gateway shares the host's one connection, so no worker keeps SQLite, its page cache or the thread
 * that runs it (docs/benchmarks.md, session 13). Calls from this process run one at a time, in
 * order, like the in-process driver's; the host keeps other workers out of an open transaction.
 */
export function openChannelSqlDriver(channel: StoreChannel, path: string): SqlDriver {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let dead: Error | undefined;
  const failAll = (err: Error): void => {
    dead ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const unsubscribe = channel.subscribe(
    (message) => {
      if (!isStoreReply(message)) return;
      const p = pending.get(message.id);
      if (p === undefined) return;
      pending.delete(message.id);
      if (message.ok) p.resolve(message.result);
      else p.reject(Object.assign(new Error(message.message ?? 'sqlite error'), message.code === undefined ? {} : { code: message.code }));
    },
    () => failAll(new Error('the store host (cluster primary) went away')),
  );
  const call = (op: StoreOp, fields: CallFields = {}): Promise<unknown> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      try {
        channel.send({ type: STORE_CALL, id, path, op, ...fields });
      } catch (err) {
        pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  };

  // The driver a transaction body gets: its calls carry the transaction's id and skip the lock.
  const bound = (tx: number | undefined): SqlDriver => {
    const driver: SqlDriver = {
      dialect: 'sqlite',
      query: (sql, params = []) => call('query', { sql, params, ...(tx === undefined ? {} : { tx }) }) as Promise<SqlRow[]>,
      run: (sql, params = []) => call('run', { sql, params, ...(tx === undefined ? {} : { tx }) }) as Promise<number>,
      runAll: (statements: readonly SqlStatement[]) => call('runAll', { statements, ...(tx === undefined ? {} : { tx }) }) as Promise<number>,
      exec: (sql) => call('exec', { sql, ...(tx === undefined ? {} : { tx }) }).then(() => undefined),
      transaction: (fn) => fn(driver),
      close: () => Promise.resolve(),
    };
    return driver;
  };
  const plain = bound(undefined);
  const locked = createFifoLock();
  return {
    dialect: 'sqlite',
    query: (sql: string, params?: readonly SqlValue[]) => locked(() => plain.query(sql, params)),
    run: (sql: string, params?: readonly SqlValue[]) => locked(() => plain.run(sql, params)),
    runAll: (statements) => locked(() => plain.runAll(statements)),
    exec: (sql) => locked(() => plain.exec(sql)),
    transaction: (fn) =>
      locked(async () => {
        const tx = (await call('begin')) as number;
        let result;
        try {
          result = await fn(bound(tx));
        } catch (err) {
          await call('rollback', { tx }).catch(() => undefined);
          throw err;
        }
        await call('commit', { tx });
        return result;
      }),
    // The host's connection is shared with the other workers and stays open; this process only
    // stops listening, after its own calls have finished, so that its IPC channel can go idle.
    close: () =>
      locked(async () => {
        unsubscribe();
        failAll(new Error('the store is closed'));
      }),
  };
}
