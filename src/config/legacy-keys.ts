import { LEGACY_ADAPTER_KINDS, type CredentialKind } from './credential-kinds.js';
import { parseDuration } from './duration.js';
import { cloneJson, deletePath, getPath, isPlainObject, setPath, type PlainObject } from './plain-object.js';

interface LegacyMove {
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** How two values are compared when both the legacy and the new key are set. */
  readonly compare: 'duration' | 'json' | 'set';
  readonly convert?: (value: unknown, issues: string[], where: string) => unknown;
}

function convertAdapters(value: unknown, issues: string[], where: string): unknown {
  if (!Array.isArray(value)) return value;
  const kinds: CredentialKind[] = [];
  value.forEach((name, index) => {
    const kind = typeof name === 'string' ? LEGACY_ADAPTER_KINDS[name] : undefined;
    if (kind === undefined) {
      issues.push(`${where}.${index}: unknown auth adapter ${JSON.stringify(name)} (known: ${Object.keys(LEGACY_ADAPTER_KINDS).join(', ')})`);
    } else if (!kinds.includes(kind)) {
      kinds.push(kind);
    }
  });
  return kinds;
}

const BUCKET_MOVES: LegacyMove[] = ['cheap', 'mid', 'hard'].flatMap((bucket) => [
  { from: ['router', 'bucket_defaults', bucket, 'gpt5_reasoning_effort'], to: ['router', 'bucket_defaults', bucket, 'reasoning_effort'], compare: 'json' as const },
  { from: ['router', 'bucket_defaults', bucket, 'gemini_thinking_budget'], to: ['router', 'bucket_defaults', bucket, 'thinking_budget'], compare: 'json' as const },
]);

/**
 * Keys of the reference design's config file and where they live now. `router.alpha`,
 * `router.thresholds.*`, `router.top_p` and `router.penalties.*` kept their place and need no move.
 */
export const LEGACY_MOVES: readonly LegacyMove[] = [
  { from: ['timeout'], to: ['server', 'request_timeout'], compare: 'duration' },
  { from: ['cache_ttl'], to: ['cache', 'decisions', 'ttl'], compare: 'duration' },
  { from: ['max_cache_size'], to: ['cache', 'decisions', 'max_entries'], compare: 'json' },
  { from: ['embedding_timeout'], to: ['timeouts', 'embedding'], compare: 'duration' },
  { from: ['feature_timeout'], to: ['timeouts', 'feature'], compare: 'duration' },
  { from: ['enable_caching'], to: ['cache', 'decisions', 'enabled'], compare: 'json' },
  { from: ['enable_fallbacks'], to: ['fallbacks', 'enabled'], compare: 'json' },
  { from: ['enable_observability'], to: ['metrics', 'enabled'], compare: 'json' },
  { from: ['tuning', 'artifact_url'], to: ['artifact', 'url'], compare: 'json' },
  { from: ['tuning', 'reload_seconds'], to: ['artifact', 'reload_seconds'], compare: 'json' },
  { from: ['auth_adapters', 'enabled'], to: ['auth', 'adapters'], compare: 'set', convert: convertAdapters },
  ...BUCKET_MOVES,
];

/** Reference-design keys with no equivalent; the unknown-key error gets this hint appended. */
export const LEGACY_HINTS: Readonly<Record<string, string>> = {
  enable_auth: 'authentication is always on; configure auth.adapters and auth.gateway_keys',
  enable_exploration: 'exploration is not supported',
  catalog: 'the model catalog is bundled (data/catalog/models.json); there is no catalog service',
  'router.cheap_candidates': 'candidates come from the routing artifact; use router.allow / router.deny',
  'router.mid_candidates': 'candidates come from the routing artifact; use router.allow / router.deny',
  'router.hard_candidates': 'candidates come from the routing artifact; use router.allow / router.deny',
  'router.openrouter': 'use router.allow / router.deny and the models map instead',
};

function equivalent(a: unknown, b: unknown, compare: LegacyMove['compare']): boolean {
  if (compare === 'duration') {
    const left = parseDuration(a);
    const right = parseDuration(b);
    if (left !== undefined && right !== undefined) return left === right;
  }
  if (compare === 'set' && Array.isArray(a) && Array.isArray(b)) {
    return JSON.stringify([...new Set(a.map(String))].sort()) === JSON.stringify([...new Set(b.map(String))].sort());
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The result of rewriting one configuration layer's legacy keys. */
export interface LegacyRewrite {
  readonly value: PlainObject;
  readonly issues: readonly string[];
  /** New dotted path → the legacy dotted path its value came from (for error messages). */
  readonly origins: ReadonlyMap<string, string>;
}

/**
 * Moves legacy keys of one layer (file, env or overrides) to their new place. Setting a legacy
 * key and its new key to different values in the same layer is an issue naming both.
 */
export function rewriteLegacyKeys(layer: PlainObject): LegacyRewrite {
  const value = cloneJson(layer);
  const issues: string[] = [];
  const origins = new Map<string, string>();
  for (const move of LEGACY_MOVES) {
    const legacyValue = getPath(value, move.from);
    if (legacyValue === undefined) continue;
    const fromName = move.from.join('.');
    const toName = move.to.join('.');
    const converted = move.convert ? move.convert(legacyValue, issues, fromName) : legacyValue;
    const current = getPath(value, move.to);
    if (current !== undefined && !equivalent(current, converted, move.compare)) {
      issues.push(`${fromName}: legacy key conflicts with ${toName} (${JSON.stringify(legacyValue)} vs ${JSON.stringify(current)}); set only ${toName}`);
    } else if (current === undefined) {
      if (!isPlainObject(getPath(value, move.to.slice(0, -1))) && getPath(value, move.to.slice(0, -1)) !== undefined) {
        issues.push(`${fromName}: cannot move to ${toName} because ${move.to.slice(0, -1).join('.')} is not a mapping`);
        continue;
      }
      setPath(value, move.to, converted);
      origins.set(toName, fromName);
    }
    deletePath(value, move.from);
  }
  return { value, issues, origins };
}
