import { deserialize, serialize } from 'node:v8';
import { createSqlDriverHost, type SqlDriverHost, type SqlDriverHostOptions } from '../sql-driver-host.js';
import { openSqliteSyncDriver } from '../sqlite-sync-driver.js';
import type { StoreChannel } from '../store-channel.js';

/** A peer of a {@link LoopbackStoreHost}: what a cluster worker has, plus a way to make it vanish. */
export interface LoopbackPeer {
  readonly channel: StoreChannel;
  /** The link goes away, as when the worker dies: the host drops the peer, the peer's pending calls fail. */
  disconnect(): void;
}

export interface LoopbackStoreHost {
  readonly host: SqlDriverHost;
  connect(): LoopbackPeer;
  close(): Promise<void>;
  /** Every message the peers sent, as the host received it. */
  readonly received: unknown[];
}

export interface LoopbackStoreHostOptions extends SqlDriverHostOptions {
  /** How messages cross: a JSON round trip (default) or V8's serializer, as node's `advanced` IPC. */
  readonly wire?: 'json' | 'advanced';
}

/**
 * A store host reached over in-process channels that deliver messages asynchronously and through a
 * JSON round trip, as a cluster's IPC channel does: the primary's side of the store (SQLite on the
 * host's own thread, as there) without a cluster.
 */
export function startLoopbackStoreHost(options: LoopbackStoreHostOptions = {}): LoopbackStoreHost {
  const host = createSqlDriverHost(openSqliteSyncDriver, options);
  const wire = options.wire === 'advanced' ? (message: unknown): unknown => deserialize(serialize(message)) as unknown : (message: unknown): unknown => JSON.parse(JSON.stringify(message)) as unknown;
  const received: unknown[] = [];
  return {
    host,
    received,
    connect() {
      const peer = {};
      const listeners = new Set<(message: unknown) => void>();
      const closers = new Set<() => void>();
      let connected = true;
      const channel: StoreChannel = {
        send(message) {
          if (!connected) throw new Error('channel closed');
          const sent = wire(message);
          received.push(sent);
          setImmediate(() => {
            host.handle(peer, sent, (reply) => {
              if (!connected) return;
              const received = wire(reply);
              setImmediate(() => {
                for (const l of listeners) l(received);
              });
            });
          });
        },
        subscribe(onMessage, onClose) {
          listeners.add(onMessage);
          closers.add(onClose);
          return () => {
            listeners.delete(onMessage);
            closers.delete(onClose);
          };
        },
      };
      return {
        channel,
        disconnect() {
          if (!connected) return;
          connected = false;
          host.dropPeer(peer);
          for (const c of [...closers]) c();
        },
      };
    },
    close: () => host.close(),
  };
}
