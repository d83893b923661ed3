import { createHash } from 'node:crypto';
import type { DecisionCacheBackend } from '../engine/create-router.js';
import type { RoutingDecision } from '../types/routing-decision.js';
import type { KeyValueStore } from './shared-state.js';

/** Options of {@link createSharedDecisionCache}. */
export interface SharedDecisionCacheOptions {
  /** How long a decision stays shared (default 10 minutes, like the in-process cache). */
  readonly ttlMs?: number;
  /** Told when a stored value is not a decision (it is then ignored). */
  readonly onCorrupt?: (key: string) => void;
}

function looksLikeDecision(value: unknown): value is RoutingDecision {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.artifactVersion === 'string' && typeof v.bucket === 'string' && Array.isArray(v.candidates) && typeof v.explanation === 'object' && v.explanation !== null;
}

/**
 * The router's shared decision cache over a {@link KeyValueStore}: decisions as JSON, under a
 * SHA-256 of the router's cache key (which holds the artifact version, the caller's providers and
 * policy and the request fingerprint), so keys stay short and reveal nothing about prompts.
 */
export function createSharedDecisionCache(kv: KeyValueStore, options: SharedDecisionCacheOptions = {}): DecisionCacheBackend {
  const ttlMs = options.ttlMs ?? 600_000;
  const keyOf = (key: string): string => `dc:${createHash('sha256').update(key).digest('base64url')}`;
  return {
    async get(key) {
      const k = keyOf(key);
      const raw = await kv.get(k);
      if (raw === undefined) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      if (looksLikeDecision(parsed)) return parsed;
      options.onCorrupt?.(k);
      return undefined;
    },
    async set(key, decision) {
      await kv.set(keyOf(key), JSON.stringify(decision), ttlMs);
    },
  };
}
