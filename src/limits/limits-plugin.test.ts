import { describe, expect, it } from 'vitest';
import { ALL_PROVIDERS, buildTestState, TOPIC_PROMPTS } from '../../test/helpers/test-artifact.js';
import { createRouter } from '../engine/create-router.js';
import { createHookPipeline, type HookContext } from '../engine/hook-pipeline.js';
import { GatewayError } from '../errors/gateway-error.js';
import { createMemorySharedState } from '../state/memory-shared-state.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import { createLimitsPlugin, estimateRequest, GATEWAY_KEY_NAME } from './limits-plugin.js';
import { createRateLimiter } from './rate-limiter.js';

const NOW = 1_700_000_040_000;
const routerState = buildTestState();
const request = (text: string, model = 'auto'): ChatRequest => ({ format: 'openai', model, system: [], messages: [{ role: 'user', content: [{ type: 'text', text }] }], stream: false });
const response = (inputTokens: number, outputTokens: number): ChatResponse => ({
  id: 'r',
  model: 'm',
  content: [{ type: 'text', text: 'ok' }],
  stopReason: 'stop',
  usage: { inputTokens, outputTokens },
});
const context = (key: string | undefined): HookContext => ({ requestId: 'r1', providers: ALL_PROVIDERS, values: new Map(key === undefined ? [] : [[GATEWAY_KEY_NAME, key]]) });

function setup(tpm: number) {
  const state = createMemorySharedState({ now: () => NOW });
  const limiter = createRateLimiter({ counters: state.counters, limits: new Map([['team', { rpm: 100, tpm, budgetUsd: 10 }]]), now: () => NOW });
  const router = createRouter({ state: () => routerState });
  const pipeline = createHookPipeline([router, createLimitsPlugin(limiter, { costOf: () => 0.5 })]);
  return { limiter, pipeline };
}

describe('createLimitsPlugin', () => {
  it('estimates from the routing decision, or from the prompt and max_tokens', () => {
    const router = createRouter({ state: () => routerState });
    const req = request(TOPIC_PROMPTS.code[0]);
    const d = router.decide(req, { providers: ALL_PROVIDERS });
    const e = estimateRequest(req, d);
    expect(e.tokens).toBe(d.explanation.features.promptTokens + d.explanation.features.expectedOutputTokens);
    expect(e.costUsd).toBe(d.candidates[0]?.costUsd);
    const explicit = estimateRequest({ ...req, model: 'gpt-4o', maxOutputTokens: 500 }, undefined);
    expect(explicit.costUsd).toBe(0);
    expect(explicit.tokens).toBeGreaterThan(500);
  });

  it('settles the actual usage after the call, so the next request sees it', async () => {
    const { pipeline } = setup(1_000);
    const out = await pipeline.run(request(TOPIC_PROMPTS.code[0]), context('team'), () => Promise.resolve(response(600, 300)));
    expect(out.response?.usage.outputTokens).toBe(300);
    // 900 tokens used of 1,000: a request expected to need more than the remaining 100 is refused.
    const refused = await pipeline.run(request(TOPIC_PROMPTS.code[0]), context('team'), () => Promise.reject(new Error('must not be called')));
    expect(refused.error).toMatchObject({ code: 'policy_rate_limited', status: 429 });
    expect(refused.error?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('gives tokens back when the call failed, and does not limit callers without a key', async () => {
    const { pipeline, limiter } = setup(1_000);
    for (let i = 0; i < 5; i++) {
      const out = await pipeline.run(request(TOPIC_PROMPTS.code[0]), context('team'), () => Promise.reject(new GatewayError('provider_server_error', 'boom')));
      expect(out.error?.code).toBe('provider_server_error');
    }
    // Nothing billable was used: the whole token allowance is still there.
    expect(await limiter.reserve('team', { tokens: 1_000, costUsd: 0 })).toBeDefined();
    const anon = await pipeline.run(request(TOPIC_PROMPTS.code[0]), context(undefined), () => Promise.resolve(response(1e6, 1e6)));
    expect(anon.response).toBeDefined();
  });
});
