import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { createProviderWiring, splitGeminiBaseUrl } from './create-provider-wiring.js';

describe('splitGeminiBaseUrl', () => {
  it('moves a trailing API version into apiVersion', () => {
    expect(splitGeminiBaseUrl('https://generativelanguage.googleapis.com/v1beta')).toEqual({ baseUrl: 'https://generativelanguage.googleapis.com', apiVersion: 'v1beta' });
    expect(splitGeminiBaseUrl('http://127.0.0.1:9/proxy/v1/')).toEqual({ baseUrl: 'http://127.0.0.1:9/proxy', apiVersion: 'v1' });
    expect(splitGeminiBaseUrl('http://127.0.0.1:9')).toEqual({ baseUrl: 'http://127.0.0.1:9', apiVersion: 'v1beta' });
  });
});

describe('createProviderWiring', () => {
  it('wires enabled providers and sends configured OAuth tokens as OAuth', async () => {
    const config = loadConfig({ env: {}, overrides: { providers: { anthropic: { api_key: 'sk-ant-oat01-abcdefgh' }, openai: { api_key: 'sk-proj-x' }, gemini: { enabled: false } } } });
    const w = createProviderWiring(config);
    try {
      expect([...w.enabled].sort()).toEqual(['anthropic', 'openai', 'openrouter']);
      expect(w.registry.has('gemini')).toBe(false);
      expect(w.configured.anthropic).toEqual({ kind: 'oauth', token: 'sk-ant-oat01-abcdefgh' });
      expect(w.configured.openai).toEqual({ kind: 'api_key', token: 'sk-proj-x' });
      expect(w.configured.openrouter).toBeUndefined();
    } finally {
      await w.close();
    }
  });
});
