import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../errors/gateway-error.js';
import { describeEachStore } from './__fixtures__/each-store.js';
import { insertChunks } from './create-sql-store.js';
import { MIGRATIONS } from './migrations.js';
import { migrate, schemaVersion } from './migrate.js';
import { openStore, parseStorageUrl, redactUrl } from './open-store.js';
import { openSqliteWorkerDriver } from './sqlite-worker-driver.js';
import type { DecisionRecord } from './store.js';

function record(id: string, createdAt: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    requestId: id,
    createdAt,
    artifactVersion: 'v1',
    routed: true,
    requestedModel: 'auto',
    bucket: 'mid',
    modelName: 'gpt-5-mini',
    modelId: 'openai/gpt-5-mini',
    provider: 'openai',
    features: { tokens: 12, hasCode: false },
    embedding: 'AACAPwAAAEA=',
    decision: { bucket: 'mid', candidates: ['openai/gpt-5-mini'] },
    fallbacks: [],
    latencyMs: 123.5,
    decisionMs: 0.25,
    inputTokens: 10,
    outputTokens: 20,
    costUsd: 0.00004,
    status: 'ok',
    promptHash: 'abc',
    ...overrides,
  };
}

describeEachStore('store', (h) => {
  it('migrates once: a second open applies nothing and keeps data', async () => {
    const { store } = h();
    await store.decisions.insert([record('r1', 1000)]);
    const again = await h().openAnother();
    expect(await again.decisions.get('r1')).toMatchObject({ requestId: 'r1' });
  });

  it('round-trips decision records, ignores a re-inserted id, and lists by time', async () => {
    const { store } = h();
    const r1 = record('r1', 1000);
    const { costUsd: _unpriced, ...r2 } = record('r2', 2000, { status: 'error', errorCode: 'provider_timeout', fallbacks: ['provider_rate_limited'], prompt: 'hello 🌍' });
    await store.decisions.insert([r2, r1]);
    await store.decisions.insert([record('r1', 1000, { latencyMs: 999 })]);
    expect(await store.decisions.get('r1')).toEqual(r1);
    const got2 = await store.decisions.get('r2');
    expect(got2).toMatchObject({ status: 'error', errorCode: 'provider_timeout', fallbacks: ['provider_rate_limited'], prompt: 'hello 🌍' });
    expect(got2 && 'costUsd' in got2).toBe(false);
    expect((await store.decisions.list()).map((d) => d.requestId)).toEqual(['r1', 'r2']);
    expect((await store.decisions.list({ since: 1500 })).map((d) => d.requestId)).toEqual(['r2']);
    expect((await store.decisions.list({ until: 1500 })).map((d) => d.requestId)).toEqual(['r1']);
    expect(await store.decisions.get('missing')).toBeUndefined();
  });

  it('inserts a large batch in chunks', async () => {
    const { store } = h();
    const many = Array.from({ length: 137 }, (_, i) => record(`b${i}`, i));
    await store.decisions.insert(many);
    expect(await store.decisions.list({ since: 0 })).toHaveLength(137);
    expect(await store.decisions.list({ limit: 5 })).toHaveLength(5);
  });

  it('writes a multi-statement batch whole or not at all', async () => {
    const { store } = h();
    // 37 rows: three statements (32 + 4 + 1) below one chunk; 120: two chunks of 50, then 16 + 4.
    for (const [size, bad] of [[37, 36], [120, 110]] as const) {
      const batch = Array.from({ length: size }, (_, i) => record(`t${size}-${i}`, i));
      // A NOT NULL column left empty in a statement after the first: the whole batch is refused, nothing half-written.
      batch[bad] = { ...record(`t${size}-${bad}`, bad), requestedModel: null as unknown as string };
      await expect(store.decisions.insert(batch)).rejects.toThrow();
      expect(await store.decisions.list({ since: 0 })).toHaveLength(0);
      batch[bad] = record(`t${size}-${bad}`, bad);
      await store.decisions.insert(batch);
      expect((await store.decisions.list({ since: 0 })).map((d) => d.requestId).sort()).toEqual(batch.map((r) => r.requestId).sort());
      await store.decisions.purge(Number.MAX_SAFE_INTEGER);
    }
  });

  it('inserts prepared records as it inserts records: same rows, re-inserted ids ignored, a bad batch refused whole', async () => {
    const { store } = h();
    const { costUsd: _unpriced, ...unpriced } = record('p2', 2000, { status: 'error', errorCode: 'provider_timeout', fallbacks: ['provider_rate_limited'], prompt: 'hello 🌍' });
    const records = [record('p1', 1000), unpriced, ...Array.from({ length: 118 }, (_, i) => record(`p${i + 3}`, 3000 + i))];
    const prepared = records.map((r) => store.decisions.prepare(r));
    await store.decisions.insertPrepared(prepared);
    await store.decisions.insertPrepared([store.decisions.prepare(record('p1', 1000, { latencyMs: 999 }))]);
    expect(await store.decisions.get('p1')).toEqual(records[0]);
    expect(await store.decisions.get('p2')).toEqual(unpriced);
    expect((await store.decisions.list({ since: 0 })).map((d) => d.requestId)).toEqual(records.map((r) => r.requestId));
    // 37 rows are three statements (32 + 4 + 1): a NOT NULL column empty in the last one refuses all of them.
    const batch = Array.from({ length: 37 }, (_, i) => record(`q${i}`, 10_000 + i));
    batch[36] = { ...record('q36', 10_036), requestedModel: null as unknown as string };
    await expect(store.decisions.insertPrepared(batch.map((r) => store.decisions.prepare(r)))).rejects.toThrow();
    expect(await store.decisions.list({ since: 10_000 })).toHaveLength(0);
  });

  it('attaches and replaces feedback, refuses unknown ids, filters by feedback', async () => {
    const { store } = h();
    await store.decisions.insert([record('r1', 1000), record('r2', 2000)]);
    expect(await store.decisions.setFeedback('nope', { score: 1, createdAt: 5 })).toBe(false);
    expect(await store.decisions.setFeedback('r1', { score: 0.25, label: 'meh', createdAt: 5 })).toBe(true);
    expect(await store.decisions.setFeedback('r1', { score: 0.75, createdAt: 6 })).toBe(true);
    expect((await store.decisions.get('r1'))?.feedback).toEqual({ score: 0.75, createdAt: 6 });
    expect((await store.decisions.list({ withFeedback: true })).map((d) => d.requestId)).toEqual(['r1']);
    expect(await store.decisions.purge(1500)).toBe(1);
    expect((await store.decisions.list()).map((d) => d.requestId)).toEqual(['r2']);
  });

  it('purges in batches: the oldest records before the cutoff first, with their feedback, never newer ones', async () => {
    const { store } = h();
    await store.decisions.insert([record('old-c', 300), record('old-a', 100), record('old-b', 200), record('keep', 1000)]);
    expect(await store.decisions.setFeedback('old-a', { score: 1, createdAt: 101 })).toBe(true);
    expect(await store.decisions.setFeedback('keep', { score: 0, createdAt: 1001 })).toBe(true);
    expect(await store.decisions.purgeBatch(500, 2)).toBe(2);
    expect((await store.decisions.list()).map((d) => d.requestId)).toEqual(['old-c', 'keep']);
    expect(await store.decisions.purgeBatch(500, 2)).toBe(1);
    expect(await store.decisions.purgeBatch(500, 2)).toBe(0);
    expect((await store.decisions.list({ withFeedback: true })).map((d) => d.requestId)).toEqual(['keep']);
    // The feedback of a purged record went with it: the id can be logged and rated afresh.
    await store.decisions.insert([record('old-a', 2000)]);
    expect((await store.decisions.get('old-a'))?.feedback).toBeUndefined();
  });

  it('keeps catalog models, refreshes and changes', async () => {
    const { store } = h();
    await store.catalog.upsertModels([{ id: 'openai/x', provider: 'openai', entry: { id: 'openai/x', input_per_mtok: 1 }, source: 's1', updatedAt: 1 }]);
    await store.catalog.upsertModels([{ id: 'openai/x', provider: 'openai', entry: { id: 'openai/x', input_per_mtok: 2 }, source: 's2', updatedAt: 2 }]);
    expect(await store.catalog.listModels()).toEqual([{ id: 'openai/x', provider: 'openai', entry: { id: 'openai/x', input_per_mtok: 2 }, source: 's2', updatedAt: 2 }]);
    await store.catalog.recordRefresh({ provider: 'openai', refreshedAt: 10, ok: false, message: 'HTTP 500', listed: 0 });
    await store.catalog.recordRefresh({ provider: 'openai', refreshedAt: 20, ok: true, message: 'ok', listed: 3 });
    expect(await store.catalog.listRefreshes()).toEqual([{ provider: 'openai', refreshedAt: 20, ok: true, message: 'ok', listed: 3 }]);
    await store.catalog.addChanges([
      { at: 10, modelId: 'openai/x', field: 'input_per_mtok', oldValue: 1, newValue: 2 },
      { at: 20, modelId: 'openai/x', field: 'context_window_tokens', oldValue: null, newValue: 1000 },
    ]);
    expect((await store.catalog.listChanges()).map((c) => c.at)).toEqual([20, 10]);
    expect(await store.catalog.listChanges(15)).toEqual([{ at: 20, modelId: 'openai/x', field: 'context_window_tokens', oldValue: null, newValue: 1000 }]);
  });

  it('versions artifacts: push once, activate, roll back as a stack', async () => {
    const { store } = h();
    const a = store.artifacts;
    expect(await a.active()).toBeUndefined();
    expect(await a.push({ version: 'v1', body: '{"v":1}', sha256: 'h1', pushedAt: 1 })).toBe(true);
    expect(await a.push({ version: 'v1', body: '{"v":1}', sha256: 'h1', pushedAt: 2 })).toBe(false);
    expect(await a.push({ version: 'v2', body: '{"v":2}', sha256: 'h2', note: 'second', pushedAt: 3 })).toBe(true);
    expect(await a.push({ version: 'v3', body: '{"v":3}', sha256: 'h3', pushedAt: 4 })).toBe(true);
    expect(await a.activate('nope', 5)).toBe(false);
    expect(await a.rollback(5)).toBeUndefined();
    await a.activate('v1', 5);
    await a.activate('v2', 6);
    await a.activate('v3', 7);
    expect((await a.active())?.body).toBe('{"v":3}');
    expect((await a.list()).map((x) => [x.version, x.seq, x.active])).toEqual([['v3', 3, true], ['v2', 2, false], ['v1', 1, false]]);
    expect(await a.rollback(8)).toBe('v2');
    expect(await a.rollback(9)).toBe('v1');
    expect(await a.rollback(10)).toBeUndefined();
    expect((await a.active())?.version).toBe('v1');
    expect(await a.activeVersion()).toBe('v1');
    expect(await a.get('v2')).toMatchObject({ version: 'v2', body: '{"v":2}', note: 'second', sizeBytes: 7, active: false });
  });

  it('expires sessions', async () => {
    const { store } = h();
    await store.sessions.put('s1', { bucket: 'hard', expiresAt: 100 }, 0);
    expect(await store.sessions.get('s1', 50)).toEqual({ bucket: 'hard', expiresAt: 100 });
    expect(await store.sessions.get('s1', 100)).toBeUndefined();
    expect(await store.sessions.purgeExpired(100)).toBe(1);
  });

  it('serialises concurrent transactions from one process', async () => {
    const { store } = h();
    await store.decisions.insert([record('r1', 1)]);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.decisions.setFeedback('r1', { score: i / 20, createdAt: i })));
    expect(results.every(Boolean)).toBe(true);
    const pushes = await Promise.all([1, 2, 3].map((i) => store.artifacts.push({ version: `c${i}`, body: '{}', sha256: 'x', pushedAt: i }).catch(() => false)));
    expect(pushes.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(new Set((await store.artifacts.list()).map((x) => x.seq)).size).toBe((await store.artifacts.list()).length);
  });
});

describe('storage URLs', () => {
  it('parses sqlite and postgres URLs and rejects others', () => {
    expect(parseStorageUrl('sqlite:.heimdall/h.db', '/srv')).toEqual({ kind: 'sqlite', path: '/srv/.heimdall/h.db' });
    expect(parseStorageUrl('sqlite:///var/h.db', '/srv')).toEqual({ kind: 'sqlite', path: '/var/h.db' });
    expect(parseStorageUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(parseStorageUrl('postgresql://u:p@h/db')).toEqual({ kind: 'postgres', url: 'postgresql://u:p@h/db' });
    expect(() => parseStorageUrl('mysql://x')).toThrow(/sqlite: or postgres/);
    expect(redactUrl('postgres://user:s3cret@db:5432/h')).toBe('postgres://user:***@db:5432/h');
  });

  it('names an unreachable PostgreSQL without leaking its password', async () => {
    const err = await openStore('postgres://heimdall:hunter2@127.0.0.1:1/none', { connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(isGatewayError(err)).toBe(true);
    expect((err as Error).message).toContain('postgres://heimdall:***@127.0.0.1:1/none is unreachable');
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('names a SQLite path that cannot be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdall-bad-'));
    try {
      writeFileSync(join(dir, 'file'), 'not a directory');
      const err = await openStore(`sqlite:${join(dir, 'file', 'h.db')}`).catch((e: unknown) => e);
      expect(isGatewayError(err)).toBe(true);
      expect((err as Error).message).toContain(`storage sqlite:${join(dir, 'file', 'h.db')} cannot be opened`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates SQLite databases with 16 KB pages in WAL mode and leaves an existing page size alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdall-page-'));
    try {
      const fresh = openSqliteWorkerDriver(join(dir, 'new.db'));
      expect(await fresh.query('PRAGMA page_size')).toEqual([{ page_size: 16384 }]);
      expect(await fresh.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      // SQLite's own 2 MB page cache, not better-sqlite3's 16 MB.
      expect(await fresh.query('PRAGMA cache_size')).toEqual([{ cache_size: -2000 }]);
      await fresh.close();
      // A database made with SQLite's default 4 KB pages keeps them (changing it would take a VACUUM).
      const Database = (await import('better-sqlite3')).default;
      const old = new Database(join(dir, 'old.db'));
      old.exec('CREATE TABLE t (x INTEGER)');
      old.close();
      const existing = openSqliteWorkerDriver(join(dir, 'old.db'));
      expect(await existing.query('PRAGMA page_size')).toEqual([{ page_size: 4096 }]);
      expect(await existing.query('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 0 }]);
      await existing.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a list of statements all or none, on its own or as part of an open transaction', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdall-runall-'));
    const driver = openSqliteWorkerDriver(join(dir, 'r.db'));
    const insert = (k: string, v: string | null) => ({ sql: 'INSERT INTO t (k, v) VALUES (?, ?)', params: [k, v] });
    const keys = async () => (await driver.query('SELECT k FROM t ORDER BY k')).map((r) => r['k']);
    try {
      await driver.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
      await expect(driver.runAll([insert('a', '1'), insert('b', null)])).rejects.toThrow(/NOT NULL/);
      expect(await keys()).toEqual([]);
      expect(await driver.runAll([insert('a', '1'), insert('b', '2')])).toBe(2);
      await expect(
        driver.transaction(async (tx) => {
          expect(await tx.runAll([insert('c', '3')])).toBe(1);
          throw new Error('later in the transaction');
        }),
      ).rejects.toThrow('later in the transaction');
      expect(await keys()).toEqual(['a', 'b']);
    } finally {
      await driver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records applied migration versions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdall-mig-'));
    const driver = openSqliteWorkerDriver(join(dir, 'm.db'));
    try {
      expect(await migrate(driver)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(driver)).toEqual([]);
      expect(await schemaVersion(driver)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    } finally {
      await driver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('insertChunks', () => {
  it('splits a batch into full chunks of 50 and the rest into powers of two, so few statement sizes exist', () => {
    expect(insertChunks(0)).toEqual([]);
    expect(insertChunks(1)).toEqual([1]);
    expect(insertChunks(32)).toEqual([32]);
    expect(insertChunks(37)).toEqual([32, 4, 1]);
    expect(insertChunks(50)).toEqual([50]);
    expect(insertChunks(64)).toEqual([50, 8, 4, 2]);
    expect(insertChunks(137)).toEqual([50, 50, 32, 4, 1]);
    for (let n = 0; n <= 1_000; n++) {
      const sizes = insertChunks(n);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
      for (const size of sizes) expect([1, 2, 4, 8, 16, 32, 50]).toContain(size);
    }
  });
});
