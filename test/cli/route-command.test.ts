import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestArtifactJson } from '../helpers/test-artifact.js';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-cli-'));
const artifactPath = join(dir, 'artifact.json');
writeFileSync(artifactPath, JSON.stringify(buildTestArtifactJson()));
const configPath = join(dir, 'heimdall.yaml');
writeFileSync(
  configPath,
  `artifact:\n  path: ${artifactPath}\nmodels:\n  small: { provider: openai, model: gpt-4o-mini }\n  medium: { provider: anthropic, model: claude-sonnet-4-5 }\n  large: { provider: openai, model: gpt-4.1 }\n`,
);

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('heimdall route', () => {
  it('prints the decision as JSON and explains it', () => {
    const json = cli('route', '--config', configPath, '--prompt', 'Write a Python function def f(x): that returns the square, with code.', '--json');
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    const decision = JSON.parse(json.stdout.trim().split('\n').pop() as string) as { bucket: string; candidates: { id: string }[] };
    expect(decision.bucket).toBe('hard');
    expect(decision.candidates[0]?.id).toBe('openai/gpt-4.1');

    const explained = cli('route', '--config', configPath, '--prompt', 'Who painted the Mona Lisa?', '--explain');
    expect(explained.status).toBe(0);
    expect(explained.stdout).toMatch(/bucket\s+cheap/);
    expect(explained.stdout).toMatch(/clusters \(top_p\)/);
    expect(explained.stdout).toMatch(/openai\/gpt-4o-mini/);
  });

  it('fails clearly on bad input', () => {
    const none = cli('route', '--config', configPath);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/exactly one of --prompt or --file/);
    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, '{"model":"auto","messages":[]}');
    const bad = cli('route', '--config', configPath, '--file', badFile);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/messages/);
    const missing = cli('route', '--config', configPath, '--file', join(dir, 'nope.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read request/);
  });
});

describe('heimdall validate-config', () => {
  it('accepts a valid file and names every problem of a bad one', () => {
    expect(cli('validate-config', 'examples/reference-design.yaml').status).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'router:\n  alpha: 3\n  bogus: 1\n');
    const r = cli('validate-config', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/router\.alpha/);
    expect(r.stderr).toMatch(/router\.bogus: unknown key/);
  });
});
