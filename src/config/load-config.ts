import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.js';
import { createConfigSchema, type Config, type ConfigEnv } from './config-schema.js';
import { applyConventionalEnv, envOverlay } from './env-overlay.js';
import { LEGACY_HINTS, rewriteLegacyKeys } from './legacy-keys.js';
import { deepFreeze, deepMerge, isPlainObject, type PlainObject } from './plain-object.js';

/** Where a configuration comes from. Layers apply in order: file, environment, overrides. */
export interface LoadConfigOptions {
  /** A YAML or JSON file; absent means defaults plus environment. */
  readonly path?: string;
  /** Defaults to `process.env`. */
  readonly env?: ConfigEnv;
  /** A last layer (e.g. CLI flags), same shape as the file. */
  readonly overrides?: unknown;
}

/** The outcome of building a configuration without throwing. */
export type ConfigResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly errors: readonly string[] };

/** Parses YAML (or JSON, a YAML subset) text into a config layer, reporting syntax errors by line. */
export function parseConfigText(text: string, source = 'config'): { value: PlainObject; errors: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    return {
      value: {},
      errors: doc.errors.map((error) => {
        const at = lineCounter.linePos(error.pos[0]);
        return `${source}${at ? `:${at.line}:${at.col}` : ''}: ${error.message.split('\n')[0] ?? error.message}`;
      }),
    };
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { value: {}, errors: [] };
  if (!isPlainObject(value)) return { value: {}, errors: [`${source}: the top level must be a mapping of sections`] };
  return { value, errors: [] };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function formatIssues(issues: readonly z.core.$ZodIssue[], origins: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  const describe = (path: string): string => {
    for (const [target, legacy] of origins) {
      if (path === target || path.startsWith(`${target}.`)) return `${legacy} (legacy key for ${path})`;
    }
    return path === '' ? '(root)' : path;
  };
  for (const issue of issues) {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const full = path === '' ? key : `${path}.${key}`;
        const hint = LEGACY_HINTS[full];
        lines.push(`${full}: unknown key${hint ? ` (${hint})` : ''}`);
      }
    } else {
      lines.push(`${describe(path)}: ${issue.message}`);
    }
  }
  return lines;
}

/**
 * Builds a configuration from a file, the environment and overrides without throwing: every
 * problem (syntax, unknown key, bad value, legacy conflict, unset secret) is listed as `path: message`.
 */
export function buildConfig(options: LoadConfigOptions = {}): ConfigResult {
  const env = options.env ?? process.env;
  const errors: string[] = [];
  const layers: PlainObject[] = [];
  const origins = new Map<string, string>();

  const addLayer = (layer: PlainObject): void => {
    const rewritten = rewriteLegacyKeys(layer);
    errors.push(...rewritten.issues);
    rewritten.origins.forEach((legacy, target) => origins.set(target, legacy));
    layers.push(rewritten.value);
  };

  if (options.path !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.path, 'utf8');
    } catch (error) {
      return { ok: false, errors: [`${options.path}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
    }
    const parsed = parseConfigText(text, options.path);
    // Validating what could not be parsed would only add noise.
    if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors };
    addLayer(parsed.value);
  }
  addLayer(envOverlay(env));
  if (options.overrides !== undefined) {
    if (isPlainObject(options.overrides)) addLayer(options.overrides);
    else errors.push('overrides: must be a mapping of sections');
  }
  const merged = layers.reduce<PlainObject>((acc, layer) => deepMerge(acc, layer), {});
  applyConventionalEnv(merged, env);
  const result = createConfigSchema(env).safeParse(merged);
  if (!result.success) errors.push(...formatIssues(result.error.issues, origins));
  if (errors.length > 0 || !result.success) return { ok: false, errors };
  return { ok: true, config: deepFreeze(result.data) as Config };
}

/**
 * Loads, validates and deep-freezes the configuration (YAML/JSON file, then `HEIMDALL_*` and
 * `PORT` variables, then `overrides`), resolving secret references.
 * @throws GatewayError `gateway_config_invalid` listing every issue as `path: message`.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const result = buildConfig(options);
  if (!result.ok) throw configError(result.errors, options.path);
  return result.config;
}

/** The error {@link loadConfig} throws, exposed so callers building configs another way match it. */
export function configError(errors: readonly string[], path?: string): GatewayError {
  const where = path === undefined ? '' : ` (${path})`;
  return new GatewayError('gateway_config_invalid', `invalid configuration${where}:\n${errors.map((line) => `  - ${line}`).join('\n')}`);
}

/** What `heimdall validate-config` reports. */
export interface ConfigValidation {
  readonly ok: boolean;
  readonly errors: readonly string[];
}

/** Validates a config file the way the server would load it (including the environment). */
export function validateConfigFile(path: string, env: ConfigEnv = process.env): ConfigValidation {
  const result = buildConfig({ path, env });
  return result.ok ? { ok: true, errors: [] } : { ok: false, errors: result.errors };
}
