import type { ProviderId } from '../types/provider-id.js';
import { DEFAULT_BASE_URLS, type ConfigEnv } from './config-schema.js';
import { getPath, isPlainObject, setPath, type PlainObject } from './plain-object.js';

const PREFIX = 'HEIMDALL_';
const SEPARATOR = '__';

function parseEnvValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/**
 * Turns `HEIMDALL_SECTION__KEY=value` variables into a config layer (`__` separates path
 * segments, segments are lower-cased, values are JSON when they parse as JSON, text otherwise),
 * plus `PORT` → `server.port`. Variables without `__` (e.g. `HEIMDALL_CONFIG`) are not config keys.
 */
export function envOverlay(env: ConfigEnv): PlainObject {
  const layer: PlainObject = {};
  const port = env.PORT;
  if (port !== undefined && port !== '') setPath(layer, ['server', 'port'], parseEnvValue(port));
  // Shorter paths first so `HEIMDALL_ROUTER__THRESHOLDS={...}` is refined by `..__THRESHOLDS__HARD`.
  const names = Object.keys(env)
    .filter((name) => name.startsWith(PREFIX) && name.includes(SEPARATOR))
    .sort((a, b) => a.split(SEPARATOR).length - b.split(SEPARATOR).length || a.localeCompare(b));
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined) continue;
    const path = name.slice(PREFIX.length).split(SEPARATOR).map((segment) => segment.toLowerCase());
    if (path.some((segment) => segment === '')) continue;
    setPath(layer, path, parseEnvValue(raw));
  }
  return layer;
}

/** Conventional provider variables, applied only where the merged config leaves the key unset. */
const CONVENTIONAL: Readonly<Record<ProviderId, { apiKey: readonly string[]; baseUrl: string }>> = {
  openai: { apiKey: ['OPENAI_API_KEY'], baseUrl: 'OPENAI_BASE_URL' },
  anthropic: { apiKey: ['ANTHROPIC_API_KEY'], baseUrl: 'ANTHROPIC_BASE_URL' },
  gemini: { apiKey: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], baseUrl: 'GEMINI_BASE_URL' },
  openrouter: { apiKey: ['OPENROUTER_API_KEY'], baseUrl: 'OPENROUTER_BASE_URL' },
};

/** Fills `providers.*.api_key` / `base_url` from conventional variables; mutates `config`. */
export function applyConventionalEnv(config: PlainObject, env: ConfigEnv): void {
  for (const [provider, names] of Object.entries(CONVENTIONAL)) {
    const section = getPath(config, ['providers', provider]);
    if (section !== undefined && !isPlainObject(section)) continue;
    const keyVar = names.apiKey.find((name) => env[name] !== undefined && env[name] !== '');
    if (keyVar !== undefined && getPath(config, ['providers', provider, 'api_key']) === undefined) {
      // A reference rather than the value, so a key that happens to start with "env:" stays literal.
      setPath(config, ['providers', provider, 'api_key'], { env: keyVar });
    }
    const baseUrl = env[names.baseUrl];
    if (baseUrl !== undefined && baseUrl !== '' && getPath(config, ['providers', provider, 'base_url']) === undefined) {
      setPath(config, ['providers', provider, 'base_url'], baseUrl);
    }
    if (getPath(config, ['providers', provider, 'proxy']) === undefined) {
      const target = getPath(config, ['providers', provider, 'base_url']);
      const proxy = proxyFromEnv(typeof target === 'string' ? target : DEFAULT_BASE_URLS[provider as ProviderId], env);
      if (proxy !== undefined) setPath(config, ['providers', provider, 'proxy'], proxy);
    }
  }
  const remoteUrl = getPath(config, ['embedding', 'remote', 'url']);
  if (typeof remoteUrl === 'string' && getPath(config, ['embedding', 'remote', 'proxy']) === undefined) {
    const proxy = proxyFromEnv(remoteUrl, env);
    if (proxy !== undefined) setPath(config, ['embedding', 'remote', 'proxy'], proxy);
  }
}

/**
 * The proxy the conventional variables give a URL, as curl and most HTTP clients read them:
 * `HTTPS_PROXY` for https, `HTTP_PROXY` for http (either case), none when `NO_PROXY` lists the
 * host (`*`, a host, a domain suffix with or without its leading dot, optionally `:port`). Loopback
 * hosts never get one, as with Go's `ProxyFromEnvironment`: a variable set for the machine's
 * outbound traffic must not capture a local model server.
 */
export function proxyFromEnv(target: string, env: ConfigEnv): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)) return undefined;
  const pick = (...names: string[]): string | undefined => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const proxy = url.protocol === 'https:' ? pick('HTTPS_PROXY', 'https_proxy') : pick('HTTP_PROXY', 'http_proxy');
  if (proxy === undefined) return undefined;
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  const exempt = (pick('NO_PROXY', 'no_proxy') ?? '').split(',').some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === '') return false;
    if (entry === '*') return true;
    const colon = entry.lastIndexOf(':');
    const [name, entryPort] = colon > 0 && !entry.includes(']') ? [entry.slice(0, colon), entry.slice(colon + 1)] : [entry, undefined];
    if (entryPort !== undefined && entryPort !== port) return false;
    const domain = name.replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
  if (exempt) return undefined;
  // curl reads a bare `host:port` as an HTTP proxy.
  return proxy.includes('://') ? proxy : `http://${proxy}`;
}
