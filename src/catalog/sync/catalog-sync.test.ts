import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeHandler, type FakeUpstream } from '../../../test/helpers/fake-upstream.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { estimateCostUsd } from '../estimate-cost.js';
import { loadBundledCatalog } from '../load-bundled-catalog.js';
import type { ModelCatalog } from '../model-catalog.js';
import { createCatalogSync } from './catalog-sync.js';
import { fetchModelList } from './fetch-model-list.js';

const openRouterList = (promptPrice: string) => ({
  data: [
    {
      id: 'openai/gpt-4o-mini',
      canonical_slug: 'openai/gpt-4o-mini',
      name: 'OpenAI: GPT-4o-mini',
      created: 1721260800,
      context_length: 128000,
      architecture: { modality: 'text+image->text', input_modalities: ['text', 'image', 'file'], output_modalities: ['text'], tokenizer: 'GPT' },
      pricing: { prompt: promptPrice, completion: '0.0000006', request: '0', image: '0.000217', input_cache_read: '0.000000075' },
      top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
      per_request_limits: null,
      supported_parameters: ['max_tokens', 'temperature', 'tools', 'tool_choice', 'response_format', 'structured_outputs'],
    },
    {
      id: 'deepseek/deepseek-r1',
      name: 'DeepSeek: R1',
      context_length: 163840,
      architecture: { input_modalities: ['text'] },
      pricing: { prompt: '0.0000004', completion: '0.000002' },
      top_provider: { context_length: 163840, max_completion_tokens: null },
      supported_parameters: ['reasoning', 'include_reasoning', 'max_tokens'],
    },
    { id: 'openrouter/auto', name: 'Auto Router', context_length: 2000000, pricing: { prompt: '-1', completion: '-1' } },
    { name: 'no id' },
  ],
});

describe('fetchModelList', () => {
  let upstream: FakeUpstream | undefined;
  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });
  const serve = async (handler: FakeHandler): Promise<string> => {
    upstream = await startFakeUpstream(handler);
    return upstream.url;
  };

  it('pages through Anthropic by after_id with its headers', async () => {
    const url = await serve((req, res) => {
      const after = new URL(req.url, 'http://x').searchParams.get('after_id');
      if (after === null) res.json(200, { data: [{ type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' }], has_more: true, first_id: 'claude-haiku-4-5-20251001', last_id: 'claude-haiku-4-5-20251001' });
      else res.json(200, { data: [{ type: 'model', id: 'claude-next-9', display_name: 'Claude Next' }], has_more: false, first_id: 'claude-next-9', last_id: 'claude-next-9' });
    });
    const list = await fetchModelList({ provider: 'anthropic', baseUrl: url, apiKey: 'ak' });
    expect(list.pages).toBe(2);
    expect(list.models.map((m) => m.providerModelId)).toEqual(['claude-haiku-4-5-20251001', 'claude-next-9']);
    expect(upstream?.requests.map((r) => [r.url, r.headers['x-api-key'], r.headers['anthropic-version']])).toEqual([
      ['/v1/models?limit=1000', 'ak', '2023-06-01'],
      ['/v1/models?limit=1000&after_id=claude-haiku-4-5-20251001', 'ak', '2023-06-01'],
    ]);
  });

  it('pages through Gemini by pageToken, keeps generateContent models and their limits', async () => {
    const url = await serve((req, res) => {
      const token = new URL(req.url, 'http://x').searchParams.get('pageToken');
      if (token === null)
        res.json(200, {
          models: [
            { name: 'models/gemini-2.5-flash', version: '001', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1048576, outputTokenLimit: 65536, supportedGenerationMethods: ['generateContent', 'countTokens'], thinking: true },
            { name: 'models/text-embedding-004', inputTokenLimit: 2048, outputTokenLimit: 1, supportedGenerationMethods: ['embedContent'] },
          ],
          nextPageToken: 'p2',
        });
      else res.json(200, { models: [{ name: 'models/gemini-3-pro', inputTokenLimit: 2000000, outputTokenLimit: 65536, supportedGenerationMethods: ['generateContent'] }] });
    });
    const list = await fetchModelList({ provider: 'gemini', baseUrl: `${url}/v1beta`, apiKey: 'gk' });
    expect(list.models).toEqual([
      { provider: 'gemini', providerModelId: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', contextWindowTokens: 1048576, maxOutputTokens: 65536 },
      { provider: 'gemini', providerModelId: 'gemini-3-pro', contextWindowTokens: 2000000, maxOutputTokens: 65536 },
    ]);
    expect(upstream?.requests.map((r) => [r.url, r.headers['x-goog-api-key']])).toEqual([
      ['/v1beta/models?pageSize=1000', 'gk'],
      ['/v1beta/models?pageSize=1000&pageToken=p2', 'gk'],
    ]);
  });

  it('reads OpenAI ids with a bearer key, and fails clearly on HTTP errors and a page loop', async () => {
    let mode = 'ok';
    const url = await serve((req, res) => {
      if (mode === 'ok') res.json(200, { object: 'list', data: [{ id: 'gpt-5', object: 'model', created: 1, owned_by: 'openai' }, { object: 'model' }] });
      else if (mode === '401') res.json(401, { error: { message: 'bad key' } });
      else res.json(200, { models: [], nextPageToken: 'same' });
    });
    const list = await fetchModelList({ provider: 'openai', baseUrl: url, apiKey: 'ok-key' });
    expect(list.models).toEqual([{ provider: 'openai', providerModelId: 'gpt-5' }]);
    expect(list.skipped).toBe(1);
    expect(upstream?.requests[0]?.headers['authorization']).toBe('Bearer ok-key');
    mode = '401';
    await expect(fetchModelList({ provider: 'openai', baseUrl: url, apiKey: 'k' })).rejects.toMatchObject({ code: 'provider_auth_failed', upstreamStatus: 401 });
    await expect(fetchModelList({ provider: 'openai', baseUrl: url })).rejects.toMatchObject({ code: 'caller_unauthenticated' });
    mode = 'loop';
    await expect(fetchModelList({ provider: 'gemini', baseUrl: url, apiKey: 'k' })).rejects.toThrow(/cursor same repeats/);
  });

  it('streams the OpenRouter list in small writes and converts per-token prices', async () => {
    const url = await serve((_req, res) => {
      const body = Buffer.from(JSON.stringify(openRouterList('0.00000015')));
      res.raw.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < body.length; i += 97) res.raw.write(body.subarray(i, i + 97));
      res.raw.end();
    });
    const list = await fetchModelList({ provider: 'openrouter', baseUrl: `${url}/api/v1` });
    expect(list.skipped).toBe(1);
    expect(list.models[0]).toEqual({
      provider: 'openrouter', providerModelId: 'openai/gpt-4o-mini', displayName: 'OpenAI: GPT-4o-mini', inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075,
      contextWindowTokens: 128000, maxOutputTokens: 16384, capabilities: { streaming: true, tools: true, jsonMode: true, vision: true },
    });
    expect(list.models[1]).toMatchObject({ providerModelId: 'deepseek/deepseek-r1', maxOutputTokens: 163840, reasoning: { kind: 'effort' } });
    // Variable-priced routers are listed without prices (and will not be added to the catalog).
    expect(list.models[2]).toMatchObject({ providerModelId: 'openrouter/auto' });
    expect(list.models[2]?.inputPerMTok).toBeUndefined();
  });
});

describe('createCatalogSync', () => {
  let dir = '';
  let store: Store;
  let upstream: FakeUpstream;
  let openRouter: { status: number; body: string };
  let geminiContext = 1048576;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heimdall-catalog-'));
    store = await openStore(`sqlite:${join(dir, 'h.db')}`);
    openRouter = { status: 200, body: JSON.stringify(openRouterList('0.00000015')) };
    geminiContext = 1048576;
    upstream = await startFakeUpstream((req, res) => {
      if (req.url.startsWith('/openrouter')) res.text(openRouter.status, openRouter.body, { 'content-type': 'application/json' });
      else if (req.url.startsWith('/gemini')) res.json(200, { models: [{ name: 'models/gemini-2.5-flash', inputTokenLimit: geminiContext, outputTokenLimit: 65536, supportedGenerationMethods: ['generateContent'] }, { name: 'models/gemini-9', inputTokenLimit: 10, outputTokenLimit: 5 }] });
      else res.json(404, { error: 'no' });
    });
  });
  afterEach(async () => {
    await upstream.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sync = (onChange?: (c: ModelCatalog) => void) =>
    createCatalogSync({
      store,
      bundled: loadBundledCatalog(),
      sources: [
        { provider: 'openrouter', baseUrl: `${upstream.url}/openrouter/api/v1` },
        { provider: 'gemini', baseUrl: `${upstream.url}/gemini/v1beta`, apiKey: 'gk' },
      ],
      intervalMs: 0,
      threshold: 0.1,
      now: () => Date.UTC(2027, 0, 15),
      ...(onChange === undefined ? {} : { onChange }),
    });

  it('adds priced models, reports moves above the threshold, and recomputes costs without a restart', async () => {
    const s = sync();
    const first = await s.refresh();
    expect(first.providers.map((p) => [p.provider, p.ok, p.listed])).toEqual([['openrouter', true, 3], ['gemini', true, 2]]);
    expect(first.providers[0]?.added).toEqual(['openrouter/deepseek/deepseek-r1']);
    expect(first.providers[0]?.unpriced).toEqual(['openrouter/openrouter/auto']);
    expect(first.providers[1]?.unpriced).toEqual(['gemini/gemini-9']);
    expect(first.changes).toEqual([]);
    expect(first.catalog.get('openrouter/deepseek/deepseek-r1')).toMatchObject({ inputPerMTok: 0.4, outputPerMTok: 2, contextWindowTokens: 163840 });

    const seen: ModelCatalog[] = [];
    const s2 = sync((c) => seen.push(c));
    const before = s2.current().get('openrouter/openai/gpt-4o-mini');
    openRouter.body = JSON.stringify(openRouterList('0.0000003'));
    geminiContext = 1_000_000;
    const second = await s2.refresh();
    expect(second.changes.map((c) => [c.modelId, c.field, c.oldValue, c.newValue])).toEqual([
      ['openrouter/openai/gpt-4o-mini', 'input_per_mtok', 0.15, 0.3],
    ]);
    expect(second.providers[1]?.updated).toEqual(['gemini/gemini-2.5-flash']);
    expect(seen).toHaveLength(1);
    const after = seen[0]?.get('openrouter/openai/gpt-4o-mini');
    expect(after?.inputPerMTok).toBe(0.3);
    expect(seen[0]?.get('gemini/gemini-2.5-flash')?.contextWindowTokens).toBe(1_000_000);
    if (before === undefined || after === undefined) throw new Error('model missing');
    expect(estimateCostUsd(after, { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(2 * estimateCostUsd(before, { inputTokens: 1_000_000, outputTokens: 0 }), 10);
    expect((await store.catalog.listChanges()).map((c) => c.field)).toEqual(['input_per_mtok']);
    // Another replica reading the store sees the same catalog.
    const replica = sync();
    expect((await replica.load()).get('openrouter/openai/gpt-4o-mini')?.inputPerMTok).toBe(0.3);
  });

  it('never wipes good data on a truncated, malformed or failed list', async () => {
    const s = sync();
    openRouter.body = JSON.stringify(openRouterList('0.0000003'));
    await s.refresh(['openrouter']);
    const good = JSON.stringify(await store.catalog.listModels());
    for (const bad of [
      { status: 200, body: JSON.stringify(openRouterList('0.000009')).slice(0, 300) },
      { status: 200, body: '<html>maintenance</html>' },
      { status: 200, body: '{"data": {"oops": true}}' },
      { status: 502, body: 'bad gateway' },
    ]) {
      openRouter = bad;
      const report = await s.refresh(['openrouter']);
      expect(report.providers[0]?.ok, bad.body.slice(0, 30)).toBe(false);
      expect(JSON.stringify(await store.catalog.listModels())).toBe(good);
      expect(report.catalog.get('openrouter/openai/gpt-4o-mini')?.inputPerMTok).toBe(0.3);
    }
    const refreshes = await store.catalog.listRefreshes();
    expect(refreshes.find((r) => r.provider === 'openrouter')).toMatchObject({ ok: false, listed: 0 });
    // An empty but well-formed list removes nothing either.
    openRouter = { status: 200, body: '{"data": []}' };
    expect((await s.refresh(['openrouter'])).catalog.get('openrouter/deepseek/deepseek-r1')).toBeDefined();
  });
});
