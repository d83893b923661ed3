import { detectCredential } from '../auth/detect-credential.js';
import type { Config } from '../config/config-schema.js';
import { createAnthropicAdapter } from '../providers/anthropic/create-anthropic-adapter.js';
import { createProviderRegistry, type ProviderRegistry } from '../providers/create-provider-registry.js';
import { createGeminiAdapter } from '../providers/gemini/create-gemini-adapter.js';
import { createOpenAIAdapter } from '../providers/openai/create-openai-adapter.js';
import { createOpenRouterAdapter } from '../providers/openrouter/create-openrouter-adapter.js';
import type { ProviderAdapter, ProviderCredential } from '../providers/provider-adapter.js';
import { createUndiciHttpClient, type PooledHttpClient } from '../providers/shared/http-client.js';
import { PROVIDER_IDS, type ProviderId } from '../types/provider-id.js';

/** The provider side of a config: adapters on keep-alive pools, and the gateway's own keys. */
export interface ProviderWiring {
  readonly registry: ProviderRegistry;
  readonly enabled: ReadonlySet<ProviderId>;
  readonly configured: Readonly<Partial<Record<ProviderId, ProviderCredential>>>;
  /** Closes the connection pools (after in-flight calls finished). */
  close(): Promise<void>;
}

/**
 * Gemini base URLs are written with their API version (`.../v1beta`, the config default) while the
 * adapter appends its own: split a trailing version segment off and hand it to the adapter.
 */
export function splitGeminiBaseUrl(baseUrl: string): { baseUrl: string; apiVersion: string } {
  const trimmed = baseUrl.replace(/\/+$/, '');
  const m = /^(.*)\/(v\d+(?:alpha|beta)?\d*)$/.exec(trimmed);
  return m === null ? { baseUrl: trimmed, apiVersion: 'v1beta' } : { baseUrl: m[1] as string, apiVersion: m[2] as string };
}

/** A configured key as the credential its provider expects (an Anthropic OAuth token goes as Bearer). */
function configuredCredential(provider: ProviderId, key: string): ProviderCredential {
  const detected = detectCredential(key);
  return detected !== null && detected.provider === provider ? detected.credential : { kind: 'api_key', token: key };
}

/** Builds one adapter per enabled provider, each on its own undici pool with the config's timeouts. */
export function createProviderWiring(config: Config): ProviderWiring {
  const clients: PooledHttpClient[] = [];
  const adapters: ProviderAdapter[] = [];
  const enabled = new Set<ProviderId>();
  const configured: Partial<Record<ProviderId, ProviderCredential>> = {};
  for (const id of PROVIDER_IDS) {
    const p = config.providers[id];
    if (!p.enabled) continue;
    const httpClient = createUndiciHttpClient({
      connectTimeoutMs: config.timeouts.connect,
      headersTimeoutMs: p.timeout ?? config.timeouts.headers,
      bodyTimeoutMs: config.timeouts.idle,
      keepAliveTimeoutMs: 30_000,
      ...(p.proxy === undefined ? {} : { proxyUrl: p.proxy }),
    });
    clients.push(httpClient);
    enabled.add(id);
    if (p.api_key !== undefined) configured[id] = configuredCredential(id, p.api_key);
    switch (id) {
      case 'openai':
        adapters.push(createOpenAIAdapter({ baseUrl: p.base_url, httpClient }));
        break;
      case 'anthropic':
        adapters.push(createAnthropicAdapter({ baseUrl: p.base_url, httpClient }));
        break;
      case 'gemini':
        adapters.push(createGeminiAdapter({ ...splitGeminiBaseUrl(p.base_url), httpClient }));
        break;
      case 'openrouter':
        adapters.push(createOpenRouterAdapter({ baseUrl: p.base_url, httpClient, appName: 'Heimdall', appUrl: 'https://github.com/heimdall-router' }));
        break;
    }
  }
  return {
    registry: createProviderRegistry(adapters),
    enabled,
    configured,
    close: async () => {
      await Promise.allSettled(clients.map((c) => c.close()));
    },
  };
}
