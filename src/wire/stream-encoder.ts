import type { GatewayError } from '../errors/gateway-error.js';
import type { StreamPart } from '../types/stream-part.js';

/**
 * Turns the provider-neutral stream into one client dialect's SSE text. Each call returns the
 * bytes to write (possibly `''`); after `finish` or `error()` the encoder is closed and returns `''`.
 */
export interface StreamEncoder {
  encode(part: StreamPart): string;
  /** The terminal error event of the dialect; nothing may be written after it. */
  error(err: GatewayError): string;
}

/** Anthropic streams also carry keep-alive `ping` events. */
export interface AnthropicStreamEncoder extends StreamEncoder {
  ping(): string;
}
