import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from '../catalog/load-bundled-catalog.js';
import { DEFAULT_MODEL_MAP } from './default-models.js';

describe('DEFAULT_MODEL_MAP', () => {
  it('maps the nine artifact models to models priced in the bundled catalog', () => {
    const catalog = loadBundledCatalog();
    expect(Object.keys(DEFAULT_MODEL_MAP)).toHaveLength(9);
    for (const [name, target] of Object.entries(DEFAULT_MODEL_MAP)) {
      const model = catalog.findByProviderModel(target.provider, target.model);
      expect(model, `${name} -> ${target.provider}/${target.model}`).toBeDefined();
      expect(model?.status).toBe('active');
    }
  });
});
