import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../catalog/load-bundled-catalog.js';
import { DEFAULT_MODEL_MAP } from '../config/default-models.js';
import { resolveExplicitModel } from './plan-request.js';

const deps = { catalog: loadBundledCatalog(), models: () => DEFAULT_MODEL_MAP };

describe('resolveExplicitModel', () => {
  it('resolves catalog ids, bare provider ids and artifact names', () => {
    expect(resolveExplicitModel(deps, 'openai/gpt-4o-mini')?.map((t) => t.id)).toEqual(['openai/gpt-4o-mini', 'openrouter/openai/gpt-4o-mini']);
    expect(resolveExplicitModel(deps, 'gpt-4o-mini')?.[0]).toMatchObject({ provider: 'openai', providerModel: 'gpt-4o-mini', contextWindowTokens: 128_000 });
    expect(resolveExplicitModel(deps, 'claude-sonnet-4-5')?.[0]).toMatchObject({ provider: 'anthropic', providerModel: 'claude-sonnet-4-5' });
    expect(resolveExplicitModel(deps, 'qwen2.5-7b-instruct')?.[0]).toMatchObject({ provider: 'openrouter', providerModel: 'qwen/qwen-2.5-7b-instruct' });
    expect(resolveExplicitModel(deps, 'openrouter/qwen/qwen-2.5-7b-instruct')).toHaveLength(1);
  });

  it('does not serve unknown or retired models', () => {
    expect(resolveExplicitModel(deps, 'gpt-nonexistent')).toBeUndefined();
    expect(resolveExplicitModel(deps, 'openai/nonexistent')).toBeUndefined();
    expect(resolveExplicitModel(deps, 'anthropic/claude-opus-4-1')).toBeUndefined();
  });
});
