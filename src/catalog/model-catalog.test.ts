import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../errors/gateway-error.js';
import { PROVIDER_IDS } from '../types/provider-id.js';
import { estimateCostUsd } from './estimate-cost.js';
import { loadBundledCatalog, loadCatalogFile, bundledCatalogPath } from './load-bundled-catalog.js';
import { parseCatalog } from './parse-catalog.js';

function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'openai/test-model',
    provider: 'openai',
    provider_model_id: 'test-model',
    provider_model_aliases: ['test-model-2025-01-01'],
    display_name: 'Test',
    input_per_mtok: 1,
    output_per_mtok: 4,
    cached_input_per_mtok: 0.1,
    context_window_tokens: 100_000,
    max_output_tokens: 10_000,
    capabilities: { tools: true, vision: false, streaming: true, json_mode: true },
    reasoning: { kind: 'effort', efforts: ['low', 'high'] },
    ...overrides,
  };
}

function file(models: unknown[]): Record<string, unknown> {
  return { schema_version: 1, snapshot_date: '2026-11-27', currency: 'USD', sources: { all: 'test' }, models };
}

function parseError(json: unknown): string {
  try {
    parseCatalog(json);
  } catch (error) {
    expect(isGatewayError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected parseCatalog to throw');
}

describe('parseCatalog', () => {
  it('maps snake_case entries to camelCase models', () => {
    const catalog = parseCatalog(file([entry()]));
    const model = catalog.get('openai/test-model');
    expect(catalog.snapshotDate).toBe('2026-11-27');
    expect(model).toMatchObject({
      provider: 'openai',
      providerModelId: 'test-model',
      inputPerMTok: 1,
      outputPerMTok: 4,
      cachedInputPerMTok: 0.1,
      contextWindowTokens: 100_000,
      maxOutputTokens: 10_000,
      status: 'active',
      capabilities: { tools: true, vision: false, streaming: true, jsonMode: true },
      reasoning: { kind: 'effort', efforts: ['low', 'high'] },
    });
    expect(Object.isFrozen(model)).toBe(true);
  });

  it('names a model that has no prices or context window', () => {
    const noPrice = entry({ id: 'openai/unpriced' });
    delete noPrice.input_per_mtok;
    const noContext = entry({ id: 'openai/no-context', provider_model_id: 'no-context', provider_model_aliases: [] });
    delete noContext.context_window_tokens;
    const message = parseError(file([noPrice, noContext]));
    expect(message).toContain('models[0] (openai/unpriced).input_per_mtok');
    expect(message).toContain('models[1] (openai/no-context).context_window_tokens');
  });

  it('rejects duplicate ids, shared provider ids and a wrong provider prefix', () => {
    const message = parseError(
      file([
        entry(),
        entry({ provider_model_id: 'other', provider_model_aliases: [] }),
        entry({ id: 'openai/third', provider_model_id: 'test-model-2025-01-01', provider_model_aliases: [] }),
        entry({ id: 'gemini/misfiled', provider_model_id: 'x', provider_model_aliases: [] }),
      ]),
    );
    expect(message).toContain('models[3] (gemini/misfiled).id: must start with the provider prefix "openai/"');
  });

  it('reports duplicates once the entries themselves are valid', () => {
    const message = parseError(
      file([entry(), entry({ provider_model_id: 'other', provider_model_aliases: [] }), entry({ id: 'openai/third', provider_model_id: 'test-model-2025-01-01', provider_model_aliases: [] })]),
    );
    expect(message).toContain('openai/test-model: duplicate model id');
    expect(message).toContain('openai/third: provider model id "test-model-2025-01-01" is already used by openai/test-model');
  });

  it('checks reasoning shapes and limits', () => {
    const message = parseError(
      file([
        entry({ id: 'openai/a', provider_model_id: 'a', provider_model_aliases: [], reasoning: { kind: 'budget', min_budget: 10, max_budget: 5, budget_can_disable: true } }),
        entry({ id: 'openai/b', provider_model_id: 'b', provider_model_aliases: [], reasoning: { kind: 'effort' } }),
        entry({ id: 'openai/c', provider_model_id: 'c', provider_model_aliases: [], reasoning: { kind: 'none', max_budget: 100 } }),
        entry({ id: 'openai/d', provider_model_id: 'd', provider_model_aliases: [], max_output_tokens: 200_000 }),
        entry({ id: 'openai/e', provider_model_id: 'e', provider_model_aliases: [], surprise: true }),
      ]),
    );
    expect(message).toContain('models[0] (openai/a).reasoning.min_budget: must not exceed max_budget');
    expect(message).toContain('models[1] (openai/b).reasoning.efforts: required when kind is "effort"');
    expect(message).toContain('models[2] (openai/c).reasoning.kind: budget fields are only allowed');
    expect(message).toContain('models[3] (openai/d).max_output_tokens: must not exceed context_window_tokens');
    expect(message).toContain('models[4] (openai/e).surprise: unknown key');
  });
});

describe('ModelCatalog lookups', () => {
  const catalog = parseCatalog(
    file([entry(), entry({ id: 'openrouter/openai/test-model', provider: 'openrouter', provider_model_id: 'openai/test-model', provider_model_aliases: [] })]),
  );

  it('finds by canonical id and by provider model id or alias', () => {
    expect(catalog.get('openai/test-model')?.provider).toBe('openai');
    expect(catalog.get('missing/model')).toBeUndefined();
    expect(catalog.findByProviderModel('openai', 'test-model')?.id).toBe('openai/test-model');
    expect(catalog.findByProviderModel('openai', 'test-model-2025-01-01')?.id).toBe('openai/test-model');
    expect(catalog.findByProviderModel('openrouter', 'openai/test-model')?.id).toBe('openrouter/openai/test-model');
    expect(catalog.findByProviderModel('anthropic', 'test-model')).toBeUndefined();
    expect(catalog.list().map((model) => model.id)).toEqual(['openai/test-model', 'openrouter/openai/test-model']);
  });
});

describe('estimateCostUsd', () => {
  const model = parseCatalog(
    file([entry({ long_context: { above_input_tokens: 50_000, input_per_mtok: 2, output_per_mtok: 8, cached_input_per_mtok: 0.2 } })]),
  ).get('openai/test-model');

  it('bills cached input at the cached rate and switches tiers above the threshold', () => {
    if (model === undefined) throw new Error('model missing');
    expect(estimateCostUsd(model, { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(2, 10);
    expect(estimateCostUsd(model, { inputTokens: 10_000, outputTokens: 1_000, cachedInputTokens: 4_000 })).toBeCloseTo((6_000 * 1 + 4_000 * 0.1 + 1_000 * 4) / 1e6, 12);
    expect(estimateCostUsd(model, { inputTokens: 40_000, outputTokens: 0, cachedInputTokens: 99_999 })).toBeCloseTo((40_000 * 0.1) / 1e6, 12);
  });
});

describe('bundled catalog', () => {
  const catalog = loadBundledCatalog();

  it('loads, is dated and is cached', () => {
    expect(catalog.snapshotDate).toBe('2026-11-27');
    expect(loadBundledCatalog()).toBe(catalog);
    expect(loadCatalogFile(bundledCatalogPath()).list()).toHaveLength(catalog.list().length);
  });

  it('prices every model and keeps ids unique and provider-prefixed', () => {
    const ids = new Set<string>();
    for (const model of catalog.list()) {
      expect(PROVIDER_IDS).toContain(model.provider);
      expect(model.id.startsWith(`${model.provider}/`)).toBe(true);
      expect(model.inputPerMTok).toBeGreaterThan(0);
      expect(model.outputPerMTok).toBeGreaterThan(0);
      expect(model.maxOutputTokens).toBeLessThanOrEqual(model.contextWindowTokens);
      expect(ids.has(model.id)).toBe(false);
      ids.add(model.id);
    }
  });

  it('covers the required models with the documented reasoning limits', () => {
    const required = [
      'openai/gpt-5', 'openai/gpt-5-mini', 'openai/gpt-5-nano', 'openai/gpt-4.1', 'openai/gpt-4.1-mini', 'openai/gpt-4.1-nano',
      'openai/gpt-4o', 'openai/gpt-4o-mini', 'openai/o3', 'openai/o4-mini',
      'anthropic/claude-opus-4-1', 'anthropic/claude-sonnet-4-5', 'anthropic/claude-haiku-4-5', 'anthropic/claude-3-5-haiku',
      'gemini/gemini-2.5-pro', 'gemini/gemini-2.5-flash', 'gemini/gemini-2.5-flash-lite', 'gemini/gemini-2.0-flash',
      'openrouter/openai/gpt-4o-mini', 'openrouter/anthropic/claude-sonnet-4.5', 'openrouter/google/gemini-2.5-flash',
    ];
    for (const id of required) expect(catalog.get(id), id).toBeDefined();
    expect(catalog.get('gemini/gemini-2.5-pro')?.reasoning).toEqual({ kind: 'budget', minBudget: 128, maxBudget: 32768, budgetCanDisable: false });
    expect(catalog.get('gemini/gemini-2.5-flash')?.reasoning).toMatchObject({ minBudget: 0, maxBudget: 24576, budgetCanDisable: true });
    expect(catalog.get('openai/gpt-5')?.reasoning.efforts).toEqual(['minimal', 'low', 'medium', 'high']);
    expect(catalog.findByProviderModel('anthropic', 'claude-sonnet-4-5-20250929')?.id).toBe('anthropic/claude-sonnet-4-5');
  });
});
