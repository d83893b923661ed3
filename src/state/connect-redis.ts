import { Redis } from 'ioredis';
import { GatewayError } from '../errors/gateway-error.js';

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /** Give up on the first connection after this long (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** A command that gets no reply within this long fails (and the caller falls back). Default 250 ms. */
  readonly commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts after the connection is lost (default 2 s). */
  readonly maxReconnectDelayMs?: number;
  /** Told about connection errors (the client keeps reconnecting by itself). */
  readonly onError?: (error: Error) => void;
}

/** `redis://user:secret@host:6379/0` without its credentials, for error messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    // URL setters percent-encode brackets; write the marker back as a reader expects it.
    if (u.username !== '') u.username = 'REDACTED';
    if (u.password !== '') u.password = 'REDACTED';
    return u.toString().replaceAll('REDACTED', '[redacted]');
  } catch {
    return '(unparseable redis.url)';
  }
}

/**
 * Connects to Redis (`redis://` or `rediss://` URL) and waits until it answers. Once connected,
 * a lost connection is retried forever in the background; commands issued meanwhile fail at once
 * (no offline queue, no per-request retries) so callers can fall back instead of waiting.
 *
 * @throws GatewayError `gateway_unavailable`, naming Redis and the (redacted) URL, when the first
 * connection fails or times out.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  const connectTimeout = options.connectTimeoutMs ?? 5_000;
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  let lastError: Error | undefined;
  let client: Redis;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout,
      commandTimeout: options.commandTimeoutMs ?? 250,
      enableAutoPipelining: true,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay),
    });
  } catch (err) {
    throw new GatewayError('gateway_config_invalid', `redis.url ${redactRedisUrl(url)} is not a valid Redis URL`, { cause: err });
  }
  client.on('error', (err: Error) => {
    lastError = err;
    options.onError?.(err);
  });
  const timer = new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${connectTimeout} ms`)), connectTimeout);
    t.unref();
    void client.once('ready', () => clearTimeout(t));
  });
  try {
    await Promise.race([client.connect(), timer]);
    await client.ping();
  } catch (err) {
    client.disconnect();
    const reason = lastError?.message ?? (err instanceof Error ? err.message : String(err));
    throw new GatewayError(
      'gateway_unavailable',
      `Redis at ${redactRedisUrl(url)} is unreachable at start (${reason}). Start Redis, fix redis.url, or remove redis.url to run with in-process shared state.`,
      { cause: lastError ?? err },
    );
  }
  return client;
}
