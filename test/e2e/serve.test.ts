import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/app/start-server.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/obs/create-logger.js';
import { createGate, startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { tinyArtifactPath } from './helpers/start-test-gateway.js';

let upstream: FakeUpstream;
const models = {
  'tiny-small': { provider: 'openai', model: 'gpt-4o-mini' },
  'tiny-medium': { provider: 'openai', model: 'gpt-4.1-mini' },
  'tiny-large': { provider: 'openai', model: 'gpt-4.1' },
};

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
      JSON.stringify({ artifact: { path: tinyArtifactPath(), reload_seconds: 0 }, models, providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } } }),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--host', '127.0.0.1', '--workers', '2', '--config', configPath], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, PORT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // With port 0 every worker would get its own port; read the ports from the logs.
    const ready = new Set<string>();
    const ports = new Set<number>();
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as { msg: string; worker?: string; port?: number };
        if (entry.msg === 'listening' && entry.port !== undefined) ports.add(entry.port);
        if (entry.msg === 'warm-up done; ready' && entry.worker !== undefined) ready.add(entry.worker);
        if (ready.size === 2) resolve();
      });
      child.on('exit', () => reject(new Error('serve exited early')));
    });
    expect([...ready].sort()).toEqual(['0', '1']);
    const port = [...ports][0] as number;
    const res = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(res.status).toBe(200);
    // A scrape reaches one worker and reports every worker's series, each with its worker label.
    for (let i = 0; i < 3; i++) {
      const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toMatch(/^heimdall_process_resident_memory_bytes\{worker="0"\} \d+/m);
      expect(text).toMatch(/^heimdall_process_resident_memory_bytes\{worker="1"\} \d+/m);
      expect(text.match(/^# TYPE heimdall_requests_total counter$/gm)).toHaveLength(1);
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
