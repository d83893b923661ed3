/** Processes the benchmarks start: helpers transpiled to plain ESM, free ports, clean stops. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository's root directory. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export /** Transpiles a bench helper to plain ESM inside node_modules/.cache, so it runs on bare node (no loader in its RSS). */
function compileHelper(name: string): string {
  const out = join(root, 'node_modules', '.cache', 'heimdall-bench');
  mkdirSync(out, { recursive: true });
  const source = readFileSync(join(root, 'bench', `${name}.ts`), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = join(out, `${name}.mjs`);
  writeFileSync(file, js);
  return file;
}

export function start(cmd: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The `{"port": N}` line a bench helper prints once it listens. */
export function firstJsonLine(child: ChildProcess): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl !== -1) resolve(JSON.parse(buf.slice(0, nl)) as { port: number });
    });
    child.once('exit', (code) => reject(new Error(`process exited early (${code})`)));
  });
}

/** SIGTERM, then SIGKILL after 15 s; resolves when the process has exited. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

/** The child processes of `pid` (heimdall's workers under its cluster primary); empty when it has none or is gone. */
export function childPids(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((c) => c !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** The one child process of `pid` (heimdall's worker under its cluster primary), if it has exactly one. */
export function onlyChild(pid: number | undefined): number | undefined {
  const children = childPids(pid);
  return children.length === 1 ? children[0] : undefined;
}

/** Peak resident set size (VmHWM) of a process, in MB. */
export function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}
