import type { ProviderId } from '../types/provider-id.js';
import type { CatalogModel } from './catalog-model.js';

/** Immutable, indexed set of catalog models. Pure: no I/O. */
export class ModelCatalog {
  /** The date (YYYY-MM-DD) the prices and limits were checked. */
  readonly snapshotDate: string;
  readonly #models: readonly CatalogModel[];
  readonly #byId: ReadonlyMap<string, CatalogModel>;
  readonly #byProviderModel: ReadonlyMap<string, CatalogModel>;

  /** Models must have unique ids and unique provider model ids (see `parseCatalog`). */
  constructor(models: readonly CatalogModel[], snapshotDate: string) {
    this.snapshotDate = snapshotDate;
    this.#models = Object.freeze([...models]);
    this.#byId = new Map(models.map((model) => [model.id, model]));
    const byProviderModel = new Map<string, CatalogModel>();
    for (const model of models) {
      for (const providerModelId of [model.providerModelId, ...model.providerModelAliases]) {
        byProviderModel.set(providerKey(model.provider, providerModelId), model);
      }
    }
    this.#byProviderModel = byProviderModel;
  }

  /** The model with canonical id `id` (`openai/gpt-5`), if any. */
  get(id: string): CatalogModel | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Every model, in catalog order. */
  list(): readonly CatalogModel[] {
    return this.#models;
  }

  /** The model a provider knows as `providerModelId` (its main id or a dated alias). */
  findByProviderModel(provider: ProviderId, providerModelId: string): CatalogModel | undefined {
    return this.#byProviderModel.get(providerKey(provider, providerModelId));
  }
}

function providerKey(provider: ProviderId, providerModelId: string): string {
  return `${provider}\u0000${providerModelId}`;
}
