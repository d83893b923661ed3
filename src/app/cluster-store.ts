import cluster, { type Worker } from 'node:cluster';
import { openChannelSqlDriver } from '../store/channel-sql-driver.js';
import { createSqlDriverHost } from '../store/sql-driver-host.js';
import type { SqlDriver } from '../store/sql-driver.js';
import { openSqliteSyncDriver } from '../store/sqlite-sync-driver.js';
import type { StoreChannel } from '../store/store-channel.js';

/** Set by the primary in its workers' environment: SQLite goes through the primary. */
export const PRIMARY_STORE_ENV = 'HEIMDALL_PRIMARY_STORE';

/**
 * The primary's side: one SQLite connection per database, serving the store calls of every worker.
 * The statements run on the primary's event loop, which serves no requests (a thread of its own
 * would be one more V8 isolate in memory; docs/benchmarks.md, session 13). A worker that exits has
 * its open transactions rolled back. Returns a stop function; call it once the workers are gone,
 * after their last flush.
 */
export function serveClusterStore(open: (path: string) => SqlDriver = openSqliteSyncDriver): () => Promise<void> {
  const host = createSqlDriverHost(open);
  const onMessage = (worker: Worker, message: unknown): void => {
    host.handle(worker, message, (reply) => {
      if (worker.isConnected()) worker.send(reply);
    });
  };
  const onGone = (worker: Worker): void => host.dropPeer(worker);
  cluster.on('message', onMessage);
  cluster.on('disconnect', onGone);
  cluster.on('exit', onGone);
  return async () => {
    cluster.off('message', onMessage);
    cluster.off('disconnect', onGone);
    cluster.off('exit', onGone);
    await host.close();
  };
}

/** A worker's link to the primary, over its IPC channel. */
const primaryChannel: StoreChannel = {
  send(message) {
    if (!process.connected || process.send === undefined) throw new Error('not connected to the cluster primary');
    // A send that fails after this check (the primary died) is reported by 'disconnect'.
    process.send(message, undefined, {}, () => undefined);
  },
  subscribe(onMessage, onClose) {
    process.on('message', onMessage);
    process.once('disconnect', onClose);
    return () => {
      process.off('message', onMessage);
      process.off('disconnect', onClose);
    };
  },
};

/**
 * In a worker of Heimdall's own cluster primary: a SQLite driver factory that reaches the primary's
 * connection, so that the worker keeps no SQLite of its own. Undefined elsewhere (a lone gateway, a
 * library user's own cluster), where SQLite runs in-process.
 */
export function primaryStoreDriver(): ((path: string) => SqlDriver) | undefined {
  if (!cluster.isWorker || process.env[PRIMARY_STORE_ENV] !== '1' || !process.connected) return undefined;
  return (path) => openChannelSqlDriver(primaryChannel, path, { packAtValues: PACK_AT_VALUES });
}

/**
 * Store calls this large go packed over the IPC channel (cluster IPC is `advanced`, so binary
 * survives): ~500 decision rows, five or more of the channel's socket buffers, which a decision-log
 * backlog writes. Smaller calls, the log's usual 32-100 rows, go as they are: packing costs a pool
 * thread ~10 us a row, and at the maximum rate the cores have no time to spare for it.
 */
const PACK_AT_VALUES = 12_000;
