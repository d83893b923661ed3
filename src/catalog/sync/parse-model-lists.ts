import { GatewayError } from '../../errors/gateway-error.js';
import type { ListedModel } from './listed-model.js';

/** One page of a paginated list: the models, what was skipped, and the cursor of the next page. */
export interface ModelListPage {
  readonly models: readonly ListedModel[];
  /** Entries that were not understood (missing id, wrong types); skipped, never fatal. */
  readonly skipped: number;
  readonly next?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(provider: string, message: string): GatewayError {
  return new GatewayError('provider_bad_response', `${provider} model list: ${message}`, { provider });
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** OpenAI `GET /v1/models`: `{ object: "list", data: [{ id, object: "model", created, owned_by }] }`. */
export function parseOpenAIModelList(json: unknown): ModelListPage {
  if (!isObject(json) || !Array.isArray(json['data'])) throw bad('openai', 'expected { data: [...] }');
  const models: ListedModel[] = [];
  let skipped = 0;
  for (const item of json['data']) {
    if (!isObject(item) || typeof item['id'] !== 'string' || item['id'] === '') skipped++;
    else models.push({ provider: 'openai', providerModelId: item['id'] });
  }
  return { models, skipped };
}

/**
 * Anthropic `GET /v1/models`: `{ data: [{ type: "model", id, display_name, created_at }], has_more,
 * first_id, last_id }`; the next page is asked with `after_id = last_id`.
 */
export function parseAnthropicModelPage(json: unknown): ModelListPage {
  if (!isObject(json) || !Array.isArray(json['data'])) throw bad('anthropic', 'expected { data: [...] }');
  const models: ListedModel[] = [];
  let skipped = 0;
  for (const item of json['data']) {
    if (!isObject(item) || typeof item['id'] !== 'string' || item['id'] === '') {
      skipped++;
      continue;
    }
    const name = item['display_name'];
    models.push({ provider: 'anthropic', providerModelId: item['id'], ...(typeof name === 'string' && name !== '' ? { displayName: name } : {}) });
  }
  const more = json['has_more'] === true;
  const last = json['last_id'];
  if (more && (typeof last !== 'string' || last === '')) throw bad('anthropic', 'has_more without last_id');
  return { models, skipped, ...(more ? { next: last as string } : {}) };
}

/**
 * Gemini `GET /v1beta/models`: `{ models: [{ name: "models/gemini-2.5-flash", displayName,
 * inputTokenLimit, outputTokenLimit, supportedGenerationMethods, thinking? }], nextPageToken }`.
 * Only models that can `generateContent` are chat models; embedding and other models are left out
 * (not counted as skipped).
 */
export function parseGeminiModelPage(json: unknown): ModelListPage {
  if (!isObject(json)) throw bad('gemini', 'expected an object');
  const list = json['models'] ?? [];
  if (!Array.isArray(list)) throw bad('gemini', '"models" is not an array');
  const models: ListedModel[] = [];
  let skipped = 0;
  for (const item of list) {
    if (!isObject(item) || typeof item['name'] !== 'string' || !item['name'].startsWith('models/')) {
      skipped++;
      continue;
    }
    const methods = item['supportedGenerationMethods'];
    if (Array.isArray(methods) && !methods.includes('generateContent')) continue;
    const input = positiveInt(item['inputTokenLimit']);
    const output = positiveInt(item['outputTokenLimit']);
    const name = item['displayName'];
    models.push({
      provider: 'gemini',
      providerModelId: item['name'].slice('models/'.length),
      ...(typeof name === 'string' && name !== '' ? { displayName: name } : {}),
      ...(input === undefined ? {} : { contextWindowTokens: input }),
      ...(output === undefined ? {} : { maxOutputTokens: output }),
    });
  }
  const token = json['nextPageToken'];
  return { models, skipped, ...(typeof token === 'string' && token !== '' ? { next: token } : {}) };
}

/** OpenRouter prices are USD per token as decimal strings ("0.00000015"); -1 means "varies" (routers). */
function perMTok(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  // Round away float noise from the string-to-number-times-a-million step (0.00000015 * 1e6).
  return Math.round(n * 1e6 * 1e9) / 1e9;
}

/**
 * One element of OpenRouter `GET /api/v1/models` `data`: `{ id: "openai/gpt-4o-mini", name,
 * context_length, architecture: { input_modalities }, pricing: { prompt, completion,
 * input_cache_read }, top_provider: { context_length, max_completion_tokens },
 * supported_parameters: [...] }`. Returns undefined for an element that is not understood.
 */
export function parseOpenRouterModel(item: unknown): ListedModel | undefined {
  if (!isObject(item) || typeof item['id'] !== 'string' || item['id'] === '') return undefined;
  const pricing = isObject(item['pricing']) ? item['pricing'] : {};
  const top = isObject(item['top_provider']) ? item['top_provider'] : {};
  const arch = isObject(item['architecture']) ? item['architecture'] : {};
  const params = Array.isArray(item['supported_parameters']) ? (item['supported_parameters'] as unknown[]) : undefined;
  const modalities = Array.isArray(arch['input_modalities']) ? (arch['input_modalities'] as unknown[]) : undefined;
  const context = positiveInt(item['context_length']) ?? positiveInt(top['context_length']);
  const maxOut = positiveInt(top['max_completion_tokens']);
  const input = perMTok(pricing['prompt']);
  const output = perMTok(pricing['completion']);
  const cached = perMTok(pricing['input_cache_read']);
  const name = item['name'];
  return {
    provider: 'openrouter',
    providerModelId: item['id'],
    ...(typeof name === 'string' && name !== '' ? { displayName: name } : {}),
    ...(input === undefined ? {} : { inputPerMTok: input }),
    ...(output === undefined ? {} : { outputPerMTok: output }),
    ...(cached === undefined || cached === 0 ? {} : { cachedInputPerMTok: cached }),
    ...(context === undefined ? {} : { contextWindowTokens: context }),
    ...(maxOut === undefined && context === undefined ? {} : { maxOutputTokens: Math.min(maxOut ?? context ?? 0, context ?? Number.MAX_SAFE_INTEGER) }),
    capabilities: {
      streaming: true,
      ...(params === undefined ? {} : { tools: params.includes('tools'), jsonMode: params.includes('response_format') || params.includes('structured_outputs') }),
      ...(modalities === undefined ? {} : { vision: modalities.includes('image') }),
    },
    ...(params?.includes('reasoning') === true ? { reasoning: { kind: 'effort' as const, efforts: ['low', 'medium', 'high'] as const } } : {}),
  };
}
