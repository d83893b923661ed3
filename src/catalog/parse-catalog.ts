import { GatewayError } from '../errors/gateway-error.js';
import type { CatalogModel } from './catalog-model.js';
import { catalogFileSchema, type CatalogModelEntry } from './catalog-schema.js';
import { ModelCatalog } from './model-catalog.js';

function toCatalogModel(entry: CatalogModelEntry): CatalogModel {
  const { reasoning, capabilities, long_context: longContext } = entry;
  return Object.freeze({
    id: entry.id,
    provider: entry.provider,
    providerModelId: entry.provider_model_id,
    providerModelAliases: Object.freeze([...(entry.provider_model_aliases ?? [])]),
    displayName: entry.display_name,
    status: entry.status,
    inputPerMTok: entry.input_per_mtok,
    outputPerMTok: entry.output_per_mtok,
    ...(entry.cached_input_per_mtok === undefined ? {} : { cachedInputPerMTok: entry.cached_input_per_mtok }),
    ...(longContext === undefined
      ? {}
      : {
          longContext: Object.freeze({
            aboveInputTokens: longContext.above_input_tokens,
            inputPerMTok: longContext.input_per_mtok,
            outputPerMTok: longContext.output_per_mtok,
            ...(longContext.cached_input_per_mtok === undefined ? {} : { cachedInputPerMTok: longContext.cached_input_per_mtok }),
          }),
        }),
    contextWindowTokens: entry.context_window_tokens,
    maxOutputTokens: entry.max_output_tokens,
    capabilities: Object.freeze({
      tools: capabilities.tools,
      vision: capabilities.vision,
      streaming: capabilities.streaming,
      jsonMode: capabilities.json_mode,
    }),
    reasoning: Object.freeze({
      kind: reasoning.kind,
      ...(reasoning.efforts === undefined ? {} : { efforts: Object.freeze([...reasoning.efforts]) }),
      ...(reasoning.min_budget === undefined ? {} : { minBudget: reasoning.min_budget }),
      ...(reasoning.max_budget === undefined ? {} : { maxBudget: reasoning.max_budget }),
      ...(reasoning.budget_can_disable === undefined ? {} : { budgetCanDisable: reasoning.budget_can_disable }),
    }),
  });
}

/** Names a model in error paths by its id when it has one (`models[3] (openai/gpt-5).input_per_mtok`). */
function describePath(json: unknown, path: readonly PropertyKey[]): string {
  if (path[0] === 'models' && typeof path[1] === 'number') {
    const models = (json as { models?: unknown[] }).models;
    const entry = models?.[path[1]] as { id?: unknown } | undefined;
    const name = typeof entry?.id === 'string' ? ` (${entry.id})` : '';
    const rest = path.slice(2).map(String).join('.');
    return `models[${path[1]}]${name}${rest === '' ? '' : `.${rest}`}`;
  }
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * Validates catalog JSON strictly (every model priced, with a context window, ids unique and
 * prefixed by their provider) and indexes it.
 * @throws GatewayError `gateway_config_invalid` listing every problem, each naming its model.
 */
export function parseCatalog(json: unknown): ModelCatalog {
  const result = catalogFileSchema.safeParse(json);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = describePath(json, issue.path);
      if (issue.code === 'unrecognized_keys') problems.push(...issue.keys.map((key) => `${path}.${key}: unknown key`));
      else problems.push(`${path}: ${issue.message}`);
    }
  } else {
    const ids = new Set<string>();
    const providerIds = new Map<string, string>();
    for (const model of result.data.models) {
      if (ids.has(model.id)) problems.push(`${model.id}: duplicate model id`);
      ids.add(model.id);
      for (const providerModelId of [model.provider_model_id, ...(model.provider_model_aliases ?? [])]) {
        const key = `${model.provider}/${providerModelId}`;
        const owner = providerIds.get(key);
        if (owner !== undefined && owner !== model.id) problems.push(`${model.id}: provider model id "${providerModelId}" is already used by ${owner}`);
        providerIds.set(key, model.id);
      }
    }
  }
  if (problems.length > 0 || !result.success) {
    throw new GatewayError('gateway_config_invalid', `invalid model catalog:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
  }
  return new ModelCatalog(result.data.models.map(toCatalogModel), result.data.snapshot_date);
}
