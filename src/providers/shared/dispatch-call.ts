import type { Dispatcher } from 'undici';
import { GatewayError } from '../../errors/gateway-error.js';
import type { CancelSignal } from '../../types/cancel-signal.js';
import type { HttpResponse } from './http-client.js';

/** Body bytes held for a consumer that is behind before the connection is paused. */
const HIGH_WATER_BYTES = 64 * 1024;
/** Most of an unread body is drained so that its connection can be reused; beyond it the connection is closed. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/** A dispatched call's answer, as far as the transport goes (the client adds JSON on top). */
export type DispatchedResponse = Omit<HttpResponse, 'json'>;

type Waiter = { resolve(r: IteratorResult<Uint8Array>): void; reject(err: unknown): void };
type Collector = { resolve(length: number): void; reject(err: unknown): void };

/**
 * Sends one call with `dispatcher.dispatch` and resolves once its headers are in; the body's
 * chunks go straight from undici's parser to its one consumer (`text()`, the iterator or
 * `dump()`). `request()` put a `Readable` between the two, whose stream machinery and async
 * iterator cost more per chunk of a long stream than the gateway's own handling of it
 * (docs/benchmarks.md, session 19). A consumer that falls behind pauses the connection; one that
 * stops early (the iterator's `return`, `dump`) discards the rest, and the connection is closed
 * if more than {@link DRAIN_LIMIT_BYTES} were left, so that it goes back to the pool otherwise.
 * `signal` aborts the call at any point. Every transport failure, before or after the headers,
 * goes through `mapError`; a second read of the body throws `gateway_internal`.
 */
export function dispatchCall(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: CancelSignal | undefined,
  mapError: (err: unknown) => GatewayError,
): Promise<DispatchedResponse> {
  return new Promise<DispatchedResponse>((resolveHeaders, rejectHeaders) => {
    let controller: Dispatcher.DispatchController | undefined;
    let responded = false;
    /** Ended or failed: nothing more will arrive. */
    let settled = false;
    let failure: GatewayError | undefined;
    const chunks: Buffer[] = [];
    /** Bytes in `chunks` (or, while collecting or discarding, all the bytes seen since). */
    let buffered = 0;
    let consumed = false;
    let waiter: Waiter | undefined;
    let collector: Collector | undefined;
    let discarding = false;
    let discarded: (() => void) | undefined;

    const onAbort = (): void => controller?.abort(abortReason(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    };

    const claim = (): void => {
      if (consumed) throw new GatewayError('gateway_internal', 'HTTP response body already consumed');
      consumed = true;
    };

    /** Drops what is held and whatever still comes; resolves once the body is over. */
    const discard = (): Promise<void> => {
      discarding = true;
      chunks.length = 0;
      if (settled) return Promise.resolve();
      if (buffered > DRAIN_LIMIT_BYTES) {
        controller?.abort(new Error('unread response body discarded'));
        return Promise.resolve();
      }
      controller?.resume();
      return new Promise((resolve) => {
        discarded = resolve;
      });
    };

    const text = (): Promise<string> => {
      try {
        claim();
      } catch (err) {
        return Promise.reject(err);
      }
      if (failure !== undefined) return Promise.reject(failure);
      if (settled) return Promise.resolve(decodeUtf8(chunks, buffered));
      controller?.resume();
      return new Promise<number>((resolve, reject) => {
        collector = { resolve, reject };
      }).then((length) => decodeUtf8(chunks, length));
    };

    const iterator: AsyncIterator<Uint8Array> = {
      next() {
        const chunk = chunks.shift();
        if (chunk !== undefined) {
          buffered -= chunk.length;
          if (buffered < HIGH_WATER_BYTES / 2) controller?.resume();
          return Promise.resolve({ value: chunk, done: false });
        }
        if (failure !== undefined) return Promise.reject(failure);
        if (settled) return Promise.resolve({ value: undefined, done: true });
        controller?.resume();
        return new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
          waiter = { resolve, reject };
        });
      },
      // Not waiting for the discard: a consumer stops at its terminal event, and an upstream that
      // stalls after it must not hold the answer's end.
      return() {
        if (!discarding) void discard();
        return Promise.resolve({ value: undefined, done: true });
      },
    };

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal?.aborted === true) c.abort(abortReason(signal));
      },
      onResponseStart(_c, statusCode, headers) {
        // 1xx answers (100 Continue) come before the real one.
        if (statusCode < 200) return;
        responded = true;
        resolveHeaders({
          status: statusCode,
          headers: flattenHeaders(headers),
          body: {
            [Symbol.asyncIterator]: () => {
              claim();
              return iterator;
            },
          },
          text,
          dump: () => {
            if (consumed) return Promise.resolve();
            consumed = true;
            return discard();
          },
        });
      },
      onResponseData(c, chunk) {
        buffered += chunk.length;
        if (discarding) {
          if (buffered > DRAIN_LIMIT_BYTES) c.abort(new Error('unread response body discarded'));
          return;
        }
        if (waiter !== undefined) {
          const w = waiter;
          waiter = undefined;
          buffered -= chunk.length;
          w.resolve({ value: chunk, done: false });
          return;
        }
        chunks.push(chunk);
        if (collector === undefined && buffered >= HIGH_WATER_BYTES) c.pause();
      },
      onResponseEnd() {
        settle();
        collector?.resolve(buffered);
        waiter?.resolve({ value: undefined, done: true });
        waiter = undefined;
        discarded?.();
      },
      onResponseError(_c, err) {
        settle();
        const mapped = mapError(err);
        if (!responded) {
          rejectHeaders(mapped);
          return;
        }
        failure = mapped;
        chunks.length = 0;
        collector?.reject(mapped);
        waiter?.reject(mapped);
        waiter = undefined;
        // A discarded body that failed has nothing left to drain.
        discarded?.();
      },
    };

    try {
      dispatcher.dispatch(options, handler);
    } catch (err) {
      settle();
      rejectHeaders(mapError(err));
    }
  });
}

/** What undici is aborted with: the signal's reason (a `TimeoutError` for a deadline), as an `Error`. */
function abortReason(signal: CancelSignal | undefined): Error {
  const reason = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

/** The body as UTF-8 text, without a leading byte order mark (as undici's `body.text()`). */
function decodeUtf8(chunks: Buffer[], length: number): string {
  if (length === 0) return '';
  const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  const start = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start);
}

/** Lower-case header names; repeated headers joined with `, `. */
function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
