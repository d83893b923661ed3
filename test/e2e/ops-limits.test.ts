import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/app/create-gateway.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/obs/create-logger.js';
import type { SharedCircuitBreakers } from '../../src/state/shared-circuit-breakers.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { freePort, hasRedisServer, startRedisServer, type TestRedisServer } from '../redis/redis-server.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { startTestGateway, tinyArtifactPath, type TestGateway, TINY_OPENAI_MODELS } from './helpers/start-test-gateway.js';

const MODELS = TINY_OPENAI_MODELS;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const KEY_A = 'hmd-team-a-0123456789';
const KEY_B = 'hmd-team-b-0123456789';
const KEY_C = 'hmd-team-c-0123456789';

let upstream: FakeUpstream;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heimdall-ops-limits-'));
  upstream = await startFakeUpstream((req, res) => res.json(200, openaiCompletion((req.body as { model: string }).model, 'ok')));
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

function baseConfig(name: string): Record<string, unknown> {
  return {
    models: MODELS,
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1` } },
    storage: { url: `sqlite:${join(dir, `${name}.db`)}` },
    catalog_sync: { refresh: 0 },
    auth: {
      gateway_keys: [
        { name: 'team-a', key: KEY_A, rpm: 3 },
        { name: 'team-b', key: KEY_B, budget_usd: 0.000001, budget_period: 'day' },
        { name: 'team-c', key: KEY_C },
      ],
    },
  };
}

const openai = (url: string, key: string) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'what is the capital of france' }] }) });
const anthropic = (url: string, key: string) =>
  fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'auto', max_tokens: 50, messages: [{ role: 'user', content: 'what is the capital of france' }] }) });

describe('limits per gateway key, in-process (no Redis)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(baseConfig('in-process'));
  });
  afterAll(async () => {
    await gw.close();
  });

  it('refuses requests over rpm with 429 and Retry-After, in the OpenAI and the Anthropic error shape', async () => {
    expect(gw.gateway.operations.redis).toBe(false);
    for (let i = 0; i < 3; i++) {
      const res = await (i === 1 ? anthropic(gw.url, KEY_A) : openai(gw.url, KEY_A));
      expect(res.status).toBe(200);
      await res.json();
    }
    const refused = await openai(gw.url, KEY_A);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({
      error: { message: expect.stringContaining("Gateway key 'team-a' is over its limit of 3 requests per minute") as unknown, type: 'rate_limit_error', param: null, code: 'policy_rate_limited' },
    });
    const refusedAnthropic = await anthropic(gw.url, KEY_A);
    expect(refusedAnthropic.status).toBe(429);
    expect(Number(refusedAnthropic.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refusedAnthropic.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('requests per minute') as unknown } });
    // Another key is not affected, and a key without limits is never limited.
    for (let i = 0; i < 5; i++) expect((await openai(gw.url, KEY_C)).status).toBe(200);
  });

  it('refuses a key whose USD budget is used, until the next period', async () => {
    // The first request's estimate is clamped to the whole (tiny) budget; its settled cost uses it up.
    const first = await openai(gw.url, KEY_B);
    expect(first.status).toBe(200);
    await first.json();
    const refused = await openai(gw.url, KEY_B);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: 'policy_budget_exceeded', type: 'rate_limit_error' } });
  });
});

/** `heimdall serve` in a child process; resolves once it printed its URL. */
function serveProcess(configPath: string): { child: ChildProcess; url: Promise<string>; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', configPath], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HEIMDALL_CONFIG: '' } });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /gateway listening on (http:\/\/\S+)/.exec(stderr);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

describe.skipIf(!hasRedisServer())('limits shared through Redis by two gateway processes', () => {
  let redis: TestRedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('two gateway processes sharing one Redis allow exactly the limit together', async () => {
    const rpm = 7;
    const configPath = join(dir, 'redis-serve.json');
    const config = {
      ...baseConfig('redis-serve'),
      server: { host: '127.0.0.1', port: 0, workers: 1, warmup_decisions: 5 },
      artifact: { path: tinyArtifactPath(), reload_seconds: 0 },
      redis: { url: redis.url },
      logging: { level: 'warn' },
      auth: { gateway_keys: [{ name: 'shared-team', key: KEY_A, rpm }] },
    };
    writeFileSync(configPath, JSON.stringify(config));
    const a = serveProcess(configPath);
    const b = serveProcess(configPath);
    try {
      const [urlA, urlB] = await Promise.all([a.url, b.url]);
      // 10 requests at each gateway, all at once: 20 attempts against a limit of 7.
      const attempts = [urlA, urlB].flatMap((url) => Array.from({ length: 10 }, () => openai(url, KEY_A)));
      const responses = await Promise.all(attempts);
      const statuses = responses.map((r) => r.status);
      const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ error?: { code: string } }>));
      // Each process alone would allow 7 (14 together): exactly 7 means every reservation went through one shared counter.
      expect(statuses.filter((s) => s === 200)).toHaveLength(rpm);
      expect(statuses.filter((s) => s === 429)).toHaveLength(20 - rpm);
      for (const [i, r] of responses.entries()) if (r.status === 429) expect(bodies[i]?.error?.code).toBe('policy_rate_limited');
      for (const r of responses) if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      // No assertion in here: it would replace the error that got us here (e.g. a start-up failure and its stderr).
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
    }
    expect(await a.exited, a.stderr()).toBe(0);
    expect(await b.exited, b.stderr()).toBe(0);
  }, 120_000);

  it('a gateway with redis.url refuses to start when Redis is unreachable, naming it', async () => {
    const port = await freePort();
    const config = loadConfig({
      env: {},
      overrides: { artifact: { path: tinyArtifactPath(), reload_seconds: 0 }, storage: { url: 'sqlite::memory:' }, redis: { url: `redis://:hunter2@127.0.0.1:${port}/0` } },
    });
    const err = (await createGateway(config, { logger: createLogger({ level: 'silent' }) }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(new RegExp(`^Redis at redis://:\\S*redacted\\S*@127\\.0\\.0\\.1:${port}/0 is unreachable at start`));
    expect(err.message).not.toContain('hunter2');
  });

  it('circuit breakers are shared: a target opened by one gateway is skipped by the other', async () => {
    const failing = await startFakeUpstream((req, res) => res.serverError(500, `down: ${(req.body as { model: string }).model}`));
    const overrides = {
      ...baseConfig('redis-breakers'),
      providers: { openai: { api_key: 'sk-proj-configured', base_url: `${failing.url}/v1` } },
      redis: { url: redis.url },
      retry: { max_retries: 0 },
      auth: { gateway_keys: [] },
    };
    const circuit = { failureThreshold: 2, coolOffMs: 600_000 };
    const one = await startTestGateway(overrides, { circuit });
    const two = await startTestGateway(overrides, { circuit });
    const call = (url: string) => fetch(`${url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'openai/gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }) });
    try {
      for (let i = 0; i < 2; i++) expect((await call(one.url)).status).toBe(502);
      await (one.gateway.breakers as SharedCircuitBreakers).flush();
      expect(one.gateway.breakers.state('openai/gpt-4.1-mini')).toBe('open');
      // The second gateway never called this target; it learns the shared state on first use.
      const target = 'openai/gpt-4.1-mini';
      two.gateway.breakers.tryAcquire(target);
      two.gateway.breakers.release(target);
      await (two.gateway.breakers as SharedCircuitBreakers).flush();
      const before = failing.requests.length;
      const refused = await call(two.url);
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('routing_model_unavailable');
      expect(failing.requests.length).toBe(before);
    } finally {
      await one.close();
      await two.close();
      await failing.close();
    }
  });

  it('one gateway on Redis shares its limits with a second one built in this process', async () => {
    const overrides = { ...baseConfig('redis-inproc'), redis: { url: redis.url }, auth: { gateway_keys: [{ name: 'team-x', key: KEY_C, rpm: 2 }] } };
    const one = await startTestGateway(overrides);
    const two = await startTestGateway(overrides);
    try {
      expect(one.gateway.operations.redis).toBe(true);
      expect((await openai(one.url, KEY_C)).status).toBe(200);
      expect((await openai(two.url, KEY_C)).status).toBe(200);
      expect((await openai(one.url, KEY_C)).status).toBe(429);
      expect((await openai(two.url, KEY_C)).status).toBe(429);
      const metrics = await (await fetch(`${one.url}/metrics`)).text();
      expect(metrics).toMatch(/^heimdall_redis_up(\{[^}]*\})? 1$/m);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
