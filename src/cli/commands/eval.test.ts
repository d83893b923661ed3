import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture } from '../../tuning/train/__fixtures__/capture-output.js';
import { writeFixtureFiles } from '../../tuning/train/__fixtures__/write-fixture-files.js';
import { run } from './eval.js';
import { run as train } from './train.js';

const f = writeFixtureFiles();
const ROUTERS = ['random', 'cheapest-single', 'best-single', 'per-task-best', 'oracle', 'knn', 'clusters-alpha', 'heimdall'];

describe('heimdall eval', () => {
  it('runs split and cv5, prints the JSON summary last and writes the report with SVG and PNG plots', async () => {
    const report = join(f.dir, 'report');
    const r = await capture(run, ['--data', f.data, '--prices', f.prices, '--config', f.config, '--json', '--report', report]);
    expect(r.code).toBe(0);
    const last = r.stdout.trimEnd().split('\n').at(-1) as string;
    const json = JSON.parse(last) as { served: string; protocols: Record<string, { routers: Record<string, { aiq: number; max_accuracy: number; parity_cost_ratio: number | null; points: [number, number][] }> }> };
    expect(json.served).toBe('heimdall');
    expect(Object.keys(json.protocols).sort()).toEqual(['cv5', 'split']);
    for (const p of Object.values(json.protocols)) {
      expect(Object.keys(p.routers).sort()).toEqual([...ROUTERS].sort());
      expect(p.routers.heimdall?.points).toHaveLength(21);
      expect(p.routers.oracle?.points).toHaveLength(1);
      expect(p.routers['best-single']?.parity_cost_ratio).toBe(1);
      // On this fixture the topic decides the best model: the oracle is perfect and nothing beats it.
      expect(p.routers.oracle?.max_accuracy).toBe(1);
      for (const x of Object.values(p.routers)) expect(x.max_accuracy).toBeLessThanOrEqual(1);
    }
    expect(readFileSync(join(report, 'report.md'), 'utf8')).toContain('| **heimdall** (served) |');
    expect(readFileSync(join(report, 'accuracy-cost-cv5.svg'), 'utf8')).toMatch(/^<svg /);
    expect(readFileSync(join(report, 'accuracy-cost-split.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('evaluates a given artifact on the test records', async () => {
    const artifact = join(f.dir, 'art.json');
    expect((await capture(train, ['--data', f.data, '--prices', f.prices, '--out', artifact, '--config', f.config, '--split', 'train'])).code).toBe(0);
    const r = await capture(run, ['--data', f.data, '--prices', f.prices, '--artifact', artifact, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout.trimEnd().split('\n').at(-1) as string) as { protocols: Record<string, unknown> };
    expect(Object.keys(json.protocols)).toEqual(['artifact']);
  });

  it('fails with exit code 2 and one line for bad files and arguments', async () => {
    const broken = join(f.dir, 'broken.json');
    writeFileSync(broken, '{"format": "heimdall-artifact"}');
    const cases: [string[], RegExp][] = [
      [['--data', join(f.dir, 'nope.jsonl'), '--prices', f.prices], /cannot read dataset/],
      [['--data', f.data, '--prices', join(f.dir, 'nope.json')], /cannot read prices/],
      [['--data', f.data, '--prices', f.prices, '--artifact', join(f.dir, 'nope.json')], /cannot read artifact/],
      [['--data', f.data, '--prices', f.prices, '--artifact', broken], /artifact .*broken\.json: invalid artifact/],
      [['--data', f.data, '--prices', f.prices, '--protocol', 'cv10'], /--protocol must be/],
      [['--data', f.data, '--prices', f.prices, '--artifact', broken, '--protocol', 'cv5'], /exclusive/],
    ];
    for (const [argv, message] of cases) {
      const r = await capture(run, argv);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(message);
    }
    expect(existsSync(join(f.dir, 'nope.json'))).toBe(false);
  });
});
