import type { ProviderId } from '../types/provider-id.js';
import type { ConfigEnv } from './config-schema.js';
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
  }
}
