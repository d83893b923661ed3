import type { CancelSignal } from '../types/cancel-signal.js';

/**
 * One request's cancellation: abort it once (client gone, deadline passed) and every listener
 * (undici's, a retry's backoff) runs once, like an `AbortController` and its signal in one object.
 *
 * Why not `AbortController`: on Node 20 every `AbortSignal` gets hidden classes of its own (it is
 * built as an `EventTarget` whose prototype is then swapped, and the symbol-keyed fields added
 * after that do not share V8's map transitions), allocated in the old generation, ~1.4 KB a
 * signal; one signal per request was 0.6-1 KB of old-generation growth per request, a quarter to
 * two fifths of the gateway's (docs/benchmarks.md, session 9). undici accepts any object with
 * `addEventListener`/`removeEventListener`, `aborted` and `reason` as a request's signal.
 */
export class Cancellation implements CancelSignal {
  #aborted = false;
  #reason: unknown = undefined;
  #listeners: Array<() => void> | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** Aborts once; later calls do nothing. The default reason is an `AbortError`, as `AbortController.abort()` gives. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners === undefined) return;
    // Every listener runs even if one throws; the first error is rethrown afterwards, as an
    // EventTarget would report it (an uncaught exception) rather than swallow it.
    let failure: { error: unknown } | undefined;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Listeners run once, on abort (`once` is implied); one added after the abort never runs, as with `AbortSignal`. */
  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || this.#aborted) return;
    const listeners = (this.#listeners ??= []);
    if (!listeners.includes(listener)) listeners.push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    if (type !== 'abort' || listeners === undefined) return;
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  }
}

/**
 * A real `AbortSignal` that follows `signal`, for code that needs one (`fetch`, Node streams): an
 * adapter receives the gateway's lighter `Cancellation`. An `AbortSignal` is returned as it is.
 */
export function toAbortSignal(signal: CancelSignal): AbortSignal {
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}
