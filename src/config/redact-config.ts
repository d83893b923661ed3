import type { Config } from './config-schema.js';
import { cloneJson, isPlainObject, type PlainObject } from './plain-object.js';

const REDACTED = '[redacted]';

function redactUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    const url = new URL(value);
    if (url.password === '' && url.username === '') return value;
    // Credentials embedded in a URL (redis://user:pass@host) are secrets too.
    url.username = url.username === '' ? '' : REDACTED;
    url.password = url.password === '' ? '' : REDACTED;
    return url.toString();
  } catch {
    return value;
  }
}

function section(root: PlainObject, ...path: string[]): PlainObject | undefined {
  let node: unknown = root;
  for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
  return isPlainObject(node) ? node : undefined;
}

/**
 * A copy of the config safe to log or serve: API keys, gateway keys and URL credentials become
 * `"[redacted]"`. The input snapshot is not modified.
 */
export function redactConfig(config: Config): Config {
  const copy = cloneJson(config) as unknown as PlainObject;
  const providers = section(copy, 'providers') ?? {};
  for (const provider of Object.values(providers)) {
    if (!isPlainObject(provider)) continue;
    if (provider.api_key !== undefined) provider.api_key = REDACTED;
    provider.base_url = redactUrl(provider.base_url);
    if (provider.proxy !== undefined) provider.proxy = redactUrl(provider.proxy);
  }
  const remote = section(copy, 'embedding', 'remote');
  if (remote) {
    if (remote.api_key !== undefined) remote.api_key = REDACTED;
    remote.url = redactUrl(remote.url);
    if (remote.proxy !== undefined) remote.proxy = redactUrl(remote.proxy);
  }
  const keys = section(copy, 'auth')?.gateway_keys;
  if (Array.isArray(keys)) for (const entry of keys) if (isPlainObject(entry)) entry.key = REDACTED;
  for (const name of ['storage', 'redis', 'artifact'] as const) {
    const target = section(copy, name);
    if (target?.url !== undefined) target.url = redactUrl(target.url);
  }
  return copy as unknown as Config;
}
