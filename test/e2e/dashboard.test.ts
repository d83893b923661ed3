import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { parsePrometheusText } from './helpers/prometheus-text.js';
import { startTestGateway, type TestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
// CI installs chromium (.ci/install-system-deps); there a missing browser must fail, not skip.
const SKIP = !HAVE_CHROMIUM && !process.env['CI'];
if (SKIP) console.warn(`dashboard.test.ts: skipped, ${CHROMIUM} is absent (apt-get install chromium) and CI is unset`);

const EASY = ['say hello to my friend please', 'what is the capital of france please', 'tell me a short joke please', 'name three fruits please'];
const HARD = ['prove that there are infinitely many primes using a rigorous argument carefully', 'design a distributed consensus protocol tolerant to byzantine faults carefully'];

let upstream: FakeUpstream;
let gw: TestGateway;
let context: BrowserContext;
let profile: string;
const shots = mkdtempSync(join(tmpdir(), 'heimdall-dashboard-'));
let failing = '';
let chatRequests = 0;

async function chat(model: string, content: string): Promise<Response> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });
  await res.arrayBuffer();
  chatRequests++;
  return res;
}

beforeAll(async () => {
  if (SKIP) return;
  upstream = await startFakeUpstream((req, res) => {
    const model = (req.body as { model: string }).model;
    if (model === failing) return res.serverError(503);
    return res.json(200, openaiCompletion(model, `from ${model}`));
  });
  gw = await startTestGateway(
    {
      models: TINY_OPENAI_MODELS,
      providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
      retry: { max_retries: 0 },
    },
    { circuit: { failureThreshold: 1, coolOffMs: 600_000 } },
  );
  for (const p of EASY) expect((await chat('auto', p)).status).toBe(200);
  for (const p of HARD) expect((await chat('auto', p)).status).toBe(200);
  for (let i = 0; i < 2; i++) expect((await chat('gpt-4.1-mini', `explicit ${i}`)).status).toBe(200);
  // One target fails: the request falls back and that target's breaker opens.
  const route = await fetch(`${gw.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: EASY[0] }] }) });
  failing = ((await route.json()) as { targets: Array<{ model: string }> }).targets[0]?.model ?? '';
  const fell = await chat('auto', EASY[0] as string);
  expect(fell.headers.get('x-heimdall-fallback')).not.toBeNull();

  // A fresh profile directory (Playwright passes it as --user-data-dir).
  profile = mkdtempSync(join(tmpdir(), 'heimdall-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1100 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  if (SKIP) return;
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
  await gw?.close();
  await upstream?.close();
});

describe.skipIf(SKIP)('dashboard in headless Chromium', () => {
  let page: Page;
  const problems: string[] = [];
  const foreign: string[] = [];

  it('serves one self-contained page that renders the gateway data', async () => {
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(gw.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    const res = await page.goto(`${gw.url}/dashboard?interval=200`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.waitForSelector('body[data-state="live"]', { timeout: 15_000 });
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it('shows the routed models and their counts, as the metrics count them', async () => {
    const metrics = parsePrometheusText(await (await fetch(`${gw.url}/metrics`)).text());
    const expected = metrics.samples
      .filter((s) => s.name === 'heimdall_routed_requests_total')
      .map((s) => ({ model: s.labels['model'] as string, bucket: s.labels['bucket'] as string, count: s.value }))
      .sort((a, b) => `${a.model}|${a.bucket}`.localeCompare(`${b.model}|${b.bucket}`));
    const rows = await page.$$eval('#routes-table tbody tr', (trs) =>
      trs.map((tr) => ({
        model: tr.getAttribute('data-model') ?? '',
        bucket: tr.getAttribute('data-bucket') ?? '',
        count: Number(tr.querySelector('td.count')?.textContent),
        text: tr.textContent ?? '',
      })),
    );
    expect(rows.map(({ model, bucket, count }) => ({ model, bucket, count })).sort((a, b) => `${a.model}|${a.bucket}`.localeCompare(`${b.model}|${b.bucket}`))).toEqual(expected);
    expect(rows.reduce((a, r) => a + r.count, 0)).toBe(chatRequests);
    expect(rows.find((r) => r.bucket === 'explicit')).toMatchObject({ model: 'openai/gpt-4.1-mini', count: 2 });
    expect(rows.some((r) => r.bucket === 'cheap')).toBe(true);
    // The bar chart names the same models.
    const labels = await page.$$eval('#routes-chart svg text.label', (ts) => ts.map((t) => t.textContent ?? ''));
    for (const r of rows) expect(labels).toContain(r.model);
    expect(await page.textContent('#stat-requests')).toBe(String(chatRequests));
  });

  it('shows the fallback, the open circuit, savings and latency percentiles', async () => {
    const fallbacks = await page.$$eval('#fallbacks-table tbody tr[data-key]', (trs) => trs.map((tr) => tr.getAttribute('data-key')));
    expect(fallbacks.length).toBeGreaterThan(0);
    expect(await page.textContent('#stat-fallbacks')).toBe(String(fallbacks.length === 0 ? 0 : await fallbackCount()));
    const circuits = await page.$$eval('#circuits-table tbody tr[data-key]', (trs) => trs.map((tr) => [tr.getAttribute('data-key'), tr.querySelector('.badge')?.textContent]));
    expect(circuits).toContainEqual([`openai/${failing}`, 'open']);
    expect(await page.textContent('#stat-saved')).toMatch(/^\$0\.\d+$/);
    expect(await page.textContent('#stat-saved-share')).toMatch(/^\d+(\.\d+)?% of the baseline$/);
    expect(await page.textContent('#stat-p99')).toMatch(/\d (µs|ms|s)$/);
    for (const series of ['P50', 'P90', 'P99']) expect(await page.locator(`#latency-chart [data-series="${series}"]`).count()).toBe(1);
    expect(await page.locator('#cost-chart [data-series="saved"]').count()).toBe(1);
    expect(await page.locator('#requests-chart rect').count()).toBeGreaterThan(0);
  });

  it('stays live: new traffic appears on the next poll', async () => {
    const before = Number(await page.getAttribute('body', 'data-updates'));
    await chat('gpt-4.1-mini', 'one more explicit request');
    await page.locator('#stat-requests', { hasText: new RegExp(`^${chatRequests}$`) }).waitFor({ timeout: 10_000 });
    expect(Number(await page.getAttribute('body', 'data-updates'))).toBeGreaterThan(before);
    const explicit = await page.textContent('#routes-table tr[data-bucket="explicit"] td.count');
    expect(explicit).toBe('3');
    const file = join(shots, 'dashboard.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    console.log(`dashboard screenshot: ${file}`);
    expect(problems).toEqual([]);
  });
});

async function fallbackCount(): Promise<number> {
  const m = parsePrometheusText(await (await fetch(`${gw.url}/metrics`)).text());
  return m.sum('heimdall_fallbacks_total');
}
