import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmUpHttp } from '../../src/app/warm-up-http.js';
import { parsePrometheusText } from './helpers/prometheus-text.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { startTestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

let upstream: FakeUpstream;
let upstreamCalls = 0;

beforeAll(async () => {
  upstream = await startFakeUpstream(async (req, res) => {
    upstreamCalls++;
    const body = req.body as { model: string };
    return res.json(200, openaiCompletion(body.model, 'ok'));
  });
});
afterAll(async () => {
  await upstream.close();
});

const config = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  models: TINY_OPENAI_MODELS,
  providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
  catalog_sync: { refresh: 0 },
  ...extra,
});

describe('gateway warm-up', () => {
  it('sends its loopback requests and translation rounds, calls no provider, and leaves metrics, access log and decision log untouched', async () => {
    const gw = await startTestGateway(config({ server: { warmup_requests: 40 } }));
    try {
      const ready = gw.logs.find((l) => l['msg'] === 'warm-up done; ready');
      // Every tenth request is a malformed body (400); the rest are routed by /v1/route in both dialects.
      expect(ready).toMatchObject({ decisions: 20, wireRounds: 40, requests: 40, statuses: { 200: 36, 400: 4 } });
      expect(upstreamCalls).toBe(0);
      expect(gw.logs.filter((l) => l['msg'] === 'request' || l['msg'] === 'request failed')).toEqual([]);
      const metrics = parsePrometheusText(await (await fetch(`${gw.url}/metrics`)).text());
      // The scrape itself is counted once it has been answered, so nothing is there yet.
      expect(metrics.has('heimdall_requests_total')).toBe(false);
      expect(metrics.has('heimdall_decision_duration_seconds_count')).toBe(true);
      expect(metrics.sum('heimdall_decision_duration_seconds_count')).toBe(0);
      await gw.gateway.operations.decisionLog?.flush();
      expect(await gw.gateway.operations.store?.decisions.list()).toEqual([]);

      // The gateway then serves and observes real traffic as usual.
      const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] }) });
      expect(res.status).toBe(200);
      expect(upstreamCalls).toBe(1);
      const after = parsePrometheusText(await (await fetch(`${gw.url}/metrics`)).text());
      expect(after.sum('heimdall_requests_total', { route: 'chat_completions' })).toBe(1);
      expect(after.has('heimdall_requests_total', { route: 'route' })).toBe(false);
    } finally {
      await gw.close();
    }
  });

  it('passes a configured gateway key, so a gateway that requires one warms its routing too', async () => {
    const gw = await startTestGateway(config({ server: { warmup_requests: 20 }, auth: { gateway_keys: [{ name: 'team', key: 'hk-warm-up-test-key-000000' }] } }));
    try {
      expect(gw.logs.find((l) => l['msg'] === 'warm-up done; ready')).toMatchObject({ requests: 20, statuses: { 200: 18, 400: 2 } });
    } finally {
      await gw.close();
    }
  });

  it('calls no remote service: a remote embedder is not asked during the warm-up', async () => {
    const embeddings = await startFakeUpstream((_req, res) => res.json(200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [1] }] }));
    try {
      const gw = await startTestGateway(
        config({ server: { warmup_requests: 20 }, embedding: { kind: 'remote', remote: { url: `${embeddings.url}/v1`, model: 'text-embedding-3-small', timeout: '2s' } } }),
      );
      try {
        expect(gw.logs.find((l) => l['msg'] === 'warm-up done; ready')).toMatchObject({ requests: 20, statuses: { 200: 18, 400: 2 } });
        expect(embeddings.requests).toHaveLength(0);
        // Real traffic does use it.
        const res = await fetch(`${gw.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hello there' }] }) });
        expect(res.status).toBe(200);
        expect(embeddings.requests.length).toBeGreaterThan(0);
      } finally {
        await gw.close();
      }
    } finally {
      await embeddings.close();
    }
  });

  it('ends early, without throwing, when its requests fail in transport', async () => {
    let seen = 0;
    const result = await warmUpHttp((req) => {
      seen++;
      req.socket.destroy();
    }, 50);
    expect(result.error).toBeDefined();
    expect(result.requests).toBeLessThan(50);
    expect(seen).toBeGreaterThan(0);
    expect(result.statuses).toEqual({});
  });

  it('stops sending when asked to (the gateway is shutting down)', async () => {
    let stop = false;
    const result = await warmUpHttp((_req, res) => {
      stop = true;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }, 1000, { concurrency: 1, stop: () => stop });
    expect(result).toEqual({ requests: 1, statuses: { 200: 1 } });
  });

  it('is off with warmup_requests: 0', async () => {
    const gw = await startTestGateway(config({ server: { warmup_requests: 0 } }));
    try {
      expect(gw.logs.find((l) => l['msg'] === 'warm-up done; ready')).toMatchObject({ wireRounds: 0, requests: 0, statuses: {} });
    } finally {
      await gw.close();
    }
  });
});
