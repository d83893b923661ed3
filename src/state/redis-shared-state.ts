import type { Redis } from 'ioredis';
import { counterSlots } from './counter-window.js';
import { ADJUST_SCRIPT, CIRCUIT_SCRIPT, CONSUME_SCRIPT } from './redis-scripts.js';
import type { CircuitPolicy, CircuitSnapshot, CircuitState, ConsumeResult, CounterSlot, SharedState } from './shared-state.js';

/** Options of {@link createRedisSharedState}. */
export interface RedisSharedStateOptions {
  /** Epoch-ms clock passed to the scripts (default `Date.now`). */
  readonly now?: () => number;
  /** Prefix of every key (default `heimdall:`), so several gateways can share one Redis. */
  readonly prefix?: string;
  /** Close the client with the state (default true). */
  readonly ownsClient?: boolean;
}

/** The Redis backend plus what the resilient wrapper watches. */
export interface RedisSharedState extends SharedState {
  readonly client: Redis;
  /** True while the client is connected and ready for commands. */
  isConnected(): boolean;
}

type Reply = ReadonlyArray<number | string>;

/** The scripts as ioredis commands (EVALSHA, re-sent with EVAL after a Redis restart). */
interface ScriptedClient {
  hmdCircuit(numKeys: number, ...args: Array<string | number>): Promise<Reply>;
  hmdConsume(numKeys: number, ...args: Array<string | number>): Promise<Reply>;
  hmdAdjust(numKeys: number, ...args: Array<string | number>): Promise<number>;
}

const CIRCUIT_TTL_MS = 86_400_000;
/** Cooldown keys outlive their deadline a little; the deadline in the value is what counts. */
const COOLDOWN_SLACK_MS = 1_000;
const STATES: readonly CircuitState[] = ['closed', 'open', 'half-open'];

function toSnapshot(reply: Reply, now: number): { granted: boolean; snapshot: CircuitSnapshot } {
  const [granted, changed, s, failures, successes, openUntil] = reply;
  const stored: CircuitState = STATES.find((x) => x === s) ?? 'closed';
  const until = Number(openUntil ?? 0);
  const state: CircuitState = stored === 'open' && now >= until ? 'half-open' : stored;
  return {
    granted: Number(granted) === 1,
    snapshot: { state, failures: Number(failures ?? 0), successes: Number(successes ?? 0), openUntil: stored === 'open' ? until : 0, changed: Number(changed) === 1 },
  };
}

/** Amounts in Redis are integers: reject anything else before it reaches a script. */
function integer(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
  return String(value);
}

/**
 * Shared state in Redis. Multi-step updates (breakers, counters) run as Lua scripts, so they are
 * atomic across every replica sharing the server. The client should be created by `connectRedis`
 * (offline queue off: while disconnected, calls fail at once instead of piling up).
 */
export function createRedisSharedState(client: Redis, options: RedisSharedStateOptions = {}): RedisSharedState {
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? 'heimdall:';
  client.defineCommand('hmdCircuit', { lua: CIRCUIT_SCRIPT });
  client.defineCommand('hmdConsume', { lua: CONSUME_SCRIPT });
  client.defineCommand('hmdAdjust', { lua: ADJUST_SCRIPT });
  const scripts = client as unknown as ScriptedClient;
  // One hash tag for every counter: a consume touches several counters, which Redis Cluster requires in one slot.
  const counterKey = (slot: string): string => `${prefix}{ct}:${slot}`;
  const circuit = async (target: string, op: string, policy: CircuitPolicy | undefined): Promise<{ granted: boolean; snapshot: CircuitSnapshot }> => {
    const t = now();
    const p = policy ?? { failureThreshold: 1, coolOffMs: 0, windowMs: 0, probeLeaseMs: 0 };
    const reply = await scripts.hmdCircuit(1, `${prefix}cb:${target}`, op, t, p.failureThreshold, p.coolOffMs, p.windowMs, p.probeLeaseMs, CIRCUIT_TTL_MS);
    return toSnapshot(reply, t);
  };

  return {
    client,
    backend: () => 'redis',
    isConnected: () => client.status === 'ready',
    kv: {
      async get(key) {
        return (await client.get(`${prefix}kv:${key}`)) ?? undefined;
      },
      async set(key, value, ttlMs) {
        await client.set(`${prefix}kv:${key}`, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
      },
      async delete(key) {
        await client.del(`${prefix}kv:${key}`);
      },
    },
    cooldowns: {
      async setCooldown(key, ms) {
        const k = `${prefix}cd:${key}`;
        if (ms <= 0) {
          await client.del(k);
          return;
        }
        await client.set(k, String(now() + ms), 'PX', Math.ceil(ms) + COOLDOWN_SLACK_MS);
      },
      async cooldownRemainingMs(key) {
        const until = await client.get(`${prefix}cd:${key}`);
        return until === null ? 0 : Math.max(0, Number(until) - now());
      },
      async isCoolingDown(key) {
        const until = await client.get(`${prefix}cd:${key}`);
        return until !== null && Number(until) > now();
      },
    },
    circuits: {
      tryAcquire: async (target, policy) => (await circuit(target, 'acquire', policy)).granted,
      recordSuccess: async (target, policy) => (await circuit(target, 'success', policy)).snapshot,
      recordFailure: async (target, policy) => (await circuit(target, 'failure', policy)).snapshot,
      release: async (target) => void (await circuit(target, 'release', undefined)),
      read: async (target) => (await circuit(target, 'read', undefined)).snapshot,
    },
    counters: {
      async consume(specs): Promise<ConsumeResult> {
        const t = now();
        const keys: string[] = [];
        const args: Array<string | number> = [t, specs.length];
        const slots: CounterSlot[] = [];
        for (const spec of specs) {
          const s = counterSlots(spec, t);
          slots.push({ slot: s.current, ttlMs: s.ttlMs });
          keys.push(counterKey(s.current), counterKey(s.previous ?? s.current));
          const w = spec.window;
          args.push(w.kind === 'fixed' ? 'f' : 's', integer(spec.limit, 'limit'), integer(spec.cost, 'cost'), w.kind === 'fixed' ? w.end : w.ms, s.windowStart, s.ttlMs);
        }
        if (specs.length === 0) return { allowed: true, retryAfterMs: 0, slots };
        const [ok, retry, refused] = await scripts.hmdConsume(keys.length, ...keys, ...args);
        if (Number(ok) === 1) return { allowed: true, retryAfterMs: 0, slots };
        return { allowed: false, refusedIndex: Number(refused), retryAfterMs: Number(retry), slots };
      },
      async adjust(changes) {
        const live = changes.filter((c) => c.delta !== 0);
        if (live.length === 0) return;
        const args: Array<string | number> = [];
        for (const c of live) args.push(integer(c.delta, 'delta'), Math.ceil(c.slot.ttlMs));
        await scripts.hmdAdjust(live.length, ...live.map((c) => counterKey(c.slot.slot)), ...args);
      },
    },
    async close() {
      if (options.ownsClient === false) return;
      if (client.status === 'end') return;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
