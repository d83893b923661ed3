import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/app/start-server.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/obs/create-logger.js';
import { openStore } from '../../src/store/open-store.js';
import { createGate, startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { tinyArtifactPath, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

let upstream: FakeUpstream;
const models = TINY_OPENAI_MODELS;

beforeAll(async () => {
  upstream = await startFakeUpstream((req, res) => res.json(200, openaiCompletion((req.body as { model: string }).model, 'ok')));
});
afterAll(async () => {
  await upstream.close();
});

describe('startServer', () => {
  it('drains in-flight requests on shutdown and refuses new ones', async () => {
    const config = loadConfig({
      env: {},
      overrides: {
        server: { host: '127.0.0.1', port: 0, warmup_decisions: 5, shutdown_grace: '30s' },
        artifact: { path: tinyArtifactPath(), reload_seconds: 0 },
        models,
        providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
        // Tests never write a database into the working tree (the default is .heimdall/heimdall.db).
        storage: { url: 'sqlite::memory:' },
      },
    });
    const gate = createGate();
    let arrived!: () => void;
    const received = new Promise<void>((r) => (arrived = r));
    upstream.setHandler(async (req, res) => {
      arrived();
      await res.waitFor(gate);
      res.json(200, openaiCompletion((req.body as { model: string }).model, 'finished during shutdown'));
    });
    const running = await startServer({ config, logger: createLogger({ level: 'silent' }) });
    const inFlight = fetch(`${running.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }) });
    await received;
    let stopped = false;
    const shutdown = running.shutdown().then(() => (stopped = true));
    expect(running.gateway.services.isDraining()).toBe(true);
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
    expect(stopped).toBe(false);
    gate.open();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('finished during shutdown');
    await shutdown;
    expect(stopped).toBe(true);
  });
});

describe('heimdall serve', () => {
  it('runs workers sharing one port, reports ready after warm-up, scrapes every worker at once, and exits cleanly on SIGTERM', async () => {
    const configPath = join(tmpdir(), `heimdall-serve-${process.pid}.json`);
    writeFileSync(
      configPath,
      JSON.stringify({ artifact: { path: tinyArtifactPath(), reload_seconds: 0 }, models, providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } }, storage: { url: 'sqlite::memory:' } }),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--host', '127.0.0.1', '--workers', '2', '--config', configPath], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, PORT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // With port 0 every worker gets its own port; read the ports (and pids) from the logs.
    const entries: Array<{ msg: string; worker?: string; port?: number; pid?: number; role?: string }> = [];
    const waiters: Array<() => void> = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      entries.push(JSON.parse(line) as (typeof entries)[number]);
      for (const w of waiters.splice(0)) w();
    });
    const until = async (done: () => boolean): Promise<void> => {
      while (!done()) {
        if (child.exitCode !== null) throw new Error('serve exited early');
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    // A failed assertion must not leave the primary and its workers running after the test.
    try {
      const readyCount = (): number => entries.filter((e) => e.msg === 'warm-up done; ready').length;
      const listeningCount = (): number => entries.filter((e) => e.msg === 'listening').length;
      // Each worker takes connections only once warm: on a shared port the primary deals them to any
      // worker that listens, and /ready cannot hold them off one that is still warming.
      const startUpOf = (worker: string): string[] => entries.filter((e) => e.worker === worker && (e.msg === 'listening' || e.msg === 'warm-up done; ready')).map((e) => e.msg);
      await until(() => readyCount() === 2 && listeningCount() === 2);
      expect(startUpOf('0')).toEqual(['warm-up done; ready', 'listening']);
      expect(startUpOf('1')).toEqual(['warm-up done; ready', 'listening']);
      const ready = entries.filter((e) => e.msg === 'warm-up done; ready');
      expect(ready.map((e) => e.worker).sort()).toEqual(['0', '1']);
      const listening = (worker: string) => entries.find((e) => e.msg === 'listening' && e.worker === worker) as { port: number; pid: number };
      const port = listening('0').port;
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(res.status).toBe(200);
      // A scrape reaches one worker and reports every worker's series, each with its worker label.
      const scrape = async (): Promise<{ status: number; text: string }> => {
        const r = await fetch(`http://127.0.0.1:${port}/metrics`);
        return { status: r.status, text: await r.text() };
      };
      for (let i = 0; i < 3; i++) {
        const { status, text } = await scrape();
        expect(status).toBe(200);
        expect(text).toMatch(/^heimdall_process_resident_memory_bytes\{worker="0"\} \d+/m);
        expect(text).toMatch(/^heimdall_process_resident_memory_bytes\{worker="1"\} \d+/m);
        expect(text.match(/^# TYPE heimdall_requests_total counter$/gm)).toHaveLength(1);
      }
      // Worker 1 dies: while its replacement starts, a scrape answers with the workers that are up
      // instead of waiting on one that cannot answer yet; once it is ready it is back in the scrape.
      process.kill(listening('1').pid, 'SIGKILL');
      await until(() => entries.some((e) => e.msg === 'worker exited unexpectedly; replacing it'));
      const during = await scrape();
      expect(during.status).toBe(200);
      expect(during.text).toMatch(/^heimdall_process_resident_memory_bytes\{worker="0"\} \d+/m);
      await until(() => readyCount() === 3 && listeningCount() === 3);
      // The replacement, too, listened only after its warm-up.
      expect(startUpOf('1')).toEqual(['warm-up done; ready', 'listening', 'warm-up done; ready', 'listening']);
      const after = await scrape();
      expect(after.status).toBe(200);
      expect(after.text).toMatch(/^heimdall_process_resident_memory_bytes\{worker="1"\} \d+/m);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  // A test that fails before its own SIGTERM must not leave a primary and its workers running
  // after it: SIGTERM (the primary drains its workers), then SIGKILL if that takes too long.
  const running: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of running.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
  });

  const startServe = (config: object, nodeArgs: string[] = [], env: Record<string, string> = {}) => {
    const configPath = join(tmpdir(), `heimdall-serve-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(configPath, JSON.stringify(config));
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--host', '127.0.0.1', '--config', configPath], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, PORT: '', NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const entries: Array<{ msg: string; worker?: string; port?: number; pid?: number; code?: number }> = [];
    let stderr = '';
    const waiters: Array<() => void> = [];
    const wake = (): void => {
      for (const w of waiters.splice(0)) w();
    };
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      wake();
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      entries.push(JSON.parse(line) as (typeof entries)[number]);
      wake();
    });
    const until = async (done: () => boolean): Promise<void> => {
      while (!done()) {
        if (child.exitCode !== null) throw new Error(`serve exited early: ${stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    return { child, exited, entries, until, stderr: () => stderr };
  };
  const baseConfig = {
    artifact: { path: tinyArtifactPath(), reload_seconds: 0 },
    models,
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `http://127.0.0.1:1/v1` } },
    storage: { url: 'sqlite::memory:' },
  };

  it('runs a single gateway in a worker started with the configured heap flags, replaces it when it dies, and drains it on SIGTERM', async () => {
    // A 60 s grace: a worker that did not exit by itself after draining would only go at the SIGKILL after it, past the test's timeout.
    const serve = startServe({ ...baseConfig, server: { workers: 1, shutdown_grace: '60s', warmup_decisions: 5 } });
    const ready = (): Array<{ pid?: number }> => serve.entries.filter((e) => e.msg === 'warm-up done; ready');
    await serve.until(() => ready().length === 1);
    const first = serve.entries.find((e) => e.msg === 'listening') as { pid: number; port: number };
    expect(first.pid).not.toBe(serve.child.pid);
    const argv = readFileSync(`/proc/${first.pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toEqual(
      expect.arrayContaining(['--initial-old-space-size=32', '--max-semi-space-size=8', '--heap-growing-percent=25', '--liftoff-only', '--no-allocation-site-pretenuring']),
    );
    expect(argv.some((a) => a.startsWith('--max-old-space-size'))).toBe(false);
    // glibc 2.36 rewrites the variable in place as it parses it, leaving the first tunable readable.
    const tunables = readFileSync(`/proc/${first.pid}/environ`, 'utf8').split('\0').find((e) => e.startsWith('GLIBC_TUNABLES='));
    expect(tunables).toMatch(/^GLIBC_TUNABLES=glibc\.malloc\.trim_threshold=131072(:glibc\.malloc\.mmap_threshold=131072)?$/);
    await serve.until(() => serve.stderr().includes('gateway listening on'));
    expect(serve.stderr()).toContain(`heimdall: gateway listening on http://127.0.0.1:${first.port}`);
    expect((await fetch(`http://127.0.0.1:${first.port}/ready`)).status).toBe(200);

    process.kill(first.pid, 'SIGKILL');
    await serve.until(() => ready().length === 2);
    const second = serve.entries.filter((e) => e.msg === 'listening')[1] as { pid: number; port: number };
    expect(second.pid).not.toBe(first.pid);
    expect((await fetch(`http://127.0.0.1:${second.port}/ready`)).status).toBe(200);

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.entries.some((e) => e.msg === 'stopped' && e.pid === second.pid)).toBe(true);
  });

  it('runs in its own process when node was started with the heap flags and malloc tunables already', async () => {
    const flags = ['--initial-old-space-size=96', '--max_semi_space_size=4', '--heap-growing-percent=50', '--no-liftoff-only', '--allocation-site-pretenuring'];
    const serve = startServe({ ...baseConfig, server: { workers: 1, warmup_decisions: 5 } }, flags, { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    await serve.until(() => serve.entries.some((e) => e.msg === 'warm-up done; ready'));
    expect(serve.entries.find((e) => e.msg === 'listening')?.pid).toBe(serve.child.pid);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });

  it("keeps SQLite in the primary: every worker's decisions land in its one connection, no worker loads better-sqlite3, and a drain flushes through it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdall-serve-store-'));
    const db = join(dir, 'h.db');
    try {
      const serve = startServe({
        ...baseConfig,
        providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
        storage: { url: `sqlite:${db}` },
        // Only the drain writes: the records of both workers are still queued at SIGTERM.
        decision_log: { flush: '1h' },
        server: { workers: 2, warmup_decisions: 5 },
      });
      // A worker of a cluster warms up before it listens: its "listening" line is the later one.
      await serve.until(() => serve.entries.filter((e) => e.msg === 'listening').length === 2);
      const workers = serve.entries.filter((e) => e.msg === 'listening') as Array<{ pid: number; port: number; worker: string }>;
      expect(workers.map((w) => w.worker).sort()).toEqual(['0', '1']);
      for (const w of workers) {
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`http://127.0.0.1:${w.port}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'x-request-id': `req-w${w.worker}-${i}` },
            body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: `hello ${i}` }] }),
          });
          expect(res.status).toBe(200);
          await res.arrayBuffer();
        }
      }
      const mapsSqlite = (pid: number): boolean => readFileSync(`/proc/${pid}/maps`, 'utf8').includes('better_sqlite3.node');
      for (const w of workers) expect(mapsSqlite(w.pid)).toBe(false);
      expect(mapsSqlite(serve.child.pid as number)).toBe(true);
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
      const store = await openStore(`sqlite:${db}`);
      try {
        const ids = (await store.decisions.list()).map((r) => r.requestId).sort();
        expect(ids).toEqual(['req-w0-0', 'req-w0-1', 'req-w0-2', 'req-w1-0', 'req-w1-1', 'req-w1-2']);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits with the worker's code when the gateway cannot start, instead of replacing it in a loop", async () => {
    const serve = startServe({ ...baseConfig, artifact: { path: join(tmpdir(), 'heimdall-no-such-artifact.json'), reload_seconds: 0 }, server: { workers: 1 } });
    const code = await serve.exited;
    // The worker's own exit code (1, as in-process), not the 0 of a worker that node's cluster code cut short.
    expect(code).toBe(1);
    expect(serve.entries.find((e) => e.msg === 'worker failed to start; stopping')).toMatchObject({ code: 1 });
    expect(serve.stderr()).toContain('cannot read artifact');
    expect(serve.entries.some((e) => e.msg === 'worker exited unexpectedly; replacing it')).toBe(false);
  });
});
