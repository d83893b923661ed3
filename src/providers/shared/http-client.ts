import { dispatchCall } from './dispatch-call.js';
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
 * An HTTP client on one undici `Agent` (a keep-alive pool per origin). Uses `agent.dispatch`
 * (see {@link dispatchCall}) rather than `fetch` or `request`: no stream wrapping on the hot path. Transport errors are mapped:
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
      const mapError = (err: unknown): GatewayError => mapTransportError(err, req.signal, req.provider);
      const res = await dispatchCall(
        agent,
        {
          origin: target.origin,
          path: target.path,
          method: req.method,
          headers: req.headers,
          body: req.body ?? null,
          ...(req.headersTimeoutMs === undefined ? {} : { headersTimeout: req.headersTimeoutMs }),
          ...(req.bodyTimeoutMs === undefined ? {} : { bodyTimeout: req.bodyTimeoutMs }),
        },
        req.signal,
        mapError,
      );
      return {
        status: res.status,
        headers: res.headers,
        body: res.body,
        text: res.text,
        async json(): Promise<unknown> {
          const content = await res.text();
          try {
            return JSON.parse(content) as unknown;
          } catch (cause) {
            throw new GatewayError(
              'provider_bad_response',
              `Upstream answered invalid JSON (${content.length} bytes)`,
              Object.assign(withProvider(req.provider, { cause }), { upstreamStatus: res.status }),
            );
          }
        },
        dump: res.dump,
      };
    },
    close: () => agent.close(),
  };
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
