/**
 * What cancels an upstream call: the part of `AbortSignal` that the engine, the provider adapters
 * and undici use. Any `AbortSignal` is one; the gateway passes its lighter per-request
 * `Cancellation` instead (see there for why).
 */
export interface CancelSignal {
  readonly aborted: boolean;
  /** Why it was aborted (a `TimeoutError` `DOMException` for a deadline); undefined before. */
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
