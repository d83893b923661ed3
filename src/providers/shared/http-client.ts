import type { Dispatcher } from 'undici';
import { Agent, loadProxyAgent } from './undici-agent.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ErrorCode } from '../../errors/error-codes.js';
import type { CancelSignal } from '../../types/cancel-signal.js';

/** One outbound HTTP call to a provider. */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborts the call at any point (before headers or while the body streams). */
  readonly signal?: CancelSignal;
  /** Overrides the client's default time to wait for response headers. */
  readonly headersTimeoutMs?: number;
  /** Overrides the client's default maximum idle time between body chunks. */
  readonly bodyTimeoutMs?: number;
  /** Provider id used to label transport errors (`openai`, `anthropic`, ...). Optional. */
  readonly provider?: string;
}

/**
 * A provider's answer. The body is readable once: iterate `body`, or call one of `text()`,
 * `json()`, `dump()`. Transport failures while reading surface as `GatewayError`.
 */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Parses the body as JSON; invalid JSON throws `provider_bad_response`. */
  json(): Promise<unknown>;
  /** Discards the body so the connection returns to the pool (or is closed). Never throws. */
  dump(): Promise<void>;
}

/** The transport every provider adapter uses; tests can pass a fake. */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/** An {@link HttpClient} that owns a connection pool. */
export interface PooledHttpClient extends HttpClient {
  /** Gracefully closes every pooled connection. */
  close(): Promise<void>;
}

interface SplitUrl {
  readonly origin: string;
  readonly path: string;
}

/**
 * Upstream URLs seen, split into undici's origin and path: a provider's URLs are few (a base URL
 * and an endpoint, per model for Gemini), and parsing one with `new URL` on every request was ~1%
 * of the gateway's CPU. Bounded: cleared when full, since model names in URLs come from clients.
 */
const splitUrls = new Map<string, SplitUrl>();
const SPLIT_URLS_MAX = 512;

function splitUrl(req: HttpRequest): SplitUrl {
  const known = splitUrls.get(req.url);
  if (known !== undefined) return known;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch (cause) {
    throw new GatewayError('gateway_config_invalid', `Invalid upstream URL: ${req.url}`, withProvider(req.provider, { cause }));
  }
  const split: SplitUrl = { origin: url.origin, path: url.pathname + url.search };
  if (splitUrls.size >= SPLIT_URLS_MAX) splitUrls.clear();
  splitUrls.set(req.url, split);
  return split;
}

/** Options of {@link createUndiciHttpClient}. */
export interface UndiciHttpClientOptions {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** Maximum sockets per origin; unlimited when absent. */
  readonly connections?: number;
  /** An HTTP(S) forward proxy every call is tunnelled through (CONNECT); URL credentials authenticate to it. */
  readonly proxyUrl?: string;
}

/**
 * An HTTP client on one undici `Agent` (a keep-alive pool per origin). Uses `agent.request`
 * rather than `fetch`: no WHATWG stream wrapping on the hot path. Transport errors are mapped:
 * connect timeout / refused / reset -> `provider_connection_failed`, headers or body timeout ->
 * `provider_timeout`, the caller's signal -> `caller_cancelled` (or `provider_timeout` when the
 * signal's reason is a `TimeoutError`, i.e. an attempt deadline).
 */
export function createUndiciHttpClient(options: UndiciHttpClientOptions): PooledHttpClient {
  const pool = {
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  };
  const proxyUrl = options.proxyUrl;
  const agent =
    proxyUrl === undefined
      ? new Agent({ connect: { timeout: options.connectTimeoutMs }, ...pool })
      : // The proxy agent connects through its own connectors: the connect timeout goes to both legs.
        new (loadProxyAgent())({ uri: proxyUrl, proxyTls: { timeout: options.connectTimeoutMs }, requestTls: { timeout: options.connectTimeoutMs }, ...pool });

  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      if (req.signal?.aborted) throw abortError(req.signal, req.provider);
      const target = splitUrl(req);
      let res;
      try {
        res = await agent.request({
          origin: target.origin,
          path: target.path,
          method: req.method,
          headers: req.headers,
          body: req.body ?? null,
          // undici takes any object with `addEventListener`, `removeEventListener`, `aborted` and
          // `reason` (api-request.js); its type only names AbortSignal and EventEmitter.
          signal: (req.signal ?? null) as AbortSignal | null,
          ...(req.headersTimeoutMs === undefined ? {} : { headersTimeout: req.headersTimeoutMs }),
          ...(req.bodyTimeoutMs === undefined ? {} : { bodyTimeout: req.bodyTimeoutMs }),
        });
      } catch (err) {
        throw mapTransportError(err, req.signal, req.provider);
      }
      const raw = res.body;
      const headers = flattenHeaders(res.headers);
      let consumed = false;
      const claim = (): void => {
        if (consumed) throw new GatewayError('gateway_internal', 'HTTP response body already consumed');
        consumed = true;
      };
      const body: AsyncIterable<Uint8Array> = {
        [Symbol.asyncIterator]: () => {
          claim();
          return bodyIterator(raw, (err) => mapTransportError(err, req.signal, req.provider));
        },
      };
      const text = async (): Promise<string> => {
        claim();
        // undici's own reader: a `for await` over the stream built an async iterator per call and,
        // when it finished, an AbortError with a stack trace (measured in the gateway's profile).
        try {
          return await raw.text();
        } catch (err) {
          throw mapTransportError(err, req.signal, req.provider);
        }
      };
      return {
        status: res.statusCode,
        headers,
        body,
        text,
        async json(): Promise<unknown> {
          const content = await text();
          try {
            return JSON.parse(content) as unknown;
          } catch (cause) {
            throw new GatewayError(
              'provider_bad_response',
              `Upstream answered invalid JSON (${content.length} bytes)`,
              Object.assign(withProvider(req.provider, { cause }), { upstreamStatus: res.statusCode }),
            );
          }
        },
        async dump(): Promise<void> {
          if (consumed) return;
          consumed = true;
          try {
            await raw.dump({ limit: DRAIN_LIMIT_BYTES });
          } catch {
            // The body is being discarded; a transport failure while discarding changes nothing.
          }
        },
      };
    },
    close: () => agent.close(),
  };
}

/**
 * A response body as an async iterator of its chunks. Every stream consumer stops at its terminal
 * event (`[DONE]`, `message_stop`), before the body's end. Node's default iterator then destroys
 * the stream with a fresh AbortError (a stack trace per streamed answer) and, when the body's last
 * bytes have not arrived yet, its connection. Instead the rest is drained (bounded), so the
 * connection goes back to the pool. A request the client aborted is destroyed by undici through
 * the signal; a body over the size limit is destroyed by `dump`, one that stalls by the idle (body)
 * timeout.
 *
 * Written out rather than as an async generator around the stream's iterator: with that generator
 * V8 promoted every streamed request's objects to the old generation (~2-3 KB a request;
 * docs/benchmarks.md, session 9).
 */
function bodyIterator(raw: Dispatcher.ResponseData['body'], mapError: (err: unknown) => GatewayError): AsyncIterator<Uint8Array> {
  const inner = raw.iterator({ destroyOnReturn: false }) as AsyncIterator<Uint8Array>;
  // Ended, failed or returned: nothing is left to drain.
  let settled = false;
  const drain = (): void => {
    raw.dump({ limit: DRAIN_LIMIT_BYTES }).catch(() => undefined);
  };
  return {
    next: () =>
      inner.next().then(
        (r) => {
          if (r.done === true) settled = true;
          return r;
        },
        (err: unknown) => {
          if (!settled) {
            settled = true;
            drain();
          }
          throw mapError(err);
        },
      ),
    return: async () => {
      if (!settled) {
        settled = true;
        try {
          await inner.return?.();
        } finally {
          drain();
        }
      }
      return { done: true, value: undefined };
    },
  };
}

/** Most of an unread body drained so that its connection can be reused; beyond it the connection is closed. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const CONNECTION_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNABORTED',
  'HPE_INVALID_CONSTANT',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Maps an error thrown by undici (or by the body stream) to a `GatewayError`. Exported for the
 * adapters that drive a transport of their own and for tests.
 */
export function mapTransportError(err: unknown, signal: CancelSignal | undefined, provider?: string): GatewayError {
  if (err instanceof GatewayError) return err;
  if (signal?.aborted) return abortError(signal, provider);
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const base = withProvider(provider, { cause: err });
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    const what = code === 'UND_ERR_HEADERS_TIMEOUT' ? 'response headers' : 'response body';
    return new GatewayError('provider_timeout', `Timed out waiting for upstream ${what}`, base);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new GatewayError('provider_connection_failed', 'Timed out connecting to upstream', base);
  }
  if (code === 'UND_ERR_ABORTED') {
    // The caller's cancellation was handled above: undici aborted by itself, on a connection it
    // could not make (a proxy refusing the tunnel: "Proxy response (407) !== 200 ...").
    return new GatewayError('provider_connection_failed', `Upstream connection failed: ${message}`, base);
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return new GatewayError('caller_cancelled', 'Request was cancelled', base);
  }
  if ((code !== undefined && CONNECTION_CODES.has(code)) || (code?.startsWith('HPE_') ?? false)) {
    return new GatewayError('provider_connection_failed', `Upstream connection failed: ${message} (${code})`, base);
  }
  const fallbackCode: ErrorCode = code?.startsWith('UND_ERR') ? 'provider_connection_failed' : 'gateway_internal';
  return new GatewayError(fallbackCode, `Upstream request failed: ${message}`, base);
}

function abortError(signal: CancelSignal, provider: string | undefined): GatewayError {
  const reason: unknown = signal.reason;
  const base = withProvider(provider, { cause: reason });
  if (reason instanceof GatewayError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new GatewayError('provider_timeout', 'Upstream call exceeded its deadline', base);
  }
  return new GatewayError('caller_cancelled', 'Request was cancelled', base);
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // undici wraps some socket failures (`TypeError: fetch failed`-style) with the real one in `cause`.
  const cause = (err as { cause?: unknown }).cause;
  return cause === err ? undefined : errorCode(cause);
}

function withProvider(provider: string | undefined, rest: { cause?: unknown }): { provider?: string; cause?: unknown } {
  return provider === undefined ? rest : Object.assign({}, rest, { provider });
}
