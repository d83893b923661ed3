import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canarySlot } from '../../src/engine/canary.js';
import { reportByArtifact } from '../../src/logs/report-by-artifact.js';
import { activateArtifact, pushArtifactFile, rollbackArtifact } from '../../src/registry/artifact-registry.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { trainArtifact } from '../../src/tuning/train/train-artifact.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { startTestGateway, tinyArtifactPath, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';
import { TINY_PRICES, tinyDataset } from './helpers/tiny-artifact.js';

const MODELS = TINY_OPENAI_MODELS;
const EASY = 'what is the capital of france please';
const HARD = 'prove that there are infinitely many primes using a rigorous argument carefully';

let upstream: FakeUpstream;
let dir: string;
let pathA: string;
let pathB: string;
let versionA: string;
let versionB: string;

/** A second artifact, different from the tiny one (other k), so versions differ. */
function writeCandidate(): { path: string; version: string } {
  const { artifact } = trainArtifact(tinyDataset(), TINY_PRICES, {
    k: 3,
    embedder: { dim: 16, buckets: 1024, wordBigrams: false, charTrigrams: false, maxChars: 2048 },
    gbdt: { rounds: 10, maxDepth: 2, eta: 0.3, lambda: 1, gamma: 0, minChildWeight: 1, subsample: 1, colsampleBytree: 1, maxBin: 16, earlyStoppingRounds: 5 },
  });
  const path = join(dir, 'candidate.json');
  writeFileSync(path, JSON.stringify(artifact));
  return { path, version: artifact.version };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heimdall-ops-artifacts-'));
  upstream = await startFakeUpstream((req, res) => res.json(200, openaiCompletion((req.body as { model: string }).model, 'ok')));
  pathA = tinyArtifactPath();
  versionA = (JSON.parse(readFileSync(pathA, 'utf8')) as { version: string }).version;
  ({ path: pathB, version: versionB } = writeCandidate());
  expect(versionB).not.toBe(versionA);
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = (db: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  models: MODELS,
  providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
  storage: { url: `sqlite:${join(dir, db)}` },
  decision_log: { flush: '1h' },
  catalog_sync: { refresh: 0 },
  ...extra,
});

describe('artifact registry as the gateway artifact source', () => {
  it('serves the configured file until a version is activated, then follows activate and rollback on reload', async () => {
    const gw = await startTestGateway(base('registry.db', { artifact: { path: pathA, reload_seconds: 0, registry: true } }));
    // The operator's CLI works on the same database from another connection.
    const cli = await openStore(`sqlite:${join(dir, 'registry.db')}`);
    try {
      const runtime = gw.gateway.routing;
      expect(runtime.state().version).toBe(versionA);
      expect(await runtime.artifacts.reload()).toBe(false);

      await pushArtifactFile(cli, pathB);
      expect(await runtime.artifacts.reload()).toBe(false); // pushed, not active
      await activateArtifact(cli, versionB);
      expect(await runtime.artifacts.reload()).toBe(true);
      expect(runtime.state().version).toBe(versionB);
      const ready = (await (await fetch(`${gw.url}/ready`)).json()) as { artifact_version: string };
      expect(ready.artifact_version).toBe(versionB);

      await pushArtifactFile(cli, pathA);
      await activateArtifact(cli, versionA);
      await runtime.artifacts.reload();
      expect(runtime.state().version).toBe(versionA);
      expect(await rollbackArtifact(cli)).toBe(versionB);
      await runtime.artifacts.reload();
      expect(runtime.state().version).toBe(versionB);
    } finally {
      await cli.close();
      await gw.close();
    }
  });
});

describe('canary artifact', () => {
  it('sends a sticky share of clients to the candidate, the logs compare both versions, and a reload changes the share', async () => {
    const gw = await startTestGateway(base('canary.db', { artifact: { path: pathA, reload_seconds: 0, canary: { path: pathB, percent: 50 } } }));
    try {
      expect(gw.gateway.canary?.state().version).toBe(versionB);
      const routeAs = async (user: string): Promise<string> => {
        const res = await fetch(`${gw.url}/v1/route`, { method: 'POST', body: JSON.stringify({ model: 'auto', user, messages: [{ role: 'user', content: EASY }] }) });
        return ((await res.json()) as { decision: { artifactVersion: string } }).decision.artifactVersion;
      };
      const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);
      const first = await Promise.all(users.map(routeAs));
      const again = await Promise.all(users.map(routeAs));
      expect(again).toEqual(first); // sticky
      users.forEach((u, i) => expect(first[i]).toBe(canarySlot(u) < 5_000 ? versionB : versionA));
      expect(first.filter((v) => v === versionB).length).toBeGreaterThan(0);
      expect(first.filter((v) => v === versionA).length).toBeGreaterThan(0);

      // Chat traffic with session ids: decision records carry the version that decided.
      const sessions = Array.from({ length: 12 }, (_, i) => `conv-${i}`);
      for (const s of sessions) {
        const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'x-session-id': s, 'x-request-id': `canary-${s}` }, body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: EASY }] }) });
        expect(res.status).toBe(200);
        await res.json();
      }
      await gw.gateway.operations.decisionLog?.flush();
      const store = gw.gateway.operations.store as Store;
      for (const s of sessions) expect((await store.decisions.get(`canary-${s}`))?.artifactVersion).toBe(canarySlot(s) < 5_000 ? versionB : versionA);
      const rows = await reportByArtifact(store);
      const expectedB = sessions.filter((s) => canarySlot(s) < 5_000).length;
      expect(rows.find((r) => r.artifactVersion === versionB)?.requests).toBe(expectedB);
      expect(rows.find((r) => r.artifactVersion === versionA)?.requests).toBe(sessions.length - expectedB);

      // A config reload changes the share without a restart: none, then all of the traffic.
      const current = gw.gateway.services.config();
      const withPercent = (percent: number): typeof current => ({ ...current, artifact: { ...current.artifact, canary: { path: pathB, percent } } });
      gw.gateway.applyConfig(withPercent(0));
      expect(new Set(await Promise.all(users.map(routeAs)))).toEqual(new Set([versionA]));
      gw.gateway.applyConfig(withPercent(100));
      expect(new Set(await Promise.all(users.map(routeAs)))).toEqual(new Set([versionB]));
      gw.gateway.applyConfig({ ...current, artifact: { ...current.artifact, canary: undefined } });
      expect(new Set(await Promise.all(users.map(routeAs)))).toEqual(new Set([versionA]));
    } finally {
      await gw.close();
    }
  });
});

describe('sessions', () => {
  const chat = async (url: string, content: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Promise<string | null> => {
    const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content }], ...extra }) });
    expect(res.status).toBe(200);
    await res.json();
    return res.headers.get('x-heimdall-bucket');
  };

  it('keeps a conversation on the tier it reached: a later easy turn is not routed lower', async () => {
    const gw = await startTestGateway(base('sessions.db'));
    const sessions = gw.gateway.operations.sessions;
    if (sessions === undefined) throw new Error('sessions are not wired');
    try {
      // Preconditions: without a session, the easy prompt is cheap and the hard one is hard.
      expect(await chat(gw.url, EASY)).toBe('cheap');
      expect(await chat(gw.url, HARD)).toBe('hard');

      expect(await chat(gw.url, HARD, { 'x-session-id': 'conv-a' })).toBe('hard');
      await sessions.flush();
      expect(await chat(gw.url, EASY, { 'x-session-id': 'conv-a' })).toBe('hard');
      // Another conversation, or none, is not affected.
      expect(await chat(gw.url, EASY, { 'x-session-id': 'conv-b' })).toBe('cheap');
      expect(await chat(gw.url, EASY)).toBe('cheap');
      // OpenAI metadata.session_id and Anthropic metadata.user_id name a session too.
      expect(await chat(gw.url, HARD, {}, { metadata: { session_id: 'conv-c' } })).toBe('hard');
      await sessions.flush();
      expect(await chat(gw.url, EASY, {}, { metadata: { session_id: 'conv-c' } })).toBe('hard');
      const anthropic = async (content: string): Promise<string | null> => {
        const res = await fetch(`${gw.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'auto', max_tokens: 20, metadata: { user_id: 'anthropic-user-1' }, messages: [{ role: 'user', content }] }) });
        expect(res.status).toBe(200);
        await res.json();
        return res.headers.get('x-heimdall-bucket');
      };
      expect(await anthropic(HARD)).toBe('hard');
      await sessions.flush();
      expect(await anthropic(EASY)).toBe('hard');
      // A session that started cheap may still climb.
      expect(await chat(gw.url, EASY, { 'x-session-id': 'conv-d' })).toBe('cheap');
      await sessions.flush();
      expect(await chat(gw.url, HARD, { 'x-session-id': 'conv-d' })).toBe('hard');
    } finally {
      await gw.close();
    }
  });

  it('does nothing when sessions.enabled is false', async () => {
    const gw = await startTestGateway(base('nosessions.db', { sessions: { enabled: false } }));
    try {
      expect(gw.gateway.operations.sessions).toBeUndefined();
      expect(await chat(gw.url, HARD, { 'x-session-id': 'conv-z' })).toBe('hard');
      expect(await chat(gw.url, EASY, { 'x-session-id': 'conv-z' })).toBe('cheap');
    } finally {
      await gw.close();
    }
  });
});
