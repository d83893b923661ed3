import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArtifact } from '../../artifact/parse-artifact.js';
import { openStore } from '../../store/open-store.js';
import type { DecisionRecord, Store } from '../../store/store.js';
import { capture } from '../../tuning/train/__fixtures__/capture-output.js';
import { writeFixtureFiles } from '../../tuning/train/__fixtures__/write-fixture-files.js';
import { run } from './train.js';

const f = writeFixtureFiles();
const storage = `sqlite:${join(f.dir, 'logs.db')}`;
const DAY = 86_400_000;
let store: Store;
const datasetPrompt = (JSON.parse(readFileSync(f.data, 'utf8').split('\n')[0] ?? '{}') as { prompt: string }).prompt;

function decision(id: string, prompt: string, modelName: string, createdAt: number): DecisionRecord {
  return { requestId: id, createdAt, routed: true, requestedModel: 'auto', bucket: 'cheap', modelName, modelId: `openai/${modelName}`, provider: 'openai', fallbacks: [], latencyMs: 12, status: 'ok', prompt };
}

beforeAll(async () => {
  store = await openStore(storage);
  const now = Date.now();
  await store.decisions.insert([
    decision('r-new', 'a prompt only our users ask about invoices', 'm-cheap', now),
    decision('r-known', datasetPrompt, 'm-strong', now),
    decision('r-old', 'an old prompt from last month', 'm-mid', now - 30 * DAY),
    decision('r-unrated', 'nobody rated this one', 'm-cheap', now),
  ]);
  for (const id of ['r-new', 'r-known', 'r-old']) await store.decisions.setFeedback(id, { score: 0.25, createdAt: now });
});
afterAll(async () => {
  await store.close();
});

describe('heimdall train --from-logs', () => {
  it('trains on feedback merged into a dataset, honouring --since', async () => {
    const out = join(f.dir, 'from-logs.json');
    const r = await capture(run, ['--from-logs', '--since', '7d', '--storage', storage, '--data', f.data, '--prices', f.prices, '--out', out, '--config', f.config]);
    expect(r.stderr).toContain('2 records with feedback -> 2 prompts');
    expect(r.stderr).toContain('merged: 1 dataset prompts overridden by feedback, 1 added with imputed scores, 0 dropped');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dataset: 61 records, 3 models/);
    expect(parseArtifact(JSON.parse(readFileSync(out, 'utf8'))).models.map((m) => m.name)).toEqual(['m-cheap', 'm-mid', 'm-strong']);
    // Without --since the month-old record counts too.
    const all = await capture(run, ['--from-logs', '--storage', storage, '--data', f.data, '--prices', f.prices, '--out', out, '--config', f.config]);
    expect(all.stderr).toContain('3 records with feedback -> 3 prompts');
    expect(all.stderr).toMatch(/dataset: 62 records, 3 models/);
  });

  it('without a dataset keeps only fully scored prompts, and says so when none is left', async () => {
    const r = await capture(run, ['--from-logs', '--storage', storage, '--prices', f.prices, '--out', join(f.dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no trainable records from the logs');
  });

  it('rejects log options without --from-logs, and a bad --since', async () => {
    const a = await capture(run, ['--since', '7d', '--data', f.data, '--prices', f.prices, '--out', join(f.dir, 'x.json')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('need --from-logs');
    const b = await capture(run, ['--from-logs', '--since', 'yesterday-ish', '--storage', storage, '--prices', f.prices, '--out', join(f.dir, 'x.json')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--since "yesterday-ish"');
  });
});
