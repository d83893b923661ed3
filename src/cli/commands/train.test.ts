import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArtifact } from '../../artifact/parse-artifact.js';
import { capture } from '../../tuning/train/__fixtures__/capture-output.js';
import { writeFixtureFiles } from '../../tuning/train/__fixtures__/write-fixture-files.js';
import { run } from './train.js';

const f = writeFixtureFiles();

describe('heimdall train', () => {
  it('writes a valid artifact, byte-identical across runs, with plain progress lines off a terminal', async () => {
    const a = join(f.dir, 'a.json');
    const b = join(f.dir, 'b.json');
    const first = await capture(run, ['--data', f.data, '--prices', f.prices, '--out', a, '--config', f.config]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^\[1\/7 [\d.]+s\] dataset: 60 records, 3 models$/m);
    expect(first.stderr).toContain(`wrote ${a}`);
    expect((await capture(run, ['--data', f.data, '--prices', f.prices, '--out', b, '--config', f.config])).code).toBe(0);
    expect(readFileSync(a)).toEqual(readFileSync(b));
    expect(parseArtifact(JSON.parse(readFileSync(a, 'utf8'))).models.map((m) => m.name)).toEqual(['m-cheap', 'm-mid', 'm-strong']);
  });

  it('reports bad rows with line numbers and skips them, or rejects with --on-bad-row reject', async () => {
    const bad = join(f.dir, 'bad.jsonl');
    const good = readFileSync(f.data, 'utf8').trimEnd().split('\n');
    writeFileSync(bad, [...good.slice(0, 2), '{"id":"x","prompt":"p","scores":{"m-cheap":"high"}}', 'not json', ...good.slice(2)].join('\n'));
    const out = join(f.dir, 'skip.json');
    const skipped = await capture(run, ['--data', bad, '--prices', f.prices, '--out', out, '--config', f.config, '--k', '2']);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toContain('skipped 2 bad row(s)');
    expect(skipped.stderr).toMatch(/line 3: scores\.m-cheap: /);
    expect(skipped.stderr).toContain('line 4: not valid JSON');
    const rejected = await capture(run, ['--data', bad, '--prices', f.prices, '--out', out, '--on-bad-row', 'reject']);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/^heimdall train: dataset line 3: /);
  });

  it('fails with exit code 2 and one line for bad files and arguments', async () => {
    const cases: [string[], RegExp][] = [
      [['--data', join(f.dir, 'missing.jsonl'), '--prices', f.prices, '--out', join(f.dir, 'x.json')], /cannot read dataset .*missing\.jsonl/],
      [['--data', f.data, '--prices', f.data, '--out', join(f.dir, 'x.json')], /cannot read prices/],
      [['--data', f.data, '--prices', f.prices, '--out', join(f.dir, 'x.json'), '--config', f.data], /training config/],
      [['--data', f.data, '--prices', f.prices, '--out', join(f.dir, 'x.json'), '--k', 'zero'], /--k must be an integer/],
      [['--data', f.data, '--prices', f.prices], /--data, --prices and --out are required/],
    ];
    for (const [argv, message] of cases) {
      const r = await capture(run, argv);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(message);
    }
  });

  it('prints help', async () => {
    const r = await capture(run, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: heimdall train');
  });
});
