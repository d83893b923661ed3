import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from './provider-adapter.js';
import type { ProviderId } from '../types/provider-id.js';
import { createProviderRegistry } from './create-provider-registry.js';

function fakeAdapter(providerId: ProviderId): ProviderAdapter {
  const fail = (): never => {
    throw new Error('not called');
  };
  return { specificationVersion: 1, providerId, doGenerate: fail, doStream: fail };
}

describe('createProviderRegistry', () => {
  it('finds adapters by provider id', () => {
    const openai = fakeAdapter('openai');
    const registry = createProviderRegistry([openai, fakeAdapter('openrouter')]);
    expect(registry.get('openai')).toBe(openai);
    expect(registry.has('anthropic')).toBe(false);
    expect(registry.ids).toEqual(['openai', 'openrouter']);
  });

  it('throws routing_model_unavailable for an unconfigured provider', () => {
    expect(() => createProviderRegistry([]).get('gemini')).toThrow(expect.objectContaining({ code: 'routing_model_unavailable', provider: 'gemini' }));
  });

  it('rejects two adapters for one provider', () => {
    expect(() => createProviderRegistry([fakeAdapter('openai'), fakeAdapter('openai')])).toThrow(expect.objectContaining({ code: 'gateway_config_invalid' }));
  });
});
