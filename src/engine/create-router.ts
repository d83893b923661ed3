import { Doorkeeper } from '../core/cache/doorkeeper.js';
import { LruCache } from '../core/cache/lru-cache.js';
import { estimateTokens } from '../core/features/estimate-tokens.js';
import { packDecision, unpackDecision, type PackedDecision } from '../core/cache/packed-decision.js';
import { requestFingerprint } from '../core/hash/request-fingerprint.js';
import { routedText, toRoutingText } from '../core/request/routing-text.js';
import { route, type ModelRequirements, type ObservedStats, type RoutePolicy } from '../core/route.js';
import type { RouterState } from '../core/router-state.js';
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../types/chat.js';
import type { AsyncEmbedder } from '../types/embedder.js';
import type { RoutingDecision } from '../types/routing-decision.js';
import { createCachedTokenEstimator } from './cached-token-estimator.js';
import type { HookContext, HookOutcome, Plugin, PreHookResult } from './hook-pipeline.js';

const NO_REQUIREMENTS: ModelRequirements = Object.freeze({});
/** Token counts of long texts remembered by hash: ~4,000 system prompts, tool lists and turns, well under 1 MB. */
const TOKEN_ESTIMATE_CACHE_ENTRIES = 4_096;

/** The model names that ask Heimdall to choose. */
export const AUTO_MODEL = 'auto';

export interface RouterOptions {
  /** The current router state; read once per request, so a reload swaps it between requests. */
  readonly state: () => RouterState;
  readonly cache?: {
    readonly enabled?: boolean;
    readonly maxEntries?: number;
    readonly ttlMs?: number;
    /**
     * `repeat` (default): a decision is cached when its request comes back (see `Doorkeeper`), so
     * one-off prompts cost no cache entry; `all`: every decision is cached.
     */
    readonly admission?: 'repeat' | 'all';
  };
  /** Route aliases (`fast`, `smart`): a model name that routes with a policy. `auto` is always routed. */
  readonly aliases?: Readonly<Record<string, RoutePolicy>> | (() => Readonly<Record<string, RoutePolicy>>);
  /** Latency statistics the engine observed per model (indexed like the state's models). */
  readonly observed?: () => ObservedStats | undefined;
  /** An embedder that does I/O; on failure the artifact's local embedder is used. */
  readonly remoteEmbedder?: AsyncEmbedder;
  readonly now?: () => number;
  /** Told when the remote embedder failed and the local one stood in. */
  readonly onEmbedderFallback?: (error: unknown) => void;
  /**
   * A second-level decision cache shared by every replica (Redis, see `src/state`). Only
   * `decideAsync` (and so the PreHook) consults it, after the in-process LRU missed; the
   * synchronous `decide` never waits on I/O. Its failures are ignored: it is an optimisation.
   */
  readonly sharedCache?: DecisionCacheBackend;
}

/** An asynchronous decision cache, keyed like the in-process one (artifact version included). */
export interface DecisionCacheBackend {
  get(key: string): Promise<RoutingDecision | undefined>;
  set(key: string, decision: RoutingDecision): Promise<void>;
}

/** Options for one decision. */
export interface DecideOptions {
  readonly providers: ReadonlySet<string>;
  readonly policy?: RoutePolicy;
  /** Receives the embedding the decision was made with; left empty when the decision came from a cache. */
  readonly embeddingOut?: EmbeddingSlot;
}

/**
 * Where a decision leaves its routing text's embedding, so the decision log can store the vector
 * without the embedding cache holding one per distinct prompt until the request ends.
 */
export interface EmbeddingSlot {
  embedding?: Float32Array;
}

/** The routing plugin plus direct access to decisions and cache counters. */
export interface HeimdallRouter extends Plugin {
  /** True when `model` asks for routing (`auto` or an alias). */
  isRouted(model: string): boolean;
  /** The decision for a request, from the cache when possible. Throws `GatewayError`. */
  decide(request: ChatRequest, options: DecideOptions): RoutingDecision;
  /**
   * True when decisions should go through `decideAsync`: a remote embedder or a shared (Redis)
   * decision cache is configured, which only the async path uses.
   */
  readonly prefersAsync: boolean;
  /** Like `decide`, but embeds with the remote embedder when one is configured. */
  decideAsync(request: ChatRequest, options: DecideOptions & { signal?: AbortSignal }): Promise<RoutingDecision>;
  readonly cacheStats: () => { hits: number; misses: number; size: number; evictions: number };
  /** Forgets every cached decision (the state changed under the same artifact version: new prices or config). */
  clearCache(): void;
}

/**
 * Creates the router: a PreHook plugin that, for `model: "auto"` or a route alias, decides where the
 * request goes and stores the decision in the hook context. Decisions are cached in a bounded LRU with
 * TTL keyed on the request fingerprint, the providers the caller can use, the policy and the artifact
 * version, so a reload or a different credential set never reuses a stale decision. By default a
 * decision enters the cache when its request is seen the second time (`cache.admission`).
 */
export function createRouter(options: RouterOptions): HeimdallRouter {
  const cacheEnabled = options.cache?.enabled ?? true;
  // With the cache off nothing is remembered, token counts included (what bench:core's uncached path measures).
  const estimate = cacheEnabled ? createCachedTokenEstimator(TOKEN_ESTIMATE_CACHE_ENTRIES) : estimateTokens;
  const now = options.now ?? Date.now;
  // Entries are packed (see PackedDecision): a full cache of decision objects was most of the live
  // heap and most of what every young-generation GC had to copy.
  const packed = new LruCache<string, PackedDecision>({
    maxEntries: options.cache?.maxEntries ?? 10_000,
    ...(options.cache?.ttlMs !== undefined ? { ttlMs: options.cache.ttlMs } : { ttlMs: 600_000 }),
    now,
  });
  const doorkeeper = options.cache?.admission === 'all' ? undefined : new Doorkeeper(packed.maxEntries);
  const cache = {
    get(key: string): RoutingDecision | undefined {
      const hit = packed.get(key);
      return hit === undefined ? undefined : unpackDecision(hit);
    },
    /** Caches a decision just made, if its request was seen before (or admission is `all`). */
    set(key: string, decision: RoutingDecision): void {
      if (doorkeeper !== undefined && !doorkeeper.seen(key)) return;
      packed.set(key, packDecision(decision));
    },
    /** Caches a decision another replica made (the shared cache had it: the request is a repeat). */
    put(key: string, decision: RoutingDecision): void {
      packed.set(key, packDecision(decision));
    },
    delete: (key: string) => packed.delete(key),
    clear: () => {
      packed.clear();
      doorkeeper?.clear();
    },
  };
  const aliasOption = options.aliases ?? {};
  const aliasesNow = (): Readonly<Record<string, RoutePolicy>> => (typeof aliasOption === 'function' ? aliasOption() : aliasOption);
  const providerKeys = new WeakMap<ReadonlySet<string>, string>();
  const providersKey = (set: ReadonlySet<string>): string => {
    let k = providerKeys.get(set);
    if (k === undefined) {
      k = [...set].sort().join(',');
      providerKeys.set(set, k);
    }
    return k;
  };

  const policyFor = (model: string, explicit: RoutePolicy | undefined): RoutePolicy | undefined => {
    const alias = model === AUTO_MODEL ? undefined : aliasesNow()[model];
    if (!alias) return explicit;
    if (!explicit) return alias;
    return Object.assign({}, alias, explicit);
  };

  const keyOf = (request: ChatRequest, state: RouterState, opts: DecideOptions, _policy: RoutePolicy | undefined): string =>
    // The alias part of the policy is implied by `request.model`; a caller's own policy must be in the key.
    `${state.version}|${providersKey(opts.providers)}|${request.model}|${opts.policy === undefined ? '' : JSON.stringify(opts.policy)}|${requestFingerprint(request)}`;

  const decideWith = (request: ChatRequest, opts: DecideOptions, state: RouterState, embedding: Float32Array | undefined): RoutingDecision => {
    const policy = policyFor(request.model, opts.policy);
    const rt = toRoutingText(request, estimate);
    const observed = options.observed?.();
    const vector = embedding ?? state.embedder.embed(rt.text);
    if (opts.embeddingOut !== undefined) opts.embeddingOut.embedding = vector;
    return route(
      {
        text: rt.text,
        promptTokens: rt.promptTokens,
        ...(rt.textTokens !== undefined ? { textTokens: rt.textTokens } : {}),
        ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
        ...(request.reasoning !== undefined ? { reasoning: request.reasoning } : {}),
        providers: opts.providers,
        ...(policy ? { policy } : {}),
        ...(observed ? { observed } : {}),
        embedding: vector,
        requires: rt.usesTools || rt.hasImages ? { tools: rt.usesTools, vision: rt.hasImages } : NO_REQUIREMENTS,
      },
      state,
    );
  };

  const decide = (request: ChatRequest, opts: DecideOptions): RoutingDecision => {
    const state = options.state();
    if (!cacheEnabled) return decideWith(request, opts, state, undefined);
    const key = keyOf(request, state, opts, policyFor(request.model, opts.policy));
    const hit = cache.get(key);
    if (hit) return hit;
    const decision = decideWith(request, opts, state, undefined);
    cache.set(key, decision);
    return decision;
  };

  const decideAsync = (request: ChatRequest, opts: DecideOptions & { signal?: AbortSignal }): Promise<RoutingDecision> => {
    const state = options.state();
    return decideKeyed(request, opts, state, cacheEnabled ? keyOf(request, state, opts, policyFor(request.model, opts.policy)) : '');
  };

  const decideKeyed = async (request: ChatRequest, opts: DecideOptions & { signal?: AbortSignal }, state: RouterState, key: string): Promise<RoutingDecision> => {
    const remote = options.remoteEmbedder;
    const shared = cacheEnabled ? options.sharedCache : undefined;
    if (!remote && !shared) {
      if (!cacheEnabled) return decideWith(request, opts, state, undefined);
      const hit = cache.get(key);
      if (hit) return hit;
      const decision = decideWith(request, opts, state, undefined);
      cache.set(key, decision);
      return decision;
    }
    if (cacheEnabled) {
      const hit = cache.get(key);
      if (hit) return hit;
    }
    if (shared) {
      try {
        const hit = await shared.get(key);
        if (hit !== undefined && hit.artifactVersion === state.version) {
          cache.put(key, hit);
          return hit;
        }
      } catch {
        // The shared cache is an optimisation: decide locally.
      }
    }
    let embedding: Float32Array | undefined;
    if (remote) {
      try {
        const e = await remote.embed(routedText(request), opts.signal);
        // A remote vector only works with centroids trained in its space.
        if (e.length === state.dim) embedding = e;
        else options.onEmbedderFallback?.(new Error(`remote embedding has ${e.length} dimensions, the artifact ${state.dim}`));
      } catch (err) {
        options.onEmbedderFallback?.(err);
      }
    }
    const decision = decideWith(request, opts, state, embedding);
    if (cacheEnabled) cache.set(key, decision);
    if (shared) shared.set(key, decision).catch(() => undefined);
    return decision;
  };

  const isRouted = (model: string): boolean => model === AUTO_MODEL || Object.prototype.hasOwnProperty.call(aliasesNow(), model);

  return {
    name: 'heimdall-router',
    isRouted,
    decide,
    decideAsync,
    prefersAsync: options.remoteEmbedder !== undefined || options.sharedCache !== undefined,
    cacheStats: () => ({ hits: packed.hits, misses: packed.misses, size: packed.size, evictions: packed.evictions }),
    clearCache: () => cache.clear(),
    async preHook(request: ChatRequest, context: HookContext): Promise<PreHookResult> {
      if (!isRouted(request.model)) return { kind: 'continue' };
      try {
        const opts = { providers: context.providers };
        const state = options.state();
        const key = cacheEnabled ? keyOf(request, state, opts, policyFor(request.model, undefined)) : '';
        if (key !== '') context.values.set(ROUTER_CACHE_KEY, key);
        context.decision = await decideKeyed(request, opts, state, key);
        return { kind: 'continue' };
      } catch (err) {
        if (isGatewayError(err)) return { kind: 'error', error: err };
        return { kind: 'error', error: new GatewayError('gateway_internal', 'routing failed', { cause: err }) };
      }
    },
    /**
     * A request whose routed dispatch failed upstream (every candidate tried failed, or none was
     * available) must not be answered from the cached decision again: the next identical request is
     * routed afresh, with the breakers and latency statistics the failure just updated.
     */
    postHook(outcome: HookOutcome, context: HookContext): HookOutcome {
      const key = context.values.get(ROUTER_CACHE_KEY);
      if (outcome.error && typeof key === 'string' && isDispatchFailure(outcome.error.code)) cache.delete(key);
      return outcome;
    },
  };
}

/** Where the router plugin keeps the request's cache key between its PreHook and PostHook. */
export const ROUTER_CACHE_KEY = 'heimdall-router.cache-key';

function isDispatchFailure(code: string): boolean {
  return code.startsWith('provider_') || code === 'routing_model_unavailable';
}
