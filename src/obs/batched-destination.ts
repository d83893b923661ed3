/** What {@link batchedDestination} writes into: pino's sonic-boom destination, or anything shaped like it. */
export interface FlushableDestination {
  write(chunk: string): unknown;
  flush(cb?: (err?: Error | null) => void): void;
  flushSync(): void;
}

/** A pino destination that hands its lines on in blocks; see {@link batchedDestination}. */
export interface BatchedDestination extends FlushableDestination {
  /** Hands what is buffered to the inner destination now. */
  drain(): void;
}

/** Options of {@link batchedDestination}. */
export interface BatchedDestinationOptions {
  /** Characters buffered before a block is handed on (default 4096). */
  readonly blockChars?: number;
  /** Longest a line waits here (default 100 ms); the inner destination's own flush timer follows. */
  readonly flushMs?: number;
  /** Registers the process hooks that drain at exit (default true; tests pass false). */
  readonly exitHooks?: boolean;
}

/**
 * Collects log lines and hands them to `inner` (pino's sonic-boom destination) one block at a time.
 * sonic-boom 4 measures its growing last buffer with `Buffer.byteLength` on every write, which
 * flattens the concatenated string each time: with an access line per request (~250 bytes, 4 KB
 * blocks) that copied ~2 KB per line, 2.0 us a line against 0.4 us when the same lines arrive in
 * blocks (docs/benchmarks.md, "Session 7"). Here a line is appended and its length counted, nothing
 * more. Lines wait at most `flushMs` plus the inner destination's own flush interval; `flush` and
 * `flushSync` drain first, and so do the process's `beforeExit` and `exit`, ahead of pino's own
 * exit flush of the inner destination, so nothing is lost when the process ends.
 */
export function batchedDestination(inner: FlushableDestination, options: BatchedDestinationOptions = {}): BatchedDestination {
  const blockChars = options.blockChars ?? 4096;
  let buffered = '';
  const drain = (): void => {
    if (buffered === '') return;
    const block = buffered;
    buffered = '';
    inner.write(block);
  };
  setInterval(drain, options.flushMs ?? 100).unref();
  if (options.exitHooks !== false) {
    // Prepended: pino's own hooks flush the inner destination on these events and must see the lines.
    process.prependListener('beforeExit', drain);
    process.prependListener('exit', drain);
  }
  return {
    write(line: string) {
      buffered += line;
      if (buffered.length >= blockChars) drain();
      return true;
    },
    drain,
    flush(cb) {
      drain();
      inner.flush(cb);
    },
    flushSync() {
      drain();
      inner.flushSync();
    },
  };
}
