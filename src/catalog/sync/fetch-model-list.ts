import { castToError, GatewayError } from '../../errors/gateway-error.js';
import type { ProviderId } from '../../types/provider-id.js';
import type { ListedModel } from './listed-model.js';
import { parseAnthropicModelPage, parseGeminiModelPage, parseOpenAIModelList, parseOpenRouterModel, type ModelListPage } from './parse-model-lists.js';
import { proxiedFetch } from '../../providers/shared/proxy-fetch.js';
import { streamJsonArrayItems } from './stream-json-array.js';

/** Where and how to ask one provider for its models. */
export interface ModelListSource {
  readonly provider: ProviderId;
  /** The provider's API root as configured (`providers.<id>.base_url`; Anthropic's has no `/v1`). */
  readonly baseUrl: string;
  /** Required except for OpenRouter, whose list is public. */
  readonly apiKey?: string;
  /** The provider's forward proxy (`providers.<id>.proxy`), when its calls go through one. */
  readonly proxy?: string;
}

export interface FetchModelListOptions {
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
}

/** A provider's complete list. */
export interface FetchedModelList {
  readonly provider: ProviderId;
  readonly models: readonly ListedModel[];
  readonly skipped: number;
  readonly pages: number;
}

const MAX_PAGES = 100;

/**
 * Downloads a provider's whole model list in its own format: OpenAI in one response, Anthropic
 * paged by `after_id`, Gemini paged by `pageToken`, OpenRouter streamed element by element.
 * Any failure (HTTP error, bad JSON, a truncated body, a page loop) rejects: a partial list is
 * never returned as if it were complete.
 * @throws GatewayError `provider_*` codes naming the provider.
 */
export async function fetchModelList(source: ModelListSource, options: FetchModelListOptions = {}): Promise<FetchedModelList> {
  const doFetch = options.fetch ?? (source.proxy === undefined ? fetch : proxiedFetch(source.proxy));
  const base = source.baseUrl.replace(/\/+$/, '');
  const get = async (url: string, headers: Record<string, string>): Promise<Response> => {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
    let res: Response;
    try {
      res = await doFetch(url, { headers: { accept: 'application/json', ...headers }, signal });
    } catch (err) {
      throw new GatewayError('provider_connection_failed', `${source.provider} model list: ${castToError(err).message}`, { provider: source.provider, cause: err });
    }
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      const code = res.status === 401 || res.status === 403 ? 'provider_auth_failed' : res.status === 429 ? 'provider_rate_limited' : 'provider_bad_response';
      throw new GatewayError(code, `${source.provider} model list: HTTP ${res.status} ${body.slice(0, 200)}`.trim(), { provider: source.provider, upstreamStatus: res.status });
    }
    return res;
  };
  const json = async (res: Response): Promise<unknown> => {
    try {
      return (await res.json()) as unknown;
    } catch (err) {
      throw new GatewayError('provider_bad_response', `${source.provider} model list: invalid JSON: ${castToError(err).message}`, { provider: source.provider });
    }
  };
  const needKey = (): string => {
    if (source.apiKey === undefined || source.apiKey === '') throw new GatewayError('caller_unauthenticated', `${source.provider} model list needs an API key (providers.${source.provider}.api_key)`, { provider: source.provider });
    return source.apiKey;
  };

  switch (source.provider) {
    case 'openai': {
      const page = parseOpenAIModelList(await json(await get(`${base}/models`, { authorization: `Bearer ${needKey()}` })));
      return { provider: 'openai', models: page.models, skipped: page.skipped, pages: 1 };
    }
    case 'anthropic': {
      const key = needKey();
      return paginate(source.provider, async (cursor) =>
        parseAnthropicModelPage(
          await json(await get(`${base}/v1/models?limit=1000${cursor === undefined ? '' : `&after_id=${encodeURIComponent(cursor)}`}`, { 'x-api-key': key, 'anthropic-version': '2023-06-01' })),
        ),
      );
    }
    case 'gemini': {
      const key = needKey();
      return paginate(source.provider, async (cursor) =>
        parseGeminiModelPage(await json(await get(`${base}/models?pageSize=1000${cursor === undefined ? '' : `&pageToken=${encodeURIComponent(cursor)}`}`, { 'x-goog-api-key': key }))),
      );
    }
    case 'openrouter': {
      const res = await get(`${base}/models`, source.apiKey === undefined ? {} : { authorization: `Bearer ${source.apiKey}` });
      if (res.body === null) throw new GatewayError('provider_bad_response', 'openrouter model list: empty body', { provider: 'openrouter' });
      const models: ListedModel[] = [];
      let skipped = 0;
      for await (const item of streamJsonArrayItems(res.body, 'data')) {
        const model = parseOpenRouterModel(item);
        if (model === undefined) skipped++;
        else models.push(model);
      }
      return { provider: 'openrouter', models, skipped, pages: 1 };
    }
  }
}

async function paginate(provider: ProviderId, page: (cursor: string | undefined) => Promise<ModelListPage>): Promise<FetchedModelList> {
  const models: ListedModel[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let cursor: string | undefined;
  for (let pages = 1; pages <= MAX_PAGES; pages++) {
    const p = await page(cursor);
    models.push(...p.models);
    skipped += p.skipped;
    if (p.next === undefined) return { provider, models, skipped, pages };
    if (seen.has(p.next)) throw new GatewayError('provider_bad_response', `${provider} model list: page cursor ${p.next} repeats`, { provider });
    seen.add(p.next);
    cursor = p.next;
  }
  throw new GatewayError('provider_bad_response', `${provider} model list: more than ${MAX_PAGES} pages`, { provider });
}
