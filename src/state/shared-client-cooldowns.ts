import { createHash } from 'node:crypto';
import { createClientCooldowns, type ClientCooldowns } from '../engine/client-cooldowns.js';
import type { CooldownStore } from './shared-state.js';
import { TtlMap } from './ttl-map.js';

/** Options of {@link createSharedClientCooldowns}. */
export interface SharedClientCooldownsOptions {
  readonly now?: () => number;
  /** Ask the store about a token at most this often (default 1 s). */
  readonly refreshMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** Client cooldowns shared through a store, with a way to wait for the calls in flight. */
export interface SharedClientCooldowns extends ClientCooldowns {
  flush(): Promise<void>;
}

/**
 * The engine's synchronous `ClientCooldowns` over a shared {@link CooldownStore}. A cooldown
 * started on one replica is written to the store (under a SHA-256 of the token, never the token);
 * other replicas answer from their in-process copy and ask the store about a token at most every
 * `refreshMs`, so they learn of it from their next request for that client on.
 */
export function createSharedClientCooldowns(store: CooldownStore, options: SharedClientCooldownsOptions = {}): SharedClientCooldowns {
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 1_000;
  const local = createClientCooldowns(now);
  const asked = new TtlMap<true>(now, 100_000);
  const pending = new Set<Promise<unknown>>();
  const keyOf = (token: string): string => `oauth:${createHash('sha256').update(token).digest('base64url')}`;
  const track = (p: Promise<unknown>): void => {
    const q = p.catch((err: unknown) => options.onError?.(err)).finally(() => pending.delete(q));
    pending.add(q);
  };
  return {
    start(token, ms) {
      local.start(token, ms);
      track(store.setCooldown(keyOf(token), ms));
    },
    remainingMs(token) {
      const left = local.remainingMs(token);
      if (left > 0 || refreshMs <= 0) return left;
      const key = keyOf(token);
      if (asked.get(key) === undefined) {
        asked.set(key, true, refreshMs);
        track(
          store.cooldownRemainingMs(key).then((shared) => {
            if (shared > 0) local.start(token, shared);
          }),
        );
      }
      return 0;
    },
    get size() {
      return local.size;
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
