import type { ChatRequest } from '../types/chat.js';
import { BUCKETS, type Bucket } from '../types/routing-decision.js';
import type { KeyValueStore } from '../state/shared-state.js';
import type { DecideOptions, HeimdallRouter } from './create-router.js';

/** Session ids longer than this are ignored (they would only bloat keys). */
const MAX_SESSION_ID = 256;

/**
 * The conversation a request belongs to, if the client says: the `x-session-id` header, then
 * OpenAI `metadata.session_id` / `metadata.conversation_id`, then the client's user id (OpenAI
 * `user`, Anthropic `metadata.user_id`, both parsed into `request.user`).
 */
export function sessionIdOf(header: string | string[] | undefined, request: ChatRequest): string | undefined {
  const fromHeader = typeof header === 'string' ? header.trim() : undefined;
  const id = (fromHeader === '' ? undefined : fromHeader) ?? request.metadata?.['session_id'] ?? request.metadata?.['conversation_id'] ?? request.user;
  return id === undefined || id === '' || id.length > MAX_SESSION_ID ? undefined : id;
}

/** `cheap` < `mid` < `hard`. */
export function bucketRank(bucket: Bucket): number {
  return BUCKETS.indexOf(bucket);
}

/** Options of {@link createSessionTracker}. */
export interface SessionTrackerOptions {
  /** Where sessions live: the shared state's key-value store (Redis with `redis.url`, else in-process). */
  readonly kv: KeyValueStore;
  /** How long a session keeps its tier after its last turn. */
  readonly ttlMs: number;
  /** Told when the store failed (routing then goes on without the floor). */
  readonly onError?: (error: unknown) => void;
}

/** The tier each conversation reached. */
export interface SessionTracker {
  /** The lowest bucket a later turn of `sessionId` may use (undefined: none recorded, or the store failed). */
  floor(sessionId: string): Promise<Bucket | undefined>;
  /**
   * Records that `sessionId` was served from `bucket` (kept when higher than the current floor) and
   * extends the session's TTL. Fire and forget: the write never delays a response.
   */
  reached(sessionId: string, bucket: Bucket, floor: Bucket | undefined): void;
  /** Resolves when every write issued so far has settled (tests, shutdown). */
  flush(): Promise<void>;
}

/**
 * Sessions keep a conversation on the tier it reached: once a turn needed `hard`, later turns are
 * routed no lower for `ttlMs` after the last one, so the conversation does not flip between models
 * and the provider's prompt cache stays warm. State is one small key per session in the shared
 * key-value store, so every replica sees the same floor.
 */
export function createSessionTracker(options: SessionTrackerOptions): SessionTracker {
  const pending = new Set<Promise<unknown>>();
  const keyOf = (id: string): string => `sess:${id}`;
  return {
    async floor(sessionId) {
      try {
        const raw = await options.kv.get(keyOf(sessionId));
        return raw === 'cheap' || raw === 'mid' || raw === 'hard' ? raw : undefined;
      } catch (err) {
        options.onError?.(err);
        return undefined;
      }
    },
    reached(sessionId, bucket, floor) {
      const value = floor !== undefined && bucketRank(floor) > bucketRank(bucket) ? floor : bucket;
      const p = options.kv
        .set(keyOf(sessionId), value, options.ttlMs)
        .catch((err: unknown) => options.onError?.(err))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/**
 * Decides with a bucket floor: the router's own decision when it is at or above `floor`,
 * otherwise the decision with the bucket forced to `floor` (the router still escalates past it
 * when no candidate there has room).
 */
/** The async twin of {@link decideWithFloor}, for routers that decide through `decideAsync`. */
export function decideAsyncWithFloor(router: Pick<HeimdallRouter, 'decideAsync'>, floor: Bucket | undefined): HeimdallRouter['decideAsync'] {
  return async (request, opts) => {
    const decision = await router.decideAsync(request, opts);
    if (floor === undefined || bucketRank(decision.bucket) >= bucketRank(floor)) return decision;
    return router.decideAsync(request, withFloor(opts, floor));
  };
}

export function decideWithFloor(router: Pick<HeimdallRouter, 'decide'>, floor: Bucket | undefined): HeimdallRouter['decide'] {
  return (request: ChatRequest, opts: DecideOptions) => {
    const decision = router.decide(request, opts);
    if (floor === undefined || bucketRank(decision.bucket) >= bucketRank(floor)) return decision;
    return router.decide(request, withFloor(opts, floor));
  };
}

function withFloor(opts: DecideOptions, floor: Bucket): DecideOptions {
  return Object.assign({}, opts, { policy: Object.assign({}, opts.policy, { bucket: floor }) });
}
