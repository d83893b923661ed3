import { describe, expect, it } from 'vitest';
import { ALL_PROVIDERS, buildTestState, TOPIC_PROMPTS } from '../../test/helpers/test-artifact.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../types/chat.js';
import { createRouter } from './create-router.js';
import { createHookPipeline, type HookContext, type Plugin } from './hook-pipeline.js';

const state = buildTestState();
const request = (text: string, model = 'auto', extra: Partial<ChatRequest> = {}): ChatRequest => ({
  format: 'openai',
  model,
  system: [],
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  stream: false,
  ...extra,
});
const context = (providers: ReadonlySet<string> = ALL_PROVIDERS): HookContext => ({ requestId: 'r1', providers, values: new Map() });

describe('createRouter', () => {
  it('caches decisions per request, credentials and artifact version', () => {
    let now = 0;
    const router = createRouter({ state: () => state, cache: { maxEntries: 10, ttlMs: 1_000, admission: 'all' }, now: () => now });
    const a = router.decide(request(TOPIC_PROMPTS.code[0]), { providers: ALL_PROVIDERS });
    const b = router.decide(request(TOPIC_PROMPTS.code[0]), { providers: ALL_PROVIDERS });
    // The cache keeps decisions packed: a hit is an equal decision, not the same object.
    expect(b).toEqual(a);
    expect(router.cacheStats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
    // Different credentials: a different decision (no Gemini), never the cached one.
    const c = router.decide(request(TOPIC_PROMPTS.code[0]), { providers: new Set(['openai', 'anthropic']) });
    expect(c.candidates[0]?.name).toBe('medium');
    // A different max_tokens is a different request.
    router.decide(request(TOPIC_PROMPTS.code[0], 'auto', { maxOutputTokens: 100 }), { providers: ALL_PROVIDERS });
    expect(router.cacheStats().misses).toBe(3);
    now = 5_000; // past the TTL
    const d = router.decide(request(TOPIC_PROMPTS.code[0]), { providers: ALL_PROVIDERS });
    expect(router.cacheStats().misses).toBe(4);
    expect(d).toEqual(a);
  });

  it('stays bounded when full', () => {
    const router = createRouter({ state: () => state, cache: { maxEntries: 3, admission: 'all' } });
    for (let i = 0; i < 10; i++) router.decide(request(`Who won the football match number ${i}?`), { providers: ALL_PROVIDERS });
    expect(router.cacheStats().size).toBe(3);
    expect(router.cacheStats().evictions).toBe(7);
  });

  it('never serves a decision cached under another artifact version', () => {
    let current = state;
    const router = createRouter({ state: () => current });
    const a = router.decide(request(TOPIC_PROMPTS.math[0]), { providers: ALL_PROVIDERS });
    current = { ...state, version: 'test-artifact-2' };
    const b = router.decide(request(TOPIC_PROMPTS.math[0]), { providers: ALL_PROVIDERS });
    expect(b.artifactVersion).toBe('test-artifact-2');
    expect(a.artifactVersion).toBe('test-artifact-1');
  });

  it('routes aliases with their policy and leaves explicit models alone', async () => {
    const router = createRouter({ state: () => state, aliases: { fast: { bucket: 'cheap', alpha: 0.2 } } });
    expect(router.isRouted('auto')).toBe(true);
    expect(router.isRouted('fast')).toBe(true);
    expect(router.isRouted('gpt-4o')).toBe(false);
    const ctx = context();
    expect(await router.preHook?.(request(TOPIC_PROMPTS.code[0], 'fast'), ctx)).toEqual({ kind: 'continue' });
    expect(ctx.decision?.bucket).toBe('cheap');
    const explicit = context();
    await router.preHook?.(request(TOPIC_PROMPTS.code[0], 'gpt-4o'), explicit);
    expect(explicit.decision).toBeUndefined();
  });

  it('caches a decision when its request comes back, so one-off prompts take no entry (default admission)', () => {
    const router = createRouter({ state: () => state, cache: { maxEntries: 100 } });
    for (let i = 0; i < 50; i++) router.decide(request(`A question asked only once, number ${i}`), { providers: ALL_PROVIDERS });
    expect(router.cacheStats()).toMatchObject({ hits: 0, misses: 50, size: 0 });
    const first = router.decide(request(TOPIC_PROMPTS.code[1]), { providers: ALL_PROVIDERS });
    expect(router.cacheStats().size).toBe(0);
    const second = router.decide(request(TOPIC_PROMPTS.code[1]), { providers: ALL_PROVIDERS });
    expect(router.cacheStats()).toMatchObject({ hits: 0, misses: 52, size: 1 });
    const third = router.decide(request(TOPIC_PROMPTS.code[1]), { providers: ALL_PROVIDERS });
    expect(router.cacheStats()).toMatchObject({ hits: 1, misses: 52, size: 1 });
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    // A cleared cache forgets the sightings too.
    router.clearCache();
    router.decide(request(TOPIC_PROMPTS.code[1]), { providers: ALL_PROVIDERS });
    expect(router.cacheStats().size).toBe(0);
  });

  it('forgets a cached decision whose dispatch failed upstream, keeps one that succeeded', async () => {
    const router = createRouter({ state: () => state, cache: { admission: 'all' } });
    const pipeline = createHookPipeline([router]);
    const ok = { id: 'x', model: 'm', content: [], stopReason: 'stop' as const, usage: { inputTokens: 1, outputTokens: 1 } };
    await pipeline.run(request(TOPIC_PROMPTS.math[1]), context(), () => Promise.resolve(ok));
    await pipeline.run(request(TOPIC_PROMPTS.math[1]), context(), () => Promise.resolve(ok));
    expect(router.cacheStats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
    const failed = await pipeline.run(request(TOPIC_PROMPTS.math[1]), context(), () => Promise.reject(new GatewayError('provider_server_error', 'upstream 500')));
    expect(failed.error?.code).toBe('provider_server_error');
    expect(router.cacheStats().size).toBe(0);
    // A caller error says nothing about the decision: it stays cached.
    await pipeline.run(request(TOPIC_PROMPTS.math[1]), context(), () => Promise.reject(new GatewayError('caller_invalid_request', 'bad')));
    expect(router.cacheStats().size).toBe(1);
  });

  it('turns a routing failure into a short-circuit error', async () => {
    const router = createRouter({ state: () => state });
    const r = await router.preHook?.(request(TOPIC_PROMPTS.code[0]), context(new Set()));
    expect(r).toMatchObject({ kind: 'error', error: { code: 'routing_no_candidate' } });
  });

  it('falls back to the local embedder when the remote one fails', async () => {
    const failures: unknown[] = [];
    const router = createRouter({
      state: () => state,
      remoteEmbedder: { id: 'remote', dim: 8, embed: () => Promise.reject(new Error('connection refused')) },
      onEmbedderFallback: (e) => failures.push(e),
    });
    const d = await router.decideAsync(request(TOPIC_PROMPTS.code[0]), { providers: ALL_PROVIDERS });
    expect(d.candidates[0]?.name).toBe('large');
    expect(failures).toHaveLength(1);
  });
});

describe('hook pipeline', () => {
  const log: string[] = [];
  const plugin = (name: string, short?: 'response' | 'error' | 'throw'): Plugin => ({
    name,
    preHook: () => {
      log.push(`pre:${name}`);
      if (short === 'throw') throw new Error('boom');
      if (short === 'response') return { kind: 'response', response: { id: name, model: 'm', content: [], stopReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } } };
      return { kind: 'continue' };
    },
    postHook: (outcome) => {
      log.push(`post:${name}`);
      return outcome;
    },
  });

  it('runs PreHooks in order and PostHooks in reverse around the call', async () => {
    log.length = 0;
    const p = createHookPipeline([plugin('a'), plugin('b'), plugin('c')]);
    const out = await p.run(request('hi'), context(), async () => {
      log.push('call');
      return { id: 'x', model: 'm', content: [], stopReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } };
    });
    expect(out.response?.id).toBe('x');
    expect(log).toEqual(['pre:a', 'pre:b', 'pre:c', 'call', 'post:c', 'post:b', 'post:a']);
  });

  it('short-circuits: skips later PreHooks and the call, runs PostHooks of those that ran', async () => {
    log.length = 0;
    const p = createHookPipeline([plugin('a'), plugin('b', 'response'), plugin('c')]);
    const out = await p.run(request('hi'), context(), async () => {
      log.push('call');
      throw new Error('not reached');
    });
    expect(out.response?.id).toBe('b');
    expect(log).toEqual(['pre:a', 'pre:b', 'post:b', 'post:a']);
  });

  it('turns a throwing hook into a gateway_internal error without escaping', async () => {
    log.length = 0;
    const p = createHookPipeline([plugin('a'), plugin('b', 'throw')]);
    const out = await p.run(request('hi'), context(), () => Promise.reject(new Error('not reached')));
    expect(out.error?.code).toBe('gateway_internal');
    expect(log).toEqual(['pre:a', 'pre:b', 'post:b', 'post:a']);
  });
});
