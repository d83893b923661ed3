import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/app/create-gateway.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/obs/create-logger.js';
import { openStore } from '../../src/store/open-store.js';
import type { DecisionRecord, PreparedDecision, Store } from '../../src/store/store.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion, openaiStream } from './helpers/fake-responses.js';
import { startTestGateway, tinyArtifactPath, type TestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

const MODELS = TINY_OPENAI_MODELS;
const REPO = fileURLToPath(new URL('../..', import.meta.url));

let upstream: FakeUpstream;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heimdall-ops-log-'));
  upstream = await startFakeUpstream(async (req, res) => {
    const body = req.body as { model: string; stream?: boolean; messages: Array<{ content: string }> };
    const text = body.messages.at(-1)?.content ?? '';
    if (text.includes('always fail')) return res.serverError(500, 'upstream exploded');
    if (body.stream === true) return res.sseData(openaiStream(body.model, ['Hel', 'lo']));
    return res.json(200, openaiCompletion(body.model, 'ok'));
  });
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

function gatewayConfig(db: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    models: MODELS,
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
    storage: { url: `sqlite:${join(dir, db)}` },
    // No flush timer in these tests: they wait on flush() instead.
    decision_log: { flush: '1h' },
    catalog_sync: { refresh: 0 },
    ...extra,
  };
}

const chat = (gw: TestGateway, content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content }], ...extra }) });

const feedback = (gw: TestGateway, body: unknown) => fetch(`${gw.url}/v1/feedback`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

async function record(store: Store, id: string): Promise<DecisionRecord | undefined> {
  return store.decisions.get(id);
}

describe('decision logs', () => {
  it('records every routed request after it ends (JSON, stream and errors), without the prompt by default', async () => {
    const gw = await startTestGateway(gatewayConfig('logs.db'));
    try {
      const cachedAtStart = gw.gateway.routing.embeddingCacheStats().local.size;
      const ok = await chat(gw, 'what is the capital of france', {}, { 'x-request-id': 'req-json-1' });
      expect(ok.status).toBe(200);
      await ok.json();
      const streamed = await chat(gw, 'tell me a short joke', { stream: true, stream_options: { include_usage: true } }, { 'x-request-id': 'req-stream-1' });
      expect(streamed.status).toBe(200);
      expect(await streamed.text()).toContain('[DONE]');
      const failed = await chat(gw, 'always fail please', {}, { 'x-request-id': 'req-fail-1' });
      expect(failed.status).toBeGreaterThanOrEqual(500);
      await failed.text();
      const explicit = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'x-request-id': 'req-explicit-1' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(explicit.status).toBe(200);
      await explicit.json();

      const logger = gw.gateway.operations.decisionLog;
      if (logger === undefined) throw new Error('decision log is not wired');
      await logger.flush();
      const store = gw.gateway.operations.store as Store;
      const version = gw.gateway.routing.state().version;

      const json = await record(store, 'req-json-1');
      expect(json).toMatchObject({ routed: true, requestedModel: 'auto', provider: 'openai', status: 'ok', artifactVersion: version, inputTokens: 12, outputTokens: 5, fallbacks: [] });
      expect(['cheap', 'mid', 'hard']).toContain(json?.bucket);
      expect(json?.modelId).toMatch(/^openai\//);
      expect(json?.costUsd).toBeGreaterThan(0);
      expect(json?.promptHash).toMatch(/^[0-9a-f]{64}$/);
      expect(json?.prompt).toBeUndefined();
      expect(json?.features).toBeDefined();
      // The routing text's embedding (base64 float32) so the record can be trained on without the prompt.
      expect(Buffer.from(json?.embedding ?? '', 'base64').length).toBe(4 * gw.gateway.routing.state().dim);
      // It is the vector the router used, handed over with the request: the embedding cache, which
      // admits a text when it comes back, holds none of these one-off prompts.
      expect(gw.gateway.routing.embeddingCacheStats().local.size).toBe(cachedAtStart);
      const routed = Buffer.from(json?.embedding ?? '', 'base64');
      const expected = gw.gateway.routing.state().embedder.embed('what is the capital of france');
      expect(Array.from(new Float32Array(routed.buffer, routed.byteOffset, routed.length / 4))).toEqual(Array.from(expected));

      expect(await record(store, 'req-stream-1')).toMatchObject({ routed: true, status: 'ok', outputTokens: 2 });
      const err = await record(store, 'req-fail-1');
      expect(err).toMatchObject({ routed: true, status: 'error' });
      expect(err?.errorCode).toMatch(/^provider_/);
      expect(await record(store, 'req-explicit-1')).toMatchObject({ routed: false, requestedModel: 'gpt-4o-mini', modelId: 'openai/gpt-4o-mini', status: 'ok', artifactVersion: version });
      expect(logger.stats()).toMatchObject({ written: 4, dropped: 0, queued: 0 });
    } finally {
      await gw.close();
    }
  });

  it('records requests that fail before they have a plan, but not malformed ones', async () => {
    const gw = await startTestGateway(gatewayConfig('planning.db'));
    try {
      const unknown = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'x-request-id': 'req-unknown-model' },
        body: JSON.stringify({ model: 'no-such-model-anywhere', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(unknown.status).toBeGreaterThanOrEqual(400);
      expect(unknown.status).toBeLessThan(500);
      const code = ((await unknown.json()) as { error: { code: string } }).error.code;
      const malformed = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'x-request-id': 'req-malformed' }, body: '{"model": "auto", "messages": [' });
      expect(malformed.status).toBe(400);
      await malformed.text();

      await gw.gateway.operations.decisionLog?.flush();
      const store = gw.gateway.operations.store as Store;
      expect(await record(store, 'req-unknown-model')).toMatchObject({
        routed: false,
        requestedModel: 'no-such-model-anywhere',
        status: 'error',
        errorCode: code,
        artifactVersion: gw.gateway.routing.state().version,
      });
      expect(await record(store, 'req-malformed')).toBeUndefined();
    } finally {
      await gw.close();
    }
  });

  it('stores the prompt text only with logging.store_prompts', async () => {
    const gw = await startTestGateway(gatewayConfig('prompts.db', { logging: { level: 'info', store_prompts: true } }));
    try {
      await (await chat(gw, 'name three fruits', {}, { 'x-request-id': 'req-prompt-1' })).json();
      await gw.gateway.operations.decisionLog?.flush();
      expect((await record(gw.gateway.operations.store as Store, 'req-prompt-1'))?.prompt).toBe('name three fruits');
    } finally {
      await gw.close();
    }
  });

  it('writes what is still queued on graceful shutdown', async () => {
    const path = join(dir, 'shutdown.db');
    const gw = await startTestGateway(gatewayConfig('shutdown.db'));
    for (let i = 0; i < 3; i++) await (await chat(gw, `spell the word cat ${i}`, {}, { 'x-request-id': `req-shutdown-${i}` })).json();
    expect(gw.gateway.operations.decisionLog?.stats().queued).toBe(3);
    await gw.close();
    const store = await openStore(`sqlite:${path}`);
    try {
      expect((await store.decisions.list()).map((r) => r.requestId).sort()).toEqual(['req-shutdown-0', 'req-shutdown-1', 'req-shutdown-2']);
    } finally {
      await store.close();
    }
  });
});

describe('POST /v1/feedback', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(gatewayConfig('feedback.db'));
  });
  afterAll(async () => {
    await gw.close();
  });

  it('attaches a score to a logged request, even one still queued', async () => {
    await (await chat(gw, 'what colour is the sky', {}, { 'x-request-id': 'req-fb-1' })).json();
    expect(gw.gateway.operations.decisionLog?.isPending('req-fb-1')).toBe(true);
    const res = await feedback(gw, { request_id: 'req-fb-1', score: 0.8, label: 'good' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'feedback', request_id: 'req-fb-1', score: 0.8, label: 'good' });
    const stored = await gw.gateway.operations.store?.decisions.get('req-fb-1');
    expect(stored?.feedback).toMatchObject({ score: 0.8, label: 'good' });
    // A second call replaces the first.
    expect((await feedback(gw, { request_id: 'req-fb-1', score: 0.1 })).status).toBe(200);
    expect((await gw.gateway.operations.store?.decisions.get('req-fb-1'))?.feedback?.score).toBe(0.1);
  });

  it('answers 404 for an unknown id and 400 for bad bodies, in the OpenAI error shape', async () => {
    const unknown = await feedback(gw, { request_id: 'never-seen', score: 1 });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { type: expect.any(String) as unknown, message: expect.stringContaining('never-seen') as unknown } });
    for (const bad of [{ request_id: 'req-fb-1', score: 1.5 }, { request_id: 'req-fb-1', score: -0.1 }, { request_id: 'req-fb-1' }, { score: 0.5 }, { request_id: 'req-fb-1', score: 0.5, extra: 1 }, '{not json', '[1]']) {
      const res = await feedback(gw, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      const body = (await res.json()) as { error: { message: string; type: string } };
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    expect((await fetch(`${gw.url}/v1/feedback`)).status).toBe(405);
  });
});

/** A real store whose decision writes fail while `down` is set: the database lost while running. */
function flakyStore(inner: Store): Store & { down: boolean } {
  const flaky = {
    ...inner,
    down: false,
    decisions: {
      ...inner.decisions,
      insert: (records: readonly DecisionRecord[]) => (flaky.down ? Promise.reject(new Error('connection terminated unexpectedly')) : inner.decisions.insert(records)),
      insertPrepared: (rows: readonly PreparedDecision[]) => (flaky.down ? Promise.reject(new Error('connection terminated unexpectedly')) : inner.decisions.insertPrepared(rows)),
      get: (id: string) => (flaky.down ? Promise.reject(new Error('connection terminated unexpectedly')) : inner.decisions.get(id)),
      setFeedback: (id: string, f: Parameters<Store['decisions']['setFeedback']>[1]) =>
        flaky.down ? Promise.reject(new Error('connection terminated unexpectedly')) : inner.decisions.setFeedback(id, f),
    },
  };
  return flaky;
}

describe('store lost while running', () => {
  it('keeps serving, queues up to max_queue, counts the rest as dropped (metric), and recovers', async () => {
    const inner = await openStore(`sqlite:${join(dir, 'flaky.db')}`);
    const store = flakyStore(inner);
    const gw = await startTestGateway(gatewayConfig('unused.db', { decision_log: { flush: '1h', max_queue: 3 } }), { store });
    try {
      const logger = gw.gateway.operations.decisionLog;
      if (logger === undefined) throw new Error('decision log is not wired');
      store.down = true;
      for (let i = 0; i < 5; i++) {
        const res = await chat(gw, `how many days are in a week ${i}`, {}, { 'x-request-id': `req-down-${i}` });
        expect(res.status).toBe(200);
        await res.json();
      }
      await logger.flush();
      expect(logger.stats()).toMatchObject({ queued: 3, dropped: 2, written: 0 });
      expect(logger.stats().failedFlushes).toBeGreaterThan(0);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/^heimdall_decision_log_dropped_total(\{[^}]*\})? 2$/m);
      expect(metrics).toMatch(/^heimdall_decision_log_queued(\{[^}]*\})? 3$/m);
      // Feedback while the store is down: a clear 503, not a crash.
      expect((await feedback(gw, { request_id: 'req-down-0', score: 1 })).status).toBe(503);

      store.down = false;
      await logger.flush();
      expect(logger.stats()).toMatchObject({ queued: 0, dropped: 2, written: 3 });
      expect((await inner.decisions.list()).map((r) => r.requestId).sort()).toEqual(['req-down-0', 'req-down-1', 'req-down-2']);
      expect((await feedback(gw, { request_id: 'req-down-1', score: 0.5 })).status).toBe(200);
      // New requests are logged again.
      await (await chat(gw, 'name three fruits', {}, { 'x-request-id': 'req-after' })).json();
      await logger.flush();
      expect(await inner.decisions.get('req-after')).toBeDefined();
    } finally {
      await gw.close();
      await inner.close();
    }
  });
});

describe('store unreachable at start', () => {
  const unreachable = 'postgres://heimdall:s3cret@127.0.0.1:1/heimdall';

  it('createGateway rejects, naming the database with its password redacted', async () => {
    const config = loadConfig({ env: {}, overrides: { artifact: { path: tinyArtifactPath(), reload_seconds: 0 }, storage: { url: unreachable } } });
    const err = (await createGateway(config, { logger: createLogger({ level: 'silent' }) }).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('storage postgres://heimdall:***@127.0.0.1:1/heimdall is unreachable');
    expect(err.message).not.toContain('s3cret');
  });

  it('heimdall serve exits non-zero with that message', async () => {
    const configPath = join(dir, 'unreachable.json');
    writeFileSync(configPath, JSON.stringify({ server: { port: 0, workers: 1 }, artifact: { path: tinyArtifactPath(), reload_seconds: 0 }, storage: { url: unreachable } }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', configPath], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HEIMDALL_CONFIG: '' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('storage postgres://heimdall:***@127.0.0.1:1/heimdall is unreachable');
  });
});
