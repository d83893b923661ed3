import { describe, expect, it } from 'vitest';
import { inferProviderModel } from './infer-provider-model.js';

describe('inferProviderModel', () => {
  it('takes the provider a provider/model id names', () => {
    expect(inferProviderModel('anthropic/claude-opus-4-7')).toEqual({ provider: 'anthropic', providerModel: 'claude-opus-4-7' });
    expect(inferProviderModel('openai/gpt-6')).toEqual({ provider: 'openai', providerModel: 'gpt-6' });
    expect(inferProviderModel('gemini/gemini-3-pro')).toEqual({ provider: 'gemini', providerModel: 'gemini-3-pro' });
    expect(inferProviderModel('openrouter/qwen/qwen3-235b')).toEqual({ provider: 'openrouter', providerModel: 'qwen/qwen3-235b' });
  });

  it("reads the vendors' own naming", () => {
    expect(inferProviderModel('claude-sonnet-5')).toEqual({ provider: 'anthropic', providerModel: 'claude-sonnet-5' });
    expect(inferProviderModel('claude-haiku-4-5-20251001')?.provider).toBe('anthropic');
    for (const id of ['gpt-5.1', 'chatgpt-4o-latest', 'o3', 'o4-mini', 'o5-pro', 'codex-mini-latest']) expect(inferProviderModel(id)?.provider).toBe('openai');
    expect(inferProviderModel('gemini-3-flash')).toEqual({ provider: 'gemini', providerModel: 'gemini-3-flash' });
  });

  it('sends any other vendor/model id to OpenRouter', () => {
    expect(inferProviderModel('meta-llama/llama-4-maverick')).toEqual({ provider: 'openrouter', providerModel: 'meta-llama/llama-4-maverick' });
    expect(inferProviderModel('mistralai/mistral-large:free')?.provider).toBe('openrouter');
  });

  it('names no provider for anything else', () => {
    for (const id of ['nonexistent-model-9', 'llama3', 'omni', 'o', 'auto-ish', '', ' claude-x', 'claude x', 'anthropic/', '/claude-x', 'a//b', 'x'.repeat(201), 'claude-\u00e9', 'gpt-4o\n']) {
      expect(inferProviderModel(id), JSON.stringify(id)).toBeUndefined();
    }
  });
});
