import { castToError } from '../../errors/gateway-error.js';
import type { CatalogChange, CatalogStore } from '../../store/store.js';
import type { ProviderId } from '../../types/provider-id.js';
import type { ModelCatalog } from '../model-catalog.js';
import { fetchModelList, type ModelListSource } from './fetch-model-list.js';
import { buildCatalog, mergeListedModels } from './merge-listed-models.js';

/** The outcome of refreshing one provider. */
export interface ProviderRefreshResult {
  readonly provider: ProviderId;
  readonly ok: boolean;
  /** `ok`, or why the list was not used (the stored data was left as it was). */
  readonly message: string;
  readonly listed: number;
  readonly skipped: number;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly unpriced: readonly string[];
  readonly rejected: readonly string[];
}

export interface CatalogRefreshReport {
  readonly at: number;
  readonly providers: readonly ProviderRefreshResult[];
  /** Price and context-window moves above the threshold, across providers. */
  readonly changes: readonly CatalogChange[];
  /** The catalog in service after the refresh. */
  readonly catalog: ModelCatalog;
}

export interface CatalogSyncOptions {
  readonly store: { readonly catalog: CatalogStore };
  readonly bundled: ModelCatalog;
  /** Providers to ask; those without a key (except OpenRouter) are simply not listed here. */
  readonly sources: readonly ModelListSource[];
  /** Refresh period in ms; 0 disables the schedule (refresh only on demand). */
  readonly intervalMs: number;
  /** Relative price / context-window change reported as a change (default 0.05). */
  readonly threshold?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** Called with the new catalog after a refresh that changed something (swap it into the router state). */
  readonly onChange?: (catalog: ModelCatalog, report: CatalogRefreshReport) => void;
  /** Called when a provider's refresh failed; its stored data stays in service. */
  readonly onError?: (provider: ProviderId, error: Error) => void;
}

/** Keeps the catalog current from the providers' lists. */
export interface CatalogSync {
  /** The catalog in service (bundled until {@link CatalogSync.load} or a refresh). */
  current(): ModelCatalog;
  /** Reads the stored catalog (at start). */
  load(): Promise<ModelCatalog>;
  /** Asks every source (or the given ones) now. One refresh runs at a time; concurrent calls share it. */
  refresh(providers?: readonly ProviderId[]): Promise<CatalogRefreshReport>;
  close(): void;
}

/** Reads the catalog in service from the store: the bundled snapshot with stored entries over it. */
export async function loadStoredCatalog(store: { readonly catalog: Pick<CatalogStore, 'listModels'> }, bundled: ModelCatalog): Promise<ModelCatalog> {
  return buildCatalog(bundled, await store.catalog.listModels());
}

/**
 * Creates the catalog sync: on each refresh, every provider's list is downloaded in full and merged
 * with the catalog in service; only a complete, well-formed list is used, entries are added or
 * updated but never removed, and each provider's outcome is recorded. The refreshed catalog is
 * handed to `onChange`, so costs are recomputed without a restart.
 */
export function createCatalogSync(options: CatalogSyncOptions): CatalogSync {
  const now = options.now ?? Date.now;
  const threshold = options.threshold ?? 0.05;
  let catalog = options.bundled;
  let inFlight: Promise<CatalogRefreshReport> | undefined;

  const refreshNow = async (providers: readonly ProviderId[] | undefined): Promise<CatalogRefreshReport> => {
    const at = now();
    const results: ProviderRefreshResult[] = [];
    const changes: CatalogChange[] = [];
    let changed = false;
    // Start from what is stored now: another replica may have refreshed since we last looked.
    catalog = await loadStoredCatalog(options.store, options.bundled);
    for (const source of options.sources) {
      if (providers !== undefined && !providers.includes(source.provider)) continue;
      try {
        const list = await fetchModelList(source, options.fetch === undefined ? {} : { fetch: options.fetch });
        const merged = mergeListedModels(catalog, list, { now: at, threshold });
        await options.store.catalog.upsertModels(merged.upserts);
        await options.store.catalog.addChanges(merged.changes);
        await options.store.catalog.recordRefresh({ provider: source.provider, refreshedAt: at, ok: true, message: 'ok', listed: list.models.length });
        if (merged.upserts.length > 0) {
          changed = true;
          catalog = await loadStoredCatalog(options.store, options.bundled);
        }
        changes.push(...merged.changes);
        results.push({ provider: source.provider, ok: true, message: 'ok', listed: list.models.length, skipped: list.skipped, added: merged.added, updated: merged.updated, unpriced: merged.unpriced, rejected: merged.rejected });
      } catch (err) {
        const error = castToError(err);
        options.onError?.(source.provider, error);
        await options.store.catalog.recordRefresh({ provider: source.provider, refreshedAt: at, ok: false, message: error.message, listed: 0 }).catch(() => undefined);
        results.push({ provider: source.provider, ok: false, message: error.message, listed: 0, skipped: 0, added: [], updated: [], unpriced: [], rejected: [] });
      }
    }
    const report: CatalogRefreshReport = { at, providers: results, changes, catalog };
    if (changed) options.onChange?.(catalog, report);
    return report;
  };

  const refresh = (providers?: readonly ProviderId[]): Promise<CatalogRefreshReport> => {
    inFlight ??= refreshNow(providers).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const timer = options.intervalMs > 0 ? setInterval(() => void refresh().catch(() => undefined), options.intervalMs) : undefined;
  timer?.unref();
  return {
    current: () => catalog,
    async load() {
      catalog = await loadStoredCatalog(options.store, options.bundled);
      return catalog;
    },
    refresh,
    close: () => {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
