import { createHash } from 'node:crypto';

/** Clients put on hold for one provider (an Anthropic 429 on a client's OAuth token). */
export interface ClientCooldowns {
  /** Puts the client holding `token` on cooldown for `ms`. */
  start(token: string, ms: number): void;
  /** Milliseconds of cooldown left for `token` (0 when none). */
  remainingMs(token: string): number;
  readonly size: number;
}

/**
 * Tokens are kept only as SHA-256 digests, so the map never holds a usable credential. Expired
 * entries are dropped when read and swept when the map grows, keeping it bounded.
 */
export function createClientCooldowns(now: () => number = Date.now, maxEntries = 100_000): ClientCooldowns {
  const until = new Map<string, number>();
  const key = (token: string): string => createHash('sha256').update(token).digest('base64');
  const sweep = (t: number): void => {
    for (const [k, end] of until) if (end <= t) until.delete(k);
    // Still full of live entries: drop the oldest rather than grow without bound.
    while (until.size >= maxEntries) {
      const first = until.keys().next();
      if (first.done === true) break;
      until.delete(first.value);
    }
  };
  return {
    start(token, ms) {
      const t = now();
      if (until.size >= maxEntries) sweep(t);
      until.set(key(token), t + ms);
    },
    remainingMs(token) {
      if (until.size === 0) return 0;
      const k = key(token);
      const end = until.get(k);
      if (end === undefined) return 0;
      const left = end - now();
      if (left <= 0) {
        until.delete(k);
        return 0;
      }
      return left;
    },
    get size() {
      return until.size;
    },
  };
}
