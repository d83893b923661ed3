/**
 * Size limits a parser enforces on one request. They bound the work the gateway does before it
 * routes, and turn "megabytes of text" into a clear 400 instead of a slow upstream failure.
 */
export interface RequestLimits {
  /** Messages in `messages` (system/developer messages included). */
  readonly maxMessages: number;
  /** Characters of text in the whole request: system, message text, tool results, tool arguments, thinking. */
  readonly maxTextChars: number;
  /** Tool definitions in `tools`. */
  readonly maxTools: number;
  /** Largest `max_tokens` / `max_completion_tokens` accepted. */
  readonly maxOutputTokens: number;
}

/** Generous defaults: far above what any real client sends, low enough to stop abuse. */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = Object.freeze({
  maxMessages: 2_000,
  maxTextChars: 4_000_000,
  maxTools: 256,
  maxOutputTokens: 1_000_000,
});

/** Fills the gaps of a partial override with the defaults. */
export function resolveRequestLimits(limits?: Partial<RequestLimits>): RequestLimits {
  if (limits === undefined) return DEFAULT_REQUEST_LIMITS;
  return {
    maxMessages: limits.maxMessages ?? DEFAULT_REQUEST_LIMITS.maxMessages,
    maxTextChars: limits.maxTextChars ?? DEFAULT_REQUEST_LIMITS.maxTextChars,
    maxTools: limits.maxTools ?? DEFAULT_REQUEST_LIMITS.maxTools,
    maxOutputTokens: limits.maxOutputTokens ?? DEFAULT_REQUEST_LIMITS.maxOutputTokens,
  };
}
