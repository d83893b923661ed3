import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { parsePrometheusText, type Scrape } from './helpers/prometheus-text.js';
import { startTestGateway, type TestGateway } from './helpers/start-test-gateway.js';

const MODELS = { 'tiny-small': 'gpt-4o-mini', 'tiny-medium': 'gpt-4.1-mini', 'tiny-large': 'gpt-4.1' } as const;
const EASY = ['say hello to my friend please', 'what is the capital of france please', 'tell me a short joke please'];

let upstream: FakeUpstream;
let gw: TestGateway;
/** Upstream models that answer 500. */
const failing = new Set<string>();

beforeAll(async () => {
  upstream = await startFakeUpstream((req, res) => {
    const model = (req.body as { model: string }).model;
    if (failing.has(model)) return res.serverError(500);
    return res.json(200, openaiCompletion(model, 'ok'));
  });
  gw = await startTestGateway(
    {
      models: Object.fromEntries(Object.entries(MODELS).map(([name, model]) => [name, { provider: 'openai', model }])),
      providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
      retry: { max_retries: 0 },
    },
    { circuit: { failureThreshold: 1, coolOffMs: 600_000 } },
  );
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const scrape = async (): Promise<Scrape> => parsePrometheusText(await (await fetch(`${gw.url}/metrics`)).text());
const chat = async (model: string, content: string): Promise<Response> => {
  const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });
  await res.arrayBuffer();
  return res;
};

describe('runtime metrics on /metrics', () => {
  it('exports event-loop lag and utilisation, GC pauses, heap and RSS', async () => {
    await scrape();
    // Work for the loop and garbage for the collector between two scrapes.
    let keep = 0;
    for (let i = 0; i < 200; i++) keep += new Array(10_000).fill(i).length;
    expect(keep).toBe(2_000_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const m = await scrape();
    for (const q of ['0.5', '0.9', '0.99', '1']) expect(m.has('heimdall_event_loop_lag_seconds', { quantile: q })).toBe(true);
    expect(m.sum('heimdall_event_loop_lag_seconds', { quantile: '1' })).toBeGreaterThan(0);
    const elu = m.sum('heimdall_event_loop_utilization');
    expect(elu).toBeGreaterThan(0);
    expect(elu).toBeLessThanOrEqual(1);
    expect(m.types.get('heimdall_gc_pause_seconds')).toBe('histogram');
    expect(m.sum('heimdall_gc_pause_seconds_count')).toBeGreaterThan(0);
    expect(m.sum('heimdall_process_resident_memory_bytes')).toBeGreaterThan(10e6);
    expect(m.sum('heimdall_nodejs_heap_size_used_bytes')).toBeGreaterThan(1e6);
  });

  it('counts route share by model and bucket, and the cost saved against the best single model', async () => {
    const before = await scrape();
    for (const p of EASY) expect((await chat('auto', p)).status).toBe(200);
    expect((await chat('gpt-4o-mini', 'hello')).status).toBe(200);
    const after = await scrape();
    const routed = after.samples.filter((s) => s.name === 'heimdall_routed_requests_total');
    const delta = (labels: Record<string, string>): number => after.sum('heimdall_routed_requests_total', labels) - before.sum('heimdall_routed_requests_total', labels);
    expect(delta({})).toBe(EASY.length + 1);
    expect(delta({ model: 'openai/gpt-4o-mini', bucket: 'explicit' })).toBe(1);
    // Easy prompts go to the cheap tier, whose model is far cheaper than tiny-large (the best by mean quality).
    expect(routed.some((s) => s.labels['bucket'] === 'cheap')).toBe(true);
    const saved = after.sum('heimdall_cost_saved_usd_total') - before.sum('heimdall_cost_saved_usd_total');
    const baseline = after.sum('heimdall_cost_baseline_usd_total') - before.sum('heimdall_cost_baseline_usd_total');
    const expected = after.sum('heimdall_cost_expected_usd_total') - before.sum('heimdall_cost_expected_usd_total');
    expect(saved).toBeGreaterThan(0);
    expect(baseline).toBeGreaterThan(expected);
    expect(saved).toBeCloseTo(baseline - expected, 12);
  });

  it('reports decision and embedding cache sizes and lookups', async () => {
    const before = await scrape();
    const prompt = `a fresh prompt nobody asked before ${Date.now()}`;
    // Default admission: the decision is cached when the request comes back, then hit.
    await chat('auto', prompt);
    await chat('auto', prompt);
    await chat('auto', prompt);
    const after = await scrape();
    const d = (name: string, labels: Record<string, string>): number => after.sum(name, labels) - before.sum(name, labels);
    expect(after.sum('heimdall_cache_entries', { cache: 'decision' })).toBeGreaterThan(0);
    expect(after.sum('heimdall_cache_entries', { cache: 'embedding' })).toBeGreaterThan(0);
    expect(d('heimdall_cache_entries', { cache: 'decision' })).toBe(1);
    expect(d('heimdall_cache_lookups_total', { cache: 'decision', result: 'miss' })).toBe(2);
    expect(d('heimdall_cache_lookups_total', { cache: 'decision', result: 'hit' })).toBe(1);
    expect(d('heimdall_cache_lookups_total', { cache: 'embedding', result: 'miss' })).toBeGreaterThanOrEqual(1);
  });

  it('shows the circuit state of every target that failed, read at scrape time', async () => {
    const res = await fetch(`${gw.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: EASY[0] }] }) });
    const first = ((await res.json()) as { targets: Array<{ id: string; model: string }> }).targets[0] as { id: string; model: string };
    failing.add(first.model);
    try {
      expect((await chat('auto', EASY[0] as string)).status).toBe(200);
    } finally {
      failing.delete(first.model);
    }
    const m = await scrape();
    expect(m.sum('heimdall_circuit_state', { target: first.id, state: 'open' })).toBe(1);
    expect(m.sum('heimdall_circuit_state', { target: first.id, state: 'closed' })).toBe(0);
    expect(m.sum('heimdall_fallbacks_total')).toBeGreaterThan(0);
    // The breaker closes again: the series stays, now at closed.
    gw.gateway.breakers.recordSuccess(first.id);
    const later = await scrape();
    expect(later.sum('heimdall_circuit_state', { target: first.id, state: 'closed' })).toBe(1);
    expect(later.sum('heimdall_circuit_state', { target: first.id, state: 'open' })).toBe(0);
  });

  it("reports the catalog snapshot's age", async () => {
    const m = await scrape();
    const age = m.sum('heimdall_catalog_snapshot_age_seconds');
    expect(age).toBeGreaterThan(0);
    expect(age).toBeCloseTo((Date.now() - Date.parse(gw.gateway.services.catalog.snapshotDate)) / 1000, -2);
  });

  it('fails a scrape with a clear 503 when the cluster cannot gather every worker, and keeps serving', async () => {
    // What a worker sees when the primary (or another worker) does not answer in time.
    const services = gw.gateway.services as { scrapeMetrics?: () => Promise<string> };
    services.scrapeMetrics = () => Promise.reject(new Error('a worker did not report its metrics within 5000 ms'));
    try {
      const res = await fetch(`${gw.url}/metrics`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { message: string; type: string; code: string } };
      expect(body.error.code).toBe('gateway_unavailable');
      expect(body.error.message).toContain('did not report its metrics');
    } finally {
      delete services.scrapeMetrics;
    }
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(200);
    expect((await chat('auto', 'say hello to my friend please')).status).toBe(200);
  });
});

describe('with metrics disabled', () => {
  it('answers /metrics, /dashboard and /dashboard/data with a clear 404', async () => {
    const off = await startTestGateway({
      models: Object.fromEntries(Object.entries(MODELS).map(([name, model]) => [name, { provider: 'openai', model }])),
      providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
      metrics: { enabled: false },
    });
    try {
      const served = await fetch(`${off.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] }) });
      expect(served.status).toBe(200);
      for (const path of ['/metrics', '/dashboard', '/dashboard/data']) {
        const res = await fetch(`${off.url}${path}`);
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/metrics\.enabled: false/);
      }
    } finally {
      await off.close();
    }
  });
});
