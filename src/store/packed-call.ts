import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { deflateRaw, inflateRawSync } from 'node:zlib';
import type { SqlStatement, SqlValue } from './sql-driver.js';

/** The parts of a store call that can be large: what a packed call carries instead. */
export interface CallBody {
  readonly sql?: string;
  readonly params?: readonly SqlValue[];
  readonly statements?: readonly SqlStatement[];
}

const deflate = promisify(deflateRaw);

/** Parameter values in a call's body, all statements together: what decides whether it is packed. */
export function countValues(body: CallBody): number {
  let n = body.params?.length ?? 0;
  for (const s of body.statements ?? []) n += s.params.length;
  return n;
}

/**
 * A call's body serialized and deflated, the compression on libuv's thread pool. A worker's IPC
 * channel to the primary moves about one socket buffer (~208 KB) per turn of the worker's event
 * loop: a saturated worker turned its loop a few times a second, and a decision-log flush of 1,000
 * rows (2.2 MB) took 0.6-1.5 s to reach the primary, so records queued and were dropped. Deflated
 * at level 1 the same rows are 4.3x smaller for ~10 ms of one pool thread (docs/benchmarks.md,
 * session 20).
 */
export function packCallBody(body: CallBody): Promise<Uint8Array> {
  const { sql, params, statements } = body;
  const bytes = serialize({ sql, params, statements });
  // One output chunk for the whole body: with the default 16 KB chunks node's zlib goes back to the
  // event loop between chunks, and a saturated worker's loop turns so seldom that 34 chunks of a
  // 1,000-row flush took 2.2-2.9 s.
  return deflate(bytes, { level: 1, chunkSize: Math.max(64 * 1024, bytes.length) });
}

/** The body {@link packCallBody} packed; throws when `packed` is not one. */
export function unpackCallBody(packed: Uint8Array): CallBody {
  const body: unknown = deserialize(inflateRawSync(packed));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('a packed store call did not hold a call body');
  const { sql, params, statements } = body as Record<string, unknown>;
  if ((sql !== undefined && typeof sql !== 'string') || (params !== undefined && !Array.isArray(params)) || (statements !== undefined && !Array.isArray(statements))) {
    throw new Error('a packed store call held a malformed call body');
  }
  return body as CallBody;
}
