import type { SqlStatement, SqlValue } from './sql-driver.js';

/** Message types of the store protocol between a gateway worker and the process that hosts SQLite. */
export const STORE_CALL = 'heimdall:store:call';
export const STORE_REPLY = 'heimdall:store:reply';

/** What a {@link StoreCall} asks the host to do. `begin`, `commit` and `rollback` bracket a transaction. */
export type StoreOp = 'query' | 'run' | 'runAll' | 'exec' | 'begin' | 'commit' | 'rollback';

/** One driver call, sent by a worker. */
export interface StoreCall {
  readonly type: typeof STORE_CALL;
  readonly id: number;
  /** The database file (or `:memory:`) the call is for. */
  readonly path: string;
  readonly op: StoreOp;
  readonly sql?: string;
  readonly params?: readonly SqlValue[];
  readonly statements?: readonly SqlStatement[];
  /** The transaction the call belongs to (the result of its `begin`). */
  readonly tx?: number;
  /** `sql`, `params` and `statements` packed (see `packCallBody`), sent instead of them by a large call. */
  readonly packed?: Uint8Array;
}

/** The host's answer to the {@link StoreCall} with the same id. */
export interface StoreReply {
  readonly type: typeof STORE_REPLY;
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly message?: string;
  readonly code?: string;
}

/**
 * A message link to the host (a cluster worker's IPC channel to its primary). Messages must survive
 * a JSON round trip, which every {@link SqlValue} does, except a packed call's bytes: a driver packs
 * calls only over a channel that carries binary (node's `advanced` IPC serialization).
 */
export interface StoreChannel {
  send(message: StoreCall): void;
  /** Calls `onMessage` for every message that arrives and `onClose` once when the link goes away; returns an unsubscribe. */
  subscribe(onMessage: (message: unknown) => void, onClose: () => void): () => void;
}

export function isStoreCall(value: unknown): value is StoreCall {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<StoreCall>;
  return m.type === STORE_CALL && typeof m.id === 'number' && typeof m.path === 'string' && typeof m.op === 'string';
}

export function isStoreReply(value: unknown): value is StoreReply {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<StoreReply>;
  return m.type === STORE_REPLY && typeof m.id === 'number' && typeof m.ok === 'boolean';
}
