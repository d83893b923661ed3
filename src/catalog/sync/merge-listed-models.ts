import type { CatalogModel } from '../catalog-model.js';
import { catalogModelSchema, type CatalogModelEntry } from '../catalog-schema.js';
import type { ModelCatalog } from '../model-catalog.js';
import { parseCatalog } from '../parse-catalog.js';
import type { CatalogChange, StoredCatalogModel } from '../../store/store.js';
import type { FetchedModelList } from './fetch-model-list.js';
import type { ListedModel } from './listed-model.js';

/** What merging one provider's list into the catalog did. */
export interface MergeReport {
  /** Entries to store (new models, and known models whose figures moved). */
  readonly upserts: readonly StoredCatalogModel[];
  /** Prices and context windows that moved by more than the threshold. */
  readonly changes: readonly CatalogChange[];
  readonly added: readonly string[];
  readonly updated: readonly string[];
  /** Listed models the catalog does not know and the list does not price: not added (cannot be costed). */
  readonly unpriced: readonly string[];
  /** Listed figures that would make an entry invalid (e.g. max output above the context window): ignored. */
  readonly rejected: readonly string[];
}

export interface MergeOptions {
  readonly now: number;
  /** Relative change (0.05 = 5 %) above which a price or context window change is reported. */
  readonly threshold: number;
}

const WATCHED = ['input_per_mtok', 'output_per_mtok', 'cached_input_per_mtok', 'context_window_tokens', 'max_output_tokens'] as const;

/**
 * Merges a provider's list into the catalog in service. Fields the list carries (OpenRouter's
 * prices, Gemini's and OpenRouter's token limits) replace the catalog's; fields it lacks keep the
 * stored or bundled value. A model the catalog does not know is added only when the list prices
 * it and gives its context window. Nothing is ever removed: a model missing from a list (a partial
 * page, a regional list) keeps its entry.
 */
export function mergeListedModels(current: ModelCatalog, list: FetchedModelList, options: MergeOptions): MergeReport {
  const upserts: StoredCatalogModel[] = [];
  const changes: CatalogChange[] = [];
  const added: string[] = [];
  const updated: string[] = [];
  const unpriced: string[] = [];
  const rejected: string[] = [];
  const source = `${list.provider}:models`;
  const seen = new Set<string>();
  for (const listed of list.models) {
    const known = current.findByProviderModel(listed.provider, listed.providerModelId);
    if (known !== undefined) {
      // A dated alias listed next to its main id would apply the same figures twice.
      if (seen.has(known.id)) continue;
      seen.add(known.id);
      const before = toCatalogEntry(known);
      const after = overlay(before, listed);
      const valid = catalogModelSchema.safeParse(after);
      if (!valid.success) {
        rejected.push(known.id);
        continue;
      }
      const moved = WATCHED.filter((f) => before[f] !== after[f]);
      if (moved.length === 0) continue;
      for (const field of moved) {
        const oldValue = before[field] ?? null;
        const newValue = after[field] ?? null;
        if (oldValue === null || newValue === null || Math.abs(newValue - oldValue) > options.threshold * Math.max(Math.abs(oldValue), 1e-12)) {
          changes.push({ at: options.now, modelId: known.id, field, oldValue, newValue });
        }
      }
      upserts.push({ id: known.id, provider: known.provider, entry: after, source, updatedAt: options.now });
      updated.push(known.id);
      continue;
    }
    const id = `${listed.provider}/${listed.providerModelId}`;
    if (current.get(id) !== undefined || seen.has(id)) continue;
    seen.add(id);
    if (listed.inputPerMTok === undefined || listed.outputPerMTok === undefined || listed.contextWindowTokens === undefined) {
      unpriced.push(id);
      continue;
    }
    const entry = newEntry(id, listed);
    if (!catalogModelSchema.safeParse(entry).success) {
      rejected.push(id);
      continue;
    }
    upserts.push({ id, provider: listed.provider, entry, source, updatedAt: options.now });
    added.push(id);
  }
  return { upserts, changes, added, updated, unpriced, rejected };
}

function overlay(entry: CatalogModelEntry, listed: ListedModel): CatalogModelEntry {
  const next: CatalogModelEntry = { ...entry };
  // Prices change together; a list with only one of them is not trusted for either.
  if (listed.inputPerMTok !== undefined && listed.outputPerMTok !== undefined) {
    next.input_per_mtok = listed.inputPerMTok;
    next.output_per_mtok = listed.outputPerMTok;
    if (listed.cachedInputPerMTok !== undefined) next.cached_input_per_mtok = listed.cachedInputPerMTok;
  }
  if (listed.contextWindowTokens !== undefined) next.context_window_tokens = listed.contextWindowTokens;
  if (listed.maxOutputTokens !== undefined) next.max_output_tokens = Math.min(listed.maxOutputTokens, next.context_window_tokens);
  return next;
}

function newEntry(id: string, listed: ListedModel): CatalogModelEntry {
  const context = listed.contextWindowTokens as number;
  const caps = listed.capabilities ?? {};
  return {
    id,
    provider: listed.provider,
    provider_model_id: listed.providerModelId,
    display_name: listed.displayName ?? listed.providerModelId,
    status: 'active',
    input_per_mtok: listed.inputPerMTok as number,
    output_per_mtok: listed.outputPerMTok as number,
    ...(listed.cachedInputPerMTok === undefined ? {} : { cached_input_per_mtok: listed.cachedInputPerMTok }),
    context_window_tokens: context,
    max_output_tokens: Math.min(listed.maxOutputTokens ?? context, context),
    capabilities: { tools: caps.tools ?? false, vision: caps.vision ?? false, streaming: caps.streaming ?? true, json_mode: caps.jsonMode ?? false },
    reasoning: listed.reasoning?.kind === 'effort' && listed.reasoning.efforts !== undefined ? { kind: 'effort', efforts: [...listed.reasoning.efforts] } : { kind: 'none' },
  };
}

/** The stored (snake_case) form of a catalog model: the inverse of `parseCatalog`'s mapping. */
export function toCatalogEntry(m: CatalogModel): CatalogModelEntry {
  const r = m.reasoning;
  return {
    id: m.id,
    provider: m.provider,
    provider_model_id: m.providerModelId,
    ...(m.providerModelAliases.length === 0 ? {} : { provider_model_aliases: [...m.providerModelAliases] }),
    display_name: m.displayName,
    status: m.status,
    input_per_mtok: m.inputPerMTok,
    output_per_mtok: m.outputPerMTok,
    ...(m.cachedInputPerMTok === undefined ? {} : { cached_input_per_mtok: m.cachedInputPerMTok }),
    ...(m.longContext === undefined
      ? {}
      : {
          long_context: {
            above_input_tokens: m.longContext.aboveInputTokens,
            input_per_mtok: m.longContext.inputPerMTok,
            output_per_mtok: m.longContext.outputPerMTok,
            ...(m.longContext.cachedInputPerMTok === undefined ? {} : { cached_input_per_mtok: m.longContext.cachedInputPerMTok }),
          },
        }),
    context_window_tokens: m.contextWindowTokens,
    max_output_tokens: m.maxOutputTokens,
    capabilities: { tools: m.capabilities.tools, vision: m.capabilities.vision, streaming: m.capabilities.streaming, json_mode: m.capabilities.jsonMode },
    reasoning: {
      kind: r.kind,
      ...(r.efforts === undefined ? {} : { efforts: [...r.efforts] }),
      ...(r.minBudget === undefined ? {} : { min_budget: r.minBudget }),
      ...(r.maxBudget === undefined ? {} : { max_budget: r.maxBudget }),
      ...(r.budgetCanDisable === undefined ? {} : { budget_can_disable: r.budgetCanDisable }),
    },
  };
}

/**
 * The catalog in service: the bundled snapshot with stored entries laid over it (same id: the
 * stored one wins) plus stored models the snapshot lacks. A stored entry that is invalid or that
 * claims a provider model id another model owns is ignored, so bad stored data can never take the
 * catalog down. `snapshotDate` is the date of the newest stored figure, or the bundle's.
 */
export function buildCatalog(bundled: ModelCatalog, stored: readonly StoredCatalogModel[]): ModelCatalog {
  const entries = new Map<string, CatalogModelEntry>(bundled.list().map((m) => [m.id, toCatalogEntry(m)]));
  let newest = 0;
  for (const s of stored) {
    const parsed = catalogModelSchema.safeParse(s.entry);
    if (!parsed.success || parsed.data.id !== s.id) continue;
    const previous = entries.get(s.id);
    entries.set(s.id, parsed.data);
    if (!ownsProviderIds(entries)) {
      if (previous === undefined) entries.delete(s.id);
      else entries.set(s.id, previous);
      continue;
    }
    newest = Math.max(newest, s.updatedAt);
  }
  const snapshotDate = newest > 0 ? new Date(newest).toISOString().slice(0, 10) : bundled.snapshotDate;
  return parseCatalog({ schema_version: 1, snapshot_date: snapshotDate, currency: 'USD', sources: { catalog: 'bundled snapshot with provider lists laid over it' }, models: [...entries.values()] });
}

function ownsProviderIds(entries: ReadonlyMap<string, CatalogModelEntry>): boolean {
  const owners = new Map<string, string>();
  for (const e of entries.values()) {
    for (const pid of [e.provider_model_id, ...(e.provider_model_aliases ?? [])]) {
      const key = `${e.provider}/${pid}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== e.id) return false;
      owners.set(key, e.id);
    }
  }
  return true;
}
