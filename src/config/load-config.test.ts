import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../errors/gateway-error.js';
import { CREDENTIAL_KINDS } from './credential-kinds.js';
import { DEFAULT_MODEL_MAP } from './default-models.js';
import { buildConfig, loadConfig, validateConfigFile } from './load-config.js';
import { redactConfig } from './redact-config.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'heimdall-config-')), name);
  writeFileSync(path, text);
  return path;
}

function errorsOf(options: Parameters<typeof buildConfig>[0]): readonly string[] {
  const result = buildConfig(options);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.errors;
}

describe('loadConfig defaults', () => {
  const config = loadConfig({ env: {} });

  it('fills every section from the schema', () => {
    expect(config.server).toEqual({
      host: '0.0.0.0',
      port: 8080,
      workers: 0,
      body_limit_bytes: 10 * 1024 * 1024,
      request_timeout: 600_000,
      shutdown_grace: 10_000,
      max_in_flight: 0,
      max_requests_per_turn: 32,
      warmup_decisions: 300,
      warmup_requests: 600,
      heap: { initial_old_space_mb: 32, max_old_space_mb: 0, max_semi_space_mb: 8, growing_percent: 25, optimize_wasm: false, pretenuring: false, malloc_trim_threshold_kb: 128 },
    });
    // Unset router knobs fall through to the values the artifact was fitted with.
    expect(config.router.alpha).toBeUndefined();
    expect(config.router.top_p).toBeUndefined();
    expect(config.router.expected_output_tokens).toBeUndefined();
    expect(config.router).toMatchObject({
      thresholds: {},
      penalties: {},
      candidates_per_bucket: 3,
      bucket_defaults: { cheap: {}, mid: { reasoning_effort: 'low', thinking_budget: 2048 }, hard: { reasoning_effort: 'high', thinking_budget: 8192 } },
      allow: [],
      deny: [],
    });
    expect(config.router.max_price_usd_per_request).toBeUndefined();
    expect(Object.keys(config.router.aliases)).toEqual(['fast', 'smart']);
    expect(config.artifact).toEqual({ reload_seconds: 60 });
    expect(config.models).toEqual(DEFAULT_MODEL_MAP);
    expect(config.providers.openai).toEqual({ base_url: 'https://api.openai.com/v1', enabled: true });
    expect(config.providers.openrouter.base_url).toBe('https://openrouter.ai/api/v1');
    expect(config.cache).toEqual({ decisions: { enabled: true, max_entries: 10_000, ttl: 600_000, admission: 'repeat' }, embeddings: { max_entries: 10_000, admission: 'repeat' } });
    expect(config.embedding).toEqual({ kind: 'local' });
    expect(config.timeouts).toEqual({ connect: 5_000, headers: 60_000, idle: 60_000, embedding: 200, feature: 15, count_tokens: 5_000 });
    expect(config.fallbacks).toEqual({ enabled: true, max_attempts: 3 });
    expect(config.retry).toEqual({ max_retries: 1, base_delay: 250, max_delay: 8_000, max_retry_after: 20_000 });
    expect(config.auth).toEqual({ adapters: [...CREDENTIAL_KINDS], gateway_keys: [], anthropic_oauth_cooldown: 240_000 });
    expect(config.logging).toEqual({ level: 'info', store_prompts: false });
    expect(config.metrics).toEqual({ enabled: true });
    expect(config.storage).toEqual({ url: 'sqlite:.heimdall/heimdall.db' });
    expect(config.redis).toEqual({});
  });

  it('is deep-frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.router.bucket_defaults.mid)).toBe(true);
    expect(Object.isFrozen(config.auth.adapters)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('merges user models and aliases over the built-in ones', () => {
    const custom = loadConfig({
      env: {},
      overrides: { models: { 'qwen2.5-7b-instruct': { provider: 'openai', model: 'gpt-5-nano' } }, router: { aliases: { fast: { alpha: 0.1 }, cheapest: { alpha: 0 } } } },
    });
    expect(custom.models['qwen2.5-7b-instruct']).toEqual({ provider: 'openai', model: 'gpt-5-nano' });
    expect(custom.models['llama-3.1-8b-instruct']).toEqual(DEFAULT_MODEL_MAP['llama-3.1-8b-instruct']);
    expect(custom.router.aliases).toEqual({ fast: { alpha: 0.1 }, smart: { bucket: 'hard', alpha: 0.9 }, cheapest: { alpha: 0 } });
  });
});

describe('validation errors', () => {
  it('names every unknown key with its path', () => {
    const errors = errorsOf({ env: {}, overrides: { servr: {}, router: { thresholds: { cheap: 0.5, medium: 0.2 } }, providers: { openai: { apikey: 'x' } } } });
    expect(errors).toEqual(
      expect.arrayContaining(['servr: unknown key', 'router.thresholds.medium: unknown key', 'providers.openai.apikey: unknown key']),
    );
  });

  it('lists every bad value as path: message, in one GatewayError', () => {
    let thrown: unknown;
    try {
      loadConfig({ env: {}, overrides: { server: { port: 70_000 }, router: { alpha: 2, top_p: 0 }, logging: { level: 'loud' } } });
    } catch (error) {
      thrown = error;
    }
    expect(isGatewayError(thrown)).toBe(true);
    const error = thrown as Error & { code: string };
    expect(error.code).toBe('gateway_config_invalid');
    for (const path of ['server.port:', 'router.alpha:', 'router.top_p:', 'logging.level:']) expect(error.message).toContain(path);
  });

  it('rejects bad durations naming the key', () => {
    const errors = errorsOf({ env: {}, overrides: { timeouts: { connect: '5 seconds' }, retry: { base_delay: true } } });
    expect(errors.find((line) => line.startsWith('timeouts.connect: invalid duration "5 seconds"'))).toBeDefined();
    expect(errors.find((line) => line.startsWith('retry.base_delay:'))).toBeDefined();
  });

  it('parses durations in every accepted form', () => {
    const config = loadConfig({ env: {}, overrides: { timeouts: { connect: '2s', headers: '1m', idle: 1500, embedding: '150ms', feature: '1h', count_tokens: '2s' } } });
    expect(config.timeouts).toEqual({ connect: 2_000, headers: 60_000, idle: 1_500, embedding: 150, feature: 3_600_000, count_tokens: 2_000 });
  });

  it('checks cross-field rules', () => {
    expect(errorsOf({ env: {}, overrides: { embedding: { kind: 'remote' } } })).toContain('embedding.remote: required when embedding.kind is "remote"');
    expect(errorsOf({ env: {}, overrides: { router: { aliases: { auto: {} } } } })).toContain('router.aliases.auto: "auto" is reserved for the router');
    expect(errorsOf({ env: {}, overrides: { artifact: { url: 's3://bucket/a.tar' } } })).toContain('artifact.url: must be an http(s) URL');
    const dup = errorsOf({ env: {}, overrides: { auth: { gateway_keys: [{ name: 'a', key: 'k1' }, { name: 'a', key: 'k1' }] } } });
    expect(dup).toEqual(expect.arrayContaining(['auth.gateway_keys.1.name: duplicate gateway key name "a"', 'auth.gateway_keys.1.key: duplicate gateway key value']));
  });

  it('reports YAML syntax errors with a line number', () => {
    const path = tempFile('bad.yaml', 'server:\n  port: 1\n  port: 2\n');
    const result = validateConfigFile(path, {});
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatch(/bad\.yaml:\d+:\d+: /);
    expect(validateConfigFile(join(dirname(path), 'missing.yaml'), {}).errors[0]).toContain('cannot read config file (ENOENT)');
  });

  it('reads JSON files too', () => {
    const path = tempFile('config.json', JSON.stringify({ server: { port: 9001 }, router: { alpha: 0.9 } }));
    expect(loadConfig({ path, env: {} }).router.alpha).toBe(0.9);
  });
});

describe('environment overlay', () => {
  it('applies HEIMDALL_ variables over the file, parsing JSON values', () => {
    const path = tempFile('c.yaml', 'router:\n  alpha: 0.2\n  thresholds: { cheap: 0.3 }\nlogging: { level: warn }\n');
    const config = loadConfig({
      path,
      env: {
        HEIMDALL_ROUTER__ALPHA: '0.7',
        HEIMDALL_ROUTER__THRESHOLDS__HARD: '0.9',
        HEIMDALL_ROUTER__ALLOW: '["openai/*","gemini/*"]',
        HEIMDALL_CACHE__DECISIONS__ENABLED: 'false',
        HEIMDALL_TIMEOUTS__CONNECT: '3s',
        HEIMDALL_LOGGING__LEVEL: 'debug',
        HEIMDALL_CONFIG: '/etc/heimdall.yaml',
        PORT: '9000',
      },
    });
    expect(config.router.alpha).toBe(0.7);
    expect(config.router.thresholds).toEqual({ cheap: 0.3, hard: 0.9 });
    expect(config.router.allow).toEqual(['openai/*', 'gemini/*']);
    expect(config.cache.decisions.enabled).toBe(false);
    expect(config.timeouts.connect).toBe(3_000);
    expect(config.logging.level).toBe('debug');
    expect(config.server.port).toBe(9000);
  });

  it('lets HEIMDALL_SERVER__PORT beat PORT and overrides beat both', () => {
    expect(loadConfig({ env: { PORT: '9000', HEIMDALL_SERVER__PORT: '9100' } }).server.port).toBe(9100);
    expect(loadConfig({ env: { PORT: '9000' }, overrides: { server: { port: 9200 } } }).server.port).toBe(9200);
  });

  it('names an env value of the wrong type by its config path', () => {
    expect(errorsOf({ env: { PORT: 'http' } })).toContain('server.port: Invalid input: expected number, received string');
  });
});

describe('secrets', () => {
  it('resolves literal, env:NAME and { env: NAME } references', () => {
    const config = loadConfig({
      env: { MY_KEY: 'sk-env', GW: 'gw-secret' },
      overrides: {
        providers: { openai: { api_key: 'sk-literal' }, anthropic: { api_key: 'env:MY_KEY' }, gemini: { api_key: { env: 'MY_KEY' } } },
        auth: { gateway_keys: [{ name: 'ci', key: 'env:GW', models: ['openai/*'] }] },
      },
    });
    expect(config.providers.openai.api_key).toBe('sk-literal');
    expect(config.providers.anthropic.api_key).toBe('sk-env');
    expect(config.providers.gemini.api_key).toBe('sk-env');
    expect(config.auth.gateway_keys[0]?.key).toBe('gw-secret');
  });

  it('reports an unset referenced variable with the key that references it', () => {
    const errors = errorsOf({ env: {}, overrides: { providers: { openai: { api_key: 'env:NOPE' } }, auth: { gateway_keys: [{ name: 'x', key: { env: 'ALSO_NOPE' } }] } } });
    expect(errors).toEqual(
      expect.arrayContaining(['providers.openai.api_key: environment variable NOPE is not set', 'auth.gateway_keys.0.key: environment variable ALSO_NOPE is not set']),
    );
  });

  it('uses conventional provider variables only when the file leaves the key unset', () => {
    const env = {
      OPENAI_API_KEY: 'sk-openai',
      ANTHROPIC_API_KEY: 'sk-ant',
      GOOGLE_API_KEY: 'g-key',
      OPENROUTER_API_KEY: 'or-key',
      OPENAI_BASE_URL: 'http://localhost:4000/v1',
      ANTHROPIC_BASE_URL: 'https://proxy.example.com',
    };
    const config = loadConfig({ env, overrides: { providers: { anthropic: { api_key: 'from-file', base_url: 'https://file.example.com' } } } });
    expect(config.providers.openai).toMatchObject({ api_key: 'sk-openai', base_url: 'http://localhost:4000/v1' });
    expect(config.providers.anthropic).toMatchObject({ api_key: 'from-file', base_url: 'https://file.example.com' });
    expect(config.providers.gemini.api_key).toBe('g-key');
    expect(loadConfig({ env: { GEMINI_API_KEY: 'gem', GOOGLE_API_KEY: 'goo' } }).providers.gemini.api_key).toBe('gem');
    expect(config.providers.openrouter.api_key).toBe('or-key');
  });

  it('takes a provider proxy from HTTPS_PROXY / HTTP_PROXY by the base URL scheme, minus NO_PROXY and loopback', () => {
    const env = { HTTPS_PROXY: 'http://user:pw@proxy.corp:3128', http_proxy: 'plain.corp:8080', NO_PROXY: 'example.org, .googleapis.com' };
    const config = loadConfig({
      env,
      overrides: {
        providers: {
          openai: { base_url: 'http://models.internal:4000/v1' },
          anthropic: { proxy: 'http://file-proxy:3128' },
          openrouter: { base_url: 'https://api.example.org/v1' },
        },
      },
    });
    // http base URL: HTTP_PROXY (either case), a bare host:port read as http://.
    expect(config.providers.openai.proxy).toBe('http://plain.corp:8080');
    // The file wins over the environment.
    expect(config.providers.anthropic.proxy).toBe('http://file-proxy:3128');
    // NO_PROXY: a domain with or without its leading dot covers its subdomains.
    expect(config.providers.gemini.proxy).toBeUndefined();
    expect(config.providers.openrouter.proxy).toBeUndefined();
    expect(loadConfig({ env: { HTTPS_PROXY: 'http://p:1' } }).providers.openrouter.proxy).toBe('http://p:1');
    expect(loadConfig({ env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' } }).providers.openrouter.proxy).toBeUndefined();
    expect(loadConfig({ env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'openrouter.ai:8443' } }).providers.openrouter.proxy).toBe('http://p:1');
    expect(loadConfig({ env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'openrouter.ai:443' } }).providers.openrouter.proxy).toBeUndefined();
    // Loopback never takes a proxy from the environment (a local model server).
    for (const base of ['http://127.0.0.1:8000/v1', 'http://localhost:8000/v1', 'http://[::1]:8000/v1']) {
      expect(loadConfig({ env: { HTTP_PROXY: 'http://p:1' }, overrides: { providers: { openai: { base_url: base } } } }).providers.openai.proxy).toBeUndefined();
    }
    // Proxy credentials are redacted like any URL credentials.
    expect(JSON.stringify(redactConfig(config))).not.toContain('user:pw');
    // The remote embedder takes one from the environment too, by its own URL.
    const remote = { kind: 'remote', remote: { url: 'https://emb.example.com/v1', model: 'text-embedding-3-small' } };
    const withEmbedder = loadConfig({ env: { HTTPS_PROXY: 'http://u:secret@p:1' }, overrides: { embedding: remote } });
    expect(withEmbedder.embedding.remote?.proxy).toBe('http://u:secret@p:1');
    expect(JSON.stringify(redactConfig(withEmbedder))).not.toContain('secret');
    expect(loadConfig({ env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.com' }, overrides: { embedding: remote } }).embedding.remote?.proxy).toBeUndefined();
    expect(() => loadConfig({ env: {}, overrides: { providers: { openai: { proxy: 'not a url' } } } })).toThrow(/proxy/);
  });

  it('redacts secrets and URL credentials without touching the snapshot', () => {
    const config = loadConfig({
      env: { OPENAI_API_KEY: 'sk-secret' },
      overrides: {
        auth: { gateway_keys: [{ name: 'ci', key: 'gw-secret' }] },
        redis: { url: 'redis://user:hunter2@redis:6379' },
        embedding: { kind: 'remote', remote: { url: 'https://emb.example.com/v1/embeddings', model: 'text-embedding-3-small', api_key: 'emb-secret' } },
      },
    });
    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);
    for (const secret of ['sk-secret', 'gw-secret', 'hunter2', 'emb-secret']) expect(text).not.toContain(secret);
    expect(redacted.providers.openai.api_key).toBe('[redacted]');
    expect(redacted.auth.gateway_keys[0]).toEqual({ name: 'ci', key: '[redacted]' });
    expect(redacted.providers.anthropic.api_key).toBeUndefined();
    expect(config.providers.openai.api_key).toBe('sk-secret');
  });
});

describe('legacy reference-design keys', () => {
  it('loads examples/reference-design.yaml with the same meaning', () => {
    const config = loadConfig({ path: join(EXAMPLES, 'reference-design.yaml'), env: {} });
    expect(config.router.alpha).toBe(0.6);
    expect(config.router.thresholds).toEqual({ cheap: 0.62, hard: 0.58 });
    expect(config.router.top_p).toBe(3);
    expect(config.router.penalties).toEqual({ latency_sd: 0.05, ctx_over_80pct: 0.15 });
    expect(config.router.bucket_defaults.mid).toEqual({ reasoning_effort: 'medium', thinking_budget: 6000 });
    expect(config.router.bucket_defaults.hard).toEqual({ reasoning_effort: 'high', thinking_budget: 20000 });
    expect(config.auth.adapters).toEqual(['anthropic-oauth', 'google-oauth', 'openai-key', 'openrouter-key']);
    expect(config.artifact).toEqual({ url: 'https://artifacts.example.com/llm-router/latest.json', reload_seconds: 300 });
    expect(config.server.request_timeout).toBe(30_000);
    expect(config.cache.decisions).toEqual({ enabled: true, max_entries: 10_000, ttl: 300_000, admission: 'repeat' });
    expect(config.timeouts.embedding).toBe(15_000);
    expect(config.timeouts.feature).toBe(25);
    expect(config.fallbacks.enabled).toBe(true);
    expect(config.metrics.enabled).toBe(false);
  });

  it('accepts a legacy key and its new key when they agree', () => {
    const config = loadConfig({ env: {}, overrides: { timeout: '60s', server: { request_timeout: 60_000 }, enable_caching: false, cache: { decisions: { enabled: false } } } });
    expect(config.server.request_timeout).toBe(60_000);
    expect(config.cache.decisions.enabled).toBe(false);
  });

  it('rejects a legacy key and its new key set differently, naming both', () => {
    const errors = errorsOf({
      env: {},
      overrides: { cache_ttl: '5m', cache: { decisions: { ttl: '10m' } }, auth_adapters: { enabled: ['openai'] }, auth: { adapters: ['gemini-key'] } },
    });
    expect(errors.find((line) => line.startsWith('cache_ttl: legacy key conflicts with cache.decisions.ttl'))).toBeDefined();
    expect(errors.find((line) => line.startsWith('auth_adapters.enabled: legacy key conflicts with auth.adapters'))).toBeDefined();
  });

  it('lets the environment override a legacy key from the file', () => {
    const path = tempFile('legacy.yaml', 'timeout: 30s\n');
    expect(loadConfig({ path, env: { HEIMDALL_SERVER__REQUEST_TIMEOUT: '45s' } }).server.request_timeout).toBe(45_000);
  });

  it('explains legacy values and keys it cannot use', () => {
    const errors = errorsOf({ env: {}, overrides: { feature_timeout: 'soon', auth_adapters: { enabled: ['telepathy'] }, enable_exploration: true, catalog: { base_url: 'http://catalog' } } });
    expect(errors.find((line) => line.startsWith('feature_timeout (legacy key for timeouts.feature): invalid duration'))).toBeDefined();
    expect(errors.find((line) => line.startsWith('auth_adapters.enabled.0: unknown auth adapter "telepathy"'))).toBeDefined();
    expect(errors).toContain('enable_exploration: unknown key (exploration is not supported)');
    expect(errors.find((line) => line.startsWith('catalog: unknown key (the model catalog is bundled'))).toBeDefined();
  });
});

describe('examples and validateConfigFile', () => {
  it('validates the example files', () => {
    expect(validateConfigFile(join(EXAMPLES, 'heimdall.yaml'), {})).toEqual({ ok: true, errors: [] });
    expect(validateConfigFile(join(EXAMPLES, 'reference-design.yaml'), {})).toEqual({ ok: true, errors: [] });
  });

  it('returns the errors instead of throwing', () => {
    const path = tempFile('x.yaml', 'server: { port: -1 }\nbogus: 1\n');
    const result = validateConfigFile(path, {});
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(expect.arrayContaining(['bogus: unknown key']));
    expect(result.errors.some((line) => line.startsWith('server.port:'))).toBe(true);
  });
});
