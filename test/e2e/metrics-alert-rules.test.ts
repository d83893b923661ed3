import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { parsePrometheusText, type Sample, type Scrape } from './helpers/prometheus-text.js';
import { startTestGateway, type TestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

const RULES_PATH = fileURLToPath(new URL('../../ops/prometheus/alerts.yml', import.meta.url));
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));

interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

const rules = (parse(readFileSync(RULES_PATH, 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> }).groups.flatMap((g) => g.rules);

/** PromQL words that look like metric names: functions, aggregations, operators, modifiers. */
const KEYWORDS = new Set([
  'sum', 'min', 'max', 'avg', 'count', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset',
  'rate', 'irate', 'increase', 'delta', 'histogram_quantile', 'topk', 'bottomk', 'abs', 'clamp_min', 'clamp_max', 'vector', 'time', 'inf', 'nan',
]);

/** A vector selector in an expression: metric name and label matchers. */
interface Selector {
  readonly name: string;
  readonly matchers: ReadonlyArray<{ label: string; op: string; value: string }>;
}

/**
 * The vector selectors of a PromQL expression: names that are not functions or keywords, with their
 * `{...}` (label values are consumed with the braces, so they are never taken for names).
 */
function selectors(expr: string): Selector[] {
  const out: Selector[] = [];
  // Grouping clauses list label names, not metrics.
  const text = expr.replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ');
  const re = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?(\s*\()?/g;
  for (const m of text.replace(/\[[^\]]*\]/g, ' ').matchAll(re)) {
    const [, name, braces, call] = m;
    if (name === undefined || call !== undefined || KEYWORDS.has(name)) continue;
    const matchers = [...(braces ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((x) => ({
      label: x[1] as string,
      op: x[2] as string,
      value: x[3] as string,
    }));
    out.push({ name, matchers });
  }
  return out;
}

function selects(s: Sample, sel: Selector): boolean {
  if (s.name !== sel.name) return false;
  return sel.matchers.every(({ label, op, value }) => {
    const v = s.labels[label] ?? '';
    if (op === '=') return v === value;
    if (op === '!=') return v !== value;
    const full = new RegExp(`^(?:${value})$`);
    return op === '=~' ? full.test(v) : !full.test(v);
  });
}

let upstream: FakeUpstream;
let gw: TestGateway;
let scrape: Scrape;

beforeAll(async () => {
  let failAll = false;
  upstream = await startFakeUpstream((req, res) => {
    const model = (req.body as { model: string }).model;
    if (failAll || model === 'gpt-4o-mini') return res.serverError(503);
    return res.json(200, openaiCompletion(model, 'ok'));
  });
  gw = await startTestGateway(
    {
      models: TINY_OPENAI_MODELS,
      providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
      retry: { max_retries: 0 },
    },
    { circuit: { failureThreshold: 1, coolOffMs: 600_000 } },
  );
  // Traffic that makes every series the rules read exist: routed requests (decisions, cache
  // lookups, savings), a fallback with an open circuit, and a 5xx once every target fails.
  const chat = async (content: string): Promise<number> => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content }] }) });
    await res.arrayBuffer();
    return res.status;
  };
  expect(await chat('say hello to my friend please')).toBe(200);
  expect(await chat('say hello to my friend please')).toBe(200);
  failAll = true;
  expect(await chat('prove that there are infinitely many primes carefully')).toBeGreaterThanOrEqual(500);
  scrape = parsePrometheusText(await (await fetch(`${gw.url}/metrics`)).text());
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('ops/prometheus/alerts.yml', () => {
  it('is well-formed: every rule records or alerts, alerts carry a duration, a severity and a summary', () => {
    expect(rules.length).toBeGreaterThan(5);
    for (const r of rules) {
      expect(typeof r.expr).toBe('string');
      expect((r.record === undefined) !== (r.alert === undefined)).toBe(true);
      if (r.alert !== undefined) {
        expect(r.for).toMatch(/^\d+[smh]$/);
        expect(['critical', 'warning', 'info']).toContain(r.labels?.['severity']);
        expect(r.annotations?.['summary']).toBeTruthy();
      }
    }
    const alerts = rules.flatMap((r) => (r.alert === undefined ? [] : [r.alert]));
    // The four objectives of docs/observability.md.
    expect(alerts).toEqual(expect.arrayContaining(['HeimdallDecisionLatencyHigh', 'HeimdallErrorRateHigh', 'HeimdallFallbackRateHigh', 'HeimdallDecisionCacheHitRatioLow']));
  });

  it('reads only series the gateway exports, and every selector matches a series after real traffic', () => {
    const recorded = new Set(rules.flatMap((r) => (r.record === undefined ? [] : [r.record])));
    const exported = scrape.seriesNames();
    const seen = new Set<string>();
    for (const r of rules) {
      for (const sel of selectors(r.expr)) {
        seen.add(sel.name);
        if (sel.name.includes(':')) {
          expect(recorded, `${r.alert ?? r.record}: ${sel.name} is recorded in the file`).toContain(sel.name);
          continue;
        }
        expect(exported, `${r.alert ?? r.record}: ${sel.name}`).toContain(sel.name);
        const hit = scrape.samples.some((s) => selects(s, sel));
        expect(hit, `${r.alert ?? r.record}: ${sel.name}${JSON.stringify(sel.matchers)} selects a series`).toBe(true);
      }
    }
    // The parser found the metrics at all (guards against a selector regex that matches nothing).
    for (const name of ['heimdall_decision_duration_seconds_bucket', 'heimdall_requests_total', 'heimdall_fallbacks_total', 'heimdall_cache_lookups_total', 'heimdall_circuit_state']) {
      expect(seen).toContain(name);
    }
  });

  it.skipIf(PROMTOOL === undefined)('passes promtool check rules (when promtool is installed)', () => {
    const out = execFileSync(PROMTOOL as string, ['check', 'rules', RULES_PATH], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it.skipIf(PROMTOOL === undefined)('fires the alerts as ops/prometheus/alerts.test.yml expects (promtool test rules)', () => {
    const out = execFileSync(PROMTOOL as string, ['test', 'rules', RULES_PATH.replace(/alerts\.yml$/, 'alerts.test.yml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
  });
});
