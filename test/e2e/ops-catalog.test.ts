import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { startTestGateway } from './helpers/start-test-gateway.js';

const MODELS = {
  'tiny-small': { provider: 'openrouter', model: 'meta-llama/llama-3.1-8b-instruct' },
  'tiny-medium': { provider: 'openrouter', model: 'openai/gpt-4o-mini' },
  'tiny-large': { provider: 'openrouter', model: 'anthropic/claude-sonnet-4.5' },
};

/** OpenRouter's `/api/v1/models` shape: prices are USD per token, as strings. */
function openRouterList(gpt4oMiniInputPerMTok: number): unknown {
  const entry = (id: string, name: string, inPerM: number, outPerM: number, context: number) => ({
    id,
    name,
    created: 1_700_000_000,
    context_length: context,
    architecture: { input_modalities: ['text'], output_modalities: ['text'] },
    pricing: { prompt: String(inPerM / 1e6), completion: String(outPerM / 1e6) },
    top_provider: { context_length: context, max_completion_tokens: 16_384 },
    supported_parameters: ['tools', 'response_format'],
  });
  return {
    data: [
      entry('openai/gpt-4o-mini', 'OpenAI: GPT-4o-mini', gpt4oMiniInputPerMTok, 0.6, 128_000),
      entry('acme/brand-new-model', 'Acme: Brand New', 0.5, 1.5, 64_000),
    ],
  };
}

let upstream: FakeUpstream;
let price = 0.15;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heimdall-ops-catalog-'));
  upstream = await startFakeUpstream((req, res) => {
    if (req.method === 'GET' && req.url.startsWith('/api/v1/models')) return res.json(200, openRouterList(price));
    if (req.method === 'GET' && req.url.startsWith('/api/v1/truncated')) return res.text(200, '{"data": [{"id": "x"');
    return res.serverError(500, 'unexpected');
  });
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

interface ModelList {
  data: Array<{ id: string; context_window?: number }>;
}
interface RouteAnswer {
  decision: { candidates: Array<{ id: string; costUsd: number }> };
}
// An easy prompt: the cheap bucket is primary and the escalation order lists every model.
const PROMPT = 'say hello to my friend';

describe('catalog sync in the gateway', () => {
  it('makes no network call at start, serves the synced catalog on /v1/models, and recomputes costs without a restart', async () => {
    const gw = await startTestGateway({
      models: MODELS,
      providers: { openrouter: { api_key: 'sk-or-v1-configured', base_url: `${upstream.url}/api/v1` } },
      storage: { url: `sqlite:${join(dir, 'catalog.db')}` },
      catalog_sync: { refresh: '24h' },
    });
    try {
      expect(upstream.requests).toHaveLength(0);
      const before = (await (await fetch(`${gw.url}/v1/models`)).json()) as ModelList;
      expect(before.data.some((m) => m.id === 'openrouter/acme/brand-new-model')).toBe(false);
      const route = async (): Promise<number> => {
        const res = await fetch(`${gw.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: PROMPT }] }) });
        const body = (await res.json()) as RouteAnswer;
        const c = body.decision.candidates.find((x) => x.id === 'openrouter/openai/gpt-4o-mini');
        if (c === undefined) throw new Error(`gpt-4o-mini is not a candidate: ${JSON.stringify(body.decision.candidates.map((x) => x.id))}`);
        return c.costUsd;
      };
      const costBefore = await route();

      price = 1.5; // ten times the bundled input price
      const report = await gw.gateway.refreshCatalog();
      expect(report?.providers).toMatchObject([{ provider: 'openrouter', ok: true, listed: 2 }]);
      expect(report?.changes.some((c) => c.modelId === 'openrouter/openai/gpt-4o-mini' && c.field === 'input_per_mtok')).toBe(true);
      expect(upstream.requests.map((r) => r.url)).toEqual(['/api/v1/models']);
      expect(upstream.requests[0]?.headers['authorization']).toBe('Bearer sk-or-v1-configured');

      const after = (await (await fetch(`${gw.url}/v1/models`)).json()) as ModelList;
      expect(after.data.find((m) => m.id === 'openrouter/acme/brand-new-model')).toMatchObject({ context_window: 64_000 });
      const costAfter = await route();
      // Same request, same expected tokens: only the input price moved, so the cost rose (and the cached decision was not reused).
      expect(costAfter).toBeGreaterThan(costBefore);
      expect(gw.gateway.catalog().get('openrouter/openai/gpt-4o-mini')?.inputPerMTok).toBe(1.5);

      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/^heimdall_catalog_age_seconds(\{[^}]*\})? \d/m);
    } finally {
      await gw.close();
    }
  });

  it('a new gateway on the same store starts with the refreshed catalog, still without network', async () => {
    const gw = await startTestGateway({
      models: MODELS,
      providers: { openrouter: { api_key: 'sk-or-v1-configured', base_url: `${upstream.url}/api/v1` } },
      storage: { url: `sqlite:${join(dir, 'catalog.db')}` },
      catalog_sync: { refresh: '24h' },
    });
    const requestsBefore = upstream.requests.length;
    try {
      expect(gw.gateway.catalog().get('openrouter/openai/gpt-4o-mini')?.inputPerMTok).toBe(1.5);
      const list = (await (await fetch(`${gw.url}/v1/models`)).json()) as ModelList;
      expect(list.data.some((m) => m.id === 'openrouter/acme/brand-new-model')).toBe(true);
      expect(upstream.requests.length).toBe(requestsBefore);
    } finally {
      await gw.close();
    }
  });

  it('keeps the good figures when a list is malformed', async () => {
    const gw = await startTestGateway({
      models: MODELS,
      providers: { openrouter: { api_key: 'sk-or-v1-configured', base_url: `${upstream.url}/api/v1/truncated` } },
      storage: { url: `sqlite:${join(dir, 'catalog.db')}` },
      catalog_sync: { refresh: 0 },
    });
    try {
      const report = await gw.gateway.refreshCatalog();
      expect(report?.providers[0]?.ok).toBe(false);
      expect(gw.gateway.catalog().get('openrouter/openai/gpt-4o-mini')?.inputPerMTok).toBe(1.5);
    } finally {
      await gw.close();
    }
  });

  it('is off when no provider key is configured: nothing to refresh, no network', async () => {
    const gw = await startTestGateway({ models: MODELS, storage: { url: `sqlite:${join(dir, 'nokeys.db')}` } });
    const requestsBefore = upstream.requests.length;
    try {
      expect(await gw.gateway.refreshCatalog()).toBeUndefined();
      expect(upstream.requests.length).toBe(requestsBefore);
    } finally {
      await gw.close();
    }
  });
});
