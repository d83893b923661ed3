/**
 * `heimdall serve` as the single-worker benches start it (`long-request.ts`, `long-stream.ts`): one
 * worker, a fresh SQLite store in the temp dir, the openrouter provider pointed at a fake upstream,
 * info logs to nowhere; resolves once `/ready` answers 200.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childPids, freePort, root, stop } from './processes.js';

export interface HeimdallServe {
  readonly url: string;
  /** The worker serving the requests (CPU is read from it). */
  readonly workerPid: number;
  close(): Promise<void>;
}

/** Starts the build in `dist` (default: the checkout's) with extra node flags, e.g. `--cpu-prof`. */
export async function startHeimdallServe(upstreamUrl: string, options: { readonly dist?: string; readonly nodeArgs?: readonly string[] } = {}): Promise<HeimdallServe> {
  const port = await freePort();
  const db = join(tmpdir(), `heimdall-serve-${process.pid}-${port}.db`);
  const file = join(tmpdir(), `heimdall-serve-${process.pid}-${port}.json`);
  writeFileSync(file, JSON.stringify({ server: { host: '127.0.0.1', port, workers: 1 }, providers: { openrouter: { api_key: 'sk-or-v1-bench-key', base_url: `${upstreamUrl}/v1` } }, logging: { level: 'info' }, storage: { url: `sqlite:${db}` } }));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(options.dist ?? join(root, 'dist'), 'cli', 'main.js'), 'serve', '--config', file], {
    cwd: root,
    env: { ...process.env, PORT: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const close = async (): Promise<void> => {
    await stop(child);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    rmSync(file, { force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries++) {
      const status = await fetch(`${url}/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      if (tries > 600) throw new Error('heimdall did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { url, workerPid: childPids(child.pid)[0] ?? child.pid ?? 0, close };
}

/** CPU time (user + system) of a process so far, in ms. */
export function processCpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) * 10;
}
