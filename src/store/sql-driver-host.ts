import { unpackCallBody } from './packed-call.js';
import type { SqlDriver } from './sql-driver.js';
import { isStoreCall, STORE_REPLY, type StoreCall, type StoreReply } from './store-channel.js';

/** Serves {@link openChannelSqlDriver} calls from several peers (cluster workers) on one connection per database. */
export interface SqlDriverHost {
  /** Runs `message` when it is a store call from `peer` and sends the answer through `reply`; returns false for any other message. */
  handle(peer: object, message: unknown, reply: (message: StoreReply) => void): boolean;
  /** Rolls back the transactions `peer` left open (it exited or disconnected). */
  dropPeer(peer: object): void;
  /** Rolls back open transactions and closes every connection. */
  close(): Promise<void>;
}

/** Options of {@link createSqlDriverHost}. */
export interface SqlDriverHostOptions {
  /**
   * A transaction still open after this long is rolled back and its peer's later calls in it fail
   * (default 30 s): one stuck worker must not hold every worker's store.
   */
  readonly transactionTimeoutMs?: number;
}

interface OpenTransaction {
  readonly peer: object;
  readonly driver: SqlDriver;
  /** Ends the transaction's body: commit when true, roll back when false. */
  readonly finish: (commit: boolean) => void;
  /** Resolves once COMMIT or ROLLBACK has run: with the error when the commit failed. Never rejects. */
  readonly outcome: Promise<Error | undefined>;
  readonly timer: ReturnType<typeof setTimeout>;
}

const ROLLED_BACK = new Error('rolled back by its caller');

const notOpen = (tx: number | undefined): string => `transaction ${String(tx)} is not open (ended, rolled back after the transaction timeout, or not this caller's)`;

/**
 * The host side of the store channel: one driver per database path, opened on first use and shared
 * by every peer. A peer's transaction holds the driver's lock from `begin` to `commit`/`rollback`,
 * so other peers' calls wait for it, exactly as calls of one process wait for its own transaction.
 */
export function createSqlDriverHost(open: (path: string) => SqlDriver, options: SqlDriverHostOptions = {}): SqlDriverHost {
  const transactionTimeoutMs = options.transactionTimeoutMs ?? 30_000;
  const drivers = new Map<string, SqlDriver>();
  const transactions = new Map<number, OpenTransaction>();
  // Peers gone for good: a `begin` of theirs still queued behind another transaction must not take
  // the connection when its turn comes, since nobody would ever end it.
  const gone = new WeakSet<object>();
  let nextTx = 0;
  let closed = false;

  const driverFor = (path: string): SqlDriver => {
    let driver = drivers.get(path);
    if (driver === undefined) {
      driver = open(path);
      drivers.set(path, driver);
    }
    return driver;
  };

  const begin = (peer: object, driver: SqlDriver): Promise<number> =>
    new Promise((resolve, reject) => {
      let finish: (commit: boolean) => void = () => undefined;
      const decided = new Promise<boolean>((r) => {
        finish = r;
      });
      let report: (failure: Error | undefined) => void = () => undefined;
      const outcome = new Promise<Error | undefined>((r) => {
        report = r;
      });
      let began = false;
      // A driver may run the body before transaction() returns (the synchronous one does).
      driver
        .transaction(async (tx) => {
          began = true;
          if (gone.has(peer)) {
            reject(new Error('the caller went away before its transaction began'));
            throw ROLLED_BACK;
          }
          const id = nextTx++;
          const timer = setTimeout(() => {
            if (transactions.delete(id)) finish(false);
          }, transactionTimeoutMs);
          timer.unref();
          transactions.set(id, { peer, driver: tx, finish, outcome, timer });
          resolve(id);
          if (!(await decided)) throw ROLLED_BACK;
        })
        .then(
          () => report(undefined),
          (err: unknown) => {
            // Before the body ran: BEGIN failed (the database is locked past busy_timeout, say).
            if (!began) reject(err instanceof Error ? err : new Error(String(err)));
            report(err === ROLLED_BACK || !began ? undefined : err instanceof Error ? err : new Error(String(err)));
          },
        );
    });

  const end = async (call: StoreCall, peer: object, commit: boolean): Promise<null> => {
    const open = call.tx === undefined ? undefined : transactions.get(call.tx);
    if (open === undefined || open.peer !== peer) throw new Error(notOpen(call.tx));
    transactions.delete(call.tx as number);
    clearTimeout(open.timer);
    open.finish(commit);
    const failed = await open.outcome;
    if (failed !== undefined) throw failed;
    return null;
  };

  const run = async (peer: object, packedOrNot: StoreCall): Promise<unknown> => {
    if (closed) throw new Error('the store host is closed');
    // Unpacked before the first await, so that calls still run in the order they arrived.
    const call = packedOrNot.packed === undefined ? packedOrNot : { ...packedOrNot, ...unpackCallBody(packedOrNot.packed) };
    if (call.op === 'begin') return begin(peer, driverFor(call.path));
    if (call.op === 'commit') return end(call, peer, true);
    if (call.op === 'rollback') return end(call, peer, false);
    let driver: SqlDriver;
    if (call.tx === undefined) driver = driverFor(call.path);
    else {
      const open = transactions.get(call.tx);
      if (open === undefined || open.peer !== peer) throw new Error(notOpen(call.tx));
      driver = open.driver;
    }
    const sql = call.sql ?? '';
    if (call.op === 'query') return driver.query(sql, call.params ?? []);
    if (call.op === 'run') return driver.run(sql, call.params ?? []);
    if (call.op === 'runAll') return driver.runAll(call.statements ?? []);
    if (call.op === 'exec') return driver.exec(sql).then(() => null);
    throw new Error(`unknown store operation "${String(call.op)}"`);
  };

  const dropPeer = (peer: object): void => {
    gone.add(peer);
    for (const [id, open] of transactions) {
      if (open.peer !== peer) continue;
      transactions.delete(id);
      clearTimeout(open.timer);
      open.finish(false);
    }
  };

  return {
    handle(peer, message, reply) {
      if (!isStoreCall(message)) return false;
      run(peer, message).then(
        (result) => reply({ type: STORE_REPLY, id: message.id, ok: true, result: result ?? null }),
        (err: unknown) => {
          const e: Error & { code?: unknown } = err instanceof Error ? err : new Error(String(err));
          reply({ type: STORE_REPLY, id: message.id, ok: false, message: e.message, ...(typeof e.code === 'string' ? { code: e.code } : {}) });
        },
      );
      return true;
    },
    dropPeer,
    async close() {
      closed = true;
      for (const open of [...transactions.values()]) dropPeer(open.peer);
      await Promise.all([...drivers.values()].map((d) => d.close().catch(() => undefined)));
      drivers.clear();
    },
  };
}
