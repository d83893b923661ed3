import { GatewayError } from '../errors/gateway-error.js';
import type { ProviderId } from '../types/provider-id.js';
import type { ProviderAdapter } from './provider-adapter.js';

/** The configured adapters, by provider id. */
export interface ProviderRegistry {
  /**
   * Throws `routing_model_unavailable` when no adapter is configured for `id` (no credentials for
   * that provider): the engine may fall back to a candidate on a configured provider.
   */
  get(id: ProviderId): ProviderAdapter;
  has(id: ProviderId): boolean;
  readonly ids: ReadonlyArray<ProviderId>;
}

/** Builds the registry; two adapters for one provider is a configuration error. */
export function createProviderRegistry(adapters: ReadonlyArray<ProviderAdapter>): ProviderRegistry {
  const byId = new Map<ProviderId, ProviderAdapter>();
  for (const adapter of adapters) {
    if (byId.has(adapter.providerId)) {
      throw new GatewayError('gateway_config_invalid', `Two adapters registered for provider ${adapter.providerId}`);
    }
    byId.set(adapter.providerId, adapter);
  }
  const ids = [...byId.keys()];
  return {
    get(id) {
      const adapter = byId.get(id);
      if (adapter === undefined) {
        throw new GatewayError('routing_model_unavailable', `No adapter configured for provider ${id}`, { provider: id });
      }
      return adapter;
    },
    has: (id) => byId.has(id),
    ids,
  };
}
