import { lockDriver } from './lock-driver.js';
import { countValues, packCallBody } from './packed-call.js';
import type { SqlDriver, SqlRow, SqlStatement } from './sql-driver.js';
import { isStoreReply, STORE_CALL, type StoreCall, type StoreChannel, type StoreOp } from './store-channel.js';

type CallFields = Pick<StoreCall, 'sql' | 'params' | 'statements' | 'tx'>;

/** Options of {@link openChannelSqlDriver}. */
export interface ChannelSqlDriverOptions {
  /**
   * Calls with at least this many parameter values go packed (serialized and deflated off the event
   * loop); 0, the default, never packs. Only for a channel that carries binary.
   */
  readonly packAtValues?: number;
}

/**
 * A SQLite driver whose connection lives in another process: each call goes over `channel` to a
 * {@link SqlDriverHost} (the cluster primary) and resolves with its answer. Every worker of a
 * gateway shares the host's one connection, so no worker keeps SQLite, its page cache or the thread
 * that runs it (docs/benchmarks.md, session 13). Calls from this process run one at a time, in
 * order, like the in-process driver's; the host keeps other workers out of an open transaction.
 */
export function openChannelSqlDriver(channel: StoreChannel, path: string, options: ChannelSqlDriverOptions = {}): SqlDriver {
  const packAt = options.packAtValues ?? 0;
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
  // The last send that waits for a packing, while one does: later calls are sent after it, so the
  // host still sees this process's calls in the order they were made.
  let sendsWaiting: Promise<void> | undefined;
  const call = (op: StoreOp, fields: CallFields = {}): Promise<unknown> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      const fail = (err: unknown): void => {
        pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      const packing = packAt > 0 && countValues(fields) >= packAt ? packCallBody(fields) : undefined;
      if (packing === undefined && sendsWaiting === undefined) {
        try {
          channel.send({ type: STORE_CALL, id, path, op, ...fields });
        } catch (err) {
          fail(err);
        }
        return;
      }
      const send = (sendsWaiting ?? Promise.resolve())
        .then(() => packing)
        .then((packed) => {
          // The link went away while this call waited: failAll has rejected it already.
          if (dead) return;
          channel.send(packed === undefined ? { type: STORE_CALL, id, path, op, ...fields } : { type: STORE_CALL, id, path, op, ...(fields.tx === undefined ? {} : { tx: fields.tx }), packed });
        })
        .catch(fail);
      sendsWaiting = send;
      void send.then(() => {
        if (sendsWaiting === send) sendsWaiting = undefined;
      });
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
  return lockDriver<number>(
    bound(undefined),
    {
      begin: () => call('begin') as Promise<number>,
      driverIn: bound,
      commit: (tx) => call('commit', { tx }).then(() => undefined),
      rollback: (tx) => call('rollback', { tx }).then(() => undefined),
    },
    // The host's connection is shared with the other workers and stays open; this process only
    // stops listening, after its own calls have finished, so that its IPC channel can go idle.
    async () => {
      unsubscribe();
      failAll(new Error('the store is closed'));
    },
  );
}
