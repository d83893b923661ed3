import { createRequire } from 'node:module';
import type { fetch as undiciFetch, ProxyAgent as UndiciProxyAgent } from 'undici';

const require = createRequire(import.meta.url);

/** One `fetch` per proxy URL: each keeps its own pool of tunnels. */
const byProxy = new Map<string, typeof fetch>();

/**
 * A `fetch` whose requests go through an HTTP(S) forward proxy (CONNECT), for the calls outside
 * the providers' HTTP clients (model lists). undici's own `fetch` with its `ProxyAgent`, so that
 * the dispatcher and the `fetch` driving it are one undici (node's built-in `fetch` bundles
 * another). Loads undici's entry point, so only a process with a proxy configured pays for it.
 */
export function proxiedFetch(proxyUrl: string): typeof fetch {
  const known = byProxy.get(proxyUrl);
  if (known !== undefined) return known;
  const undici = require('undici') as { fetch: typeof undiciFetch; ProxyAgent: typeof UndiciProxyAgent };
  const dispatcher = new undici.ProxyAgent({ uri: proxyUrl });
  const viaProxy = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
    undici.fetch(input as Parameters<typeof undiciFetch>[0], Object.assign({}, init as Parameters<typeof undiciFetch>[1], { dispatcher }))) as unknown as typeof fetch;
  byProxy.set(proxyUrl, viaProxy);
  return viaProxy;
}
