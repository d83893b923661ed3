import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestArtifactJson } from '../../test/helpers/test-artifact.js';
import { startFakeUpstream, type FakeUpstream } from '../../test/helpers/fake-upstream.js';
import { createArtifactStore } from './artifact-store.js';
import { parseArtifact } from './parse-artifact.js';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-artifact-'));
const v1 = buildTestArtifactJson();
const v2 = { ...buildTestArtifactJson({ alpha: 0.3 }), version: 'test-artifact-2' };

function write(path: string, body: unknown, mtimeSeconds: number): void {
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  utimesSync(path, mtimeSeconds, mtimeSeconds);
}

describe('parseArtifact', () => {
  it('names the offending field', () => {
    expect(() => parseArtifact({ ...v1, router: { ...v1.router, alpha: 2 } })).toThrow(/router\.alpha/);
    expect(() => parseArtifact({ ...v1, models: [{ ...v1.models[0], quality: [0.5] }, ...v1.models.slice(1)] })).toThrow(/models\[0\]\.quality: expected 3 values/);
    expect(() => parseArtifact({ ...v1, buckets: { ...v1.buckets, hard: ['nope'] } })).toThrow(/buckets\.hard\[0\]: unknown model "nope"/);
    expect(() => parseArtifact({ ...v1, feature_schema: { names: ['log_tokens', 'bogus'] } })).toThrow(/feature_schema\.names\[1\]: unknown feature "bogus"/);
    expect(() => parseArtifact({ ...v1, clusters: { k: 3, centroids: 'AAAA' } })).toThrow(/clusters\.centroids: expected 24 float32 values/);
    expect(() => parseArtifact({ ...v1, extra: 1 })).toThrow(/extra|unrecognized/i);
  });

  it('refuses a GBDT whose features differ from the schema', () => {
    const names = [...v1.feature_schema.names];
    [names[0], names[1]] = [names[1] as string, names[0] as string];
    expect(() => parseArtifact({ ...v1, feature_schema: { names } })).toThrow(/gbdt/);
  });
});

describe('createArtifactStore (file)', () => {
  it('swaps in a changed file and keeps the last good one when the new file is bad', async () => {
    const path = join(dir, 'a.json');
    write(path, v1, 1_000);
    const changes: string[] = [];
    const errors: string[] = [];
    const store = await createArtifactStore({ source: { kind: 'file', path }, reloadSeconds: 0, onChange: (a) => changes.push(a.version), onError: (e) => errors.push(e.message) });
    expect(store.current().version).toBe('test-artifact-1');
    expect(await store.reload()).toBe(false); // unchanged mtime: not even read

    write(path, '{"format": "heimdall-artifact", "schema_version": 1', 2_000);
    expect(await store.reload()).toBe(false);
    expect(store.current().version).toBe('test-artifact-1');
    expect(errors[0]).toMatch(/not valid JSON/);
    expect(await store.reload()).toBe(false);
    expect(errors).toHaveLength(1); // a bad file is reported once, not at every poll

    write(path, v2, 3_000);
    expect(await store.reload()).toBe(true);
    expect(store.current().version).toBe('test-artifact-2');
    expect(store.current().router.alpha).toBe(0.3);
    expect(changes).toEqual(['test-artifact-2']);
    store.close();
  });

  it('refuses to start without a valid artifact', async () => {
    const path = join(dir, 'bad.json');
    write(path, { ...v1, schema_version: 2 }, 1_000);
    await expect(createArtifactStore({ source: { kind: 'file', path }, reloadSeconds: 0 })).rejects.toMatchObject({ code: 'routing_artifact_invalid' });
  });
});

describe('createArtifactStore (url)', () => {
  let upstream: FakeUpstream;
  let body: unknown = v1;
  let etag = '"v1"';
  beforeAll(async () => {
    upstream = await startFakeUpstream((req, res) => {
      if (req.headers['if-none-match'] === etag) return res.text(304, '');
      return res.json(200, body, { etag });
    });
  });
  afterAll(() => upstream.close());

  it('polls with ETag and swaps only on a valid new version', async () => {
    const errors: string[] = [];
    const store = await createArtifactStore({ source: { kind: 'url', url: `${upstream.url}/artifact.json` }, reloadSeconds: 0, onError: (e) => errors.push(e.message) });
    expect(store.current().version).toBe('test-artifact-1');
    expect(await store.reload()).toBe(false);
    expect(upstream.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');

    body = { ...v2, models: [] };
    etag = '"broken"';
    expect(await store.reload()).toBe(false);
    expect(errors[0]).toMatch(/models/);
    expect(store.current().version).toBe('test-artifact-1');

    body = v2;
    etag = '"v2"';
    expect(await store.reload()).toBe(true);
    expect(store.current().version).toBe('test-artifact-2');
    store.close();
  });
});
