import type { CancelSignal } from '../../types/cancel-signal.js';
import { classifyUpstreamError } from './classify-upstream.js';
import type { HttpClient, HttpResponse } from './http-client.js';

/** One POST to a provider. */
export interface UpstreamPost {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Labels transport and classified errors. */
  readonly provider: string;
  readonly model?: string;
  /** Credentials sent, scrubbed from any upstream message that echoes them. */
  readonly secrets: ReadonlyArray<string>;
  readonly signal?: CancelSignal;
  /** Clock for HTTP-date `Retry-After`. */
  readonly nowMs?: () => number;
}

/**
 * POSTs to a provider and returns the 2xx response with its body unread (JSON or a stream). Any
 * other status is read and thrown as the classified `provider_*` GatewayError; transport failures
 * are already GatewayErrors from the HTTP client.
 */
export async function postUpstream(http: HttpClient, post: UpstreamPost): Promise<HttpResponse> {
  const res = await http.request({
    url: post.url,
    method: 'POST',
    headers: post.headers,
    body: post.body,
    provider: post.provider,
    ...(post.signal === undefined ? {} : { signal: post.signal }),
  });
  if (res.status >= 200 && res.status < 300) return res;
  // A body that cannot be read still leaves the status to classify by.
  const bodyText = await res.text().catch(() => '');
  throw classifyUpstreamError({
    provider: post.provider,
    status: res.status,
    headers: res.headers,
    bodyText,
    ...(post.nowMs === undefined ? {} : { nowMs: post.nowMs() }),
    ...(post.model === undefined ? {} : { model: post.model }),
    secrets: post.secrets,
  });
}
