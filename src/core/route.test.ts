import { describe, expect, it } from 'vitest';
import { ALL_PROVIDERS, buildTestArtifact, buildTestState, TOPIC_PROMPTS } from '../../test/helpers/test-artifact.js';
import { GatewayError } from '../errors/gateway-error.js';
import { route, type RouteInput } from './route.js';

const state = buildTestState();
const input = (text: string, extra: Partial<RouteInput> = {}): RouteInput => ({ text, promptTokens: 200, providers: ALL_PROVIDERS, ...extra });

describe('route: golden cases', () => {
  const golden = [
    { prompt: 'Write a Python function def merge(a, b): that merges two sorted lists, with code.', cluster: 0, bucket: 'hard', model: 'large' },
    { prompt: 'Solve for x: 7x - 3 = 18, and show the algebra steps of the equation.', cluster: 1, bucket: 'mid', model: 'medium' },
    { prompt: 'Who was the first person to walk on the Moon, and in which year?', cluster: 2, bucket: 'cheap', model: 'small' },
  ] as const;
  for (const g of golden) {
    it(`${g.prompt.slice(0, 40)}... -> cluster ${g.cluster}, ${g.bucket}, ${g.model}`, () => {
      const d = route(input(g.prompt), state);
      expect(d.explanation.clusters[0]?.index).toBe(g.cluster);
      expect(d.bucket).toBe(g.bucket);
      expect(d.candidates[0]?.name).toBe(g.model);
      expect(d.artifactVersion).toBe('test-artifact-1');
    });
  }

  it('explains every candidate with Q, C, penalties and score, ordered by score', () => {
    const d = route(input(TOPIC_PROMPTS.code[0]), state);
    expect(d.candidates.map((c) => c.name)).toEqual(['large', 'medium', 'small']);
    for (const c of d.candidates) {
      expect(c.score).toBeCloseTo(0.8 * c.quality - 0.2 * c.cost - c.penalties.ctxOver80pct - c.penalties.latencySd, 12);
      expect(c.cost).toBeGreaterThan(0);
      expect(c.cost).toBeLessThanOrEqual(1);
    }
    expect(d.candidates[0]?.quality).toBeCloseTo(0.9, 5);
    expect(d.bucketProbabilities.hard).toBeGreaterThan(0.9);
    expect(d.explanation.clusters[0]?.weight).toBeCloseTo(1, 6);
  });

  it('lists the other buckets after the chosen one as fallbacks', () => {
    const d = route(input(TOPIC_PROMPTS.trivia[0]), state);
    expect(d.bucket).toBe('cheap');
    // cheap holds only `small`; then mid adds `medium`, then hard adds `large`.
    expect(d.candidates.map((c) => c.name)).toEqual(['small', 'medium', 'large']);
    expect(d.candidates.map((c) => c.bucket)).toEqual(['cheap', 'mid', 'hard']);
  });
});

describe('route: candidates per bucket', () => {
  it('keeps at most N new candidates from each bucket, the choice unchanged', () => {
    const limited = { ...state, tuning: { ...state.tuning, candidatesPerBucket: 1 } };
    const full = route(input(TOPIC_PROMPTS.code[0]), state);
    const d = route(input(TOPIC_PROMPTS.code[0]), limited);
    expect(d.candidates[0]).toEqual(full.candidates[0]);
    // hard: its best (large); mid: its best not yet taken (medium); cheap: small.
    expect(d.candidates.map((c) => [c.name, c.bucket])).toEqual([
      ['large', 'hard'],
      ['medium', 'mid'],
      ['small', 'cheap'],
    ]);
  });
});

describe('route: alpha extremes', () => {
  it('alpha 1 picks the highest-quality candidate of the bucket', () => {
    const d = route(input(TOPIC_PROMPTS.trivia[1], { policy: { alpha: 1, bucket: 'hard' } }), state);
    const best = Math.max(...d.candidates.filter((c) => c.bucket === 'hard').map((c) => c.quality));
    expect(d.candidates[0]?.quality).toBe(best);
    expect(d.candidates[0]?.name).toBe('large');
  });

  it('alpha 0 picks the cheapest candidate of the bucket', () => {
    const d = route(input(TOPIC_PROMPTS.code[1], { policy: { alpha: 0, bucket: 'hard' } }), state);
    expect(d.candidates[0]?.name).toBe('small');
  });

  it('ties break deterministically by cost, then name', () => {
    const a = route(input('Hello there, how are you?', { policy: { alpha: 0, bucket: 'hard' } }), state);
    const b = route(input('Hello there, how are you?', { policy: { alpha: 0, bucket: 'hard' } }), state);
    expect(a).toEqual(b);
  });
});

describe('route: context guardrail', () => {
  it('escalates when every candidate of the bucket is over 80% of its window', () => {
    const d = route(input(TOPIC_PROMPTS.trivia[0], { promptTokens: 7_000 }), state);
    expect(d.bucket).toBe('mid');
    expect(d.explanation.escalation).toMatch(/cheap -> mid/);
    expect(d.candidates[0]?.name).toBe('medium');
    // `small` still fits (ratio <= 1) but carries the ctx penalty.
    const small = d.candidates.find((c) => c.name === 'small');
    expect(small?.penalties.ctxOver80pct).toBe(0.5);
  });

  it('escalates to the only model that can hold a very long prompt', () => {
    const d = route(input(TOPIC_PROMPTS.trivia[0], { promptTokens: 100_000 }), state);
    expect(d.bucket).toBe('hard');
    expect(d.candidates.map((c) => c.name)).toEqual(['large']);
  });

  it('refuses clearly when no configured model can hold the prompt', () => {
    expect(() => route(input(TOPIC_PROMPTS.trivia[0], { promptTokens: 2_000_000 }), state)).toThrowError(
      expect.objectContaining({ code: 'routing_context_too_long' }) as Error,
    );
  });

  it("counts the client's max_tokens against the window", () => {
    const d = route(input(TOPIC_PROMPTS.trivia[0], { promptTokens: 1_000, maxOutputTokens: 7_500 }), state);
    expect(d.candidates.some((c) => c.name === 'small')).toBe(false);
  });
});

describe('route: eligibility', () => {
  it('skips providers without credentials', () => {
    const d = route(input(TOPIC_PROMPTS.math[0], { providers: new Set(['openai', 'gemini']) }), state);
    expect(d.candidates.map((c) => c.name)).not.toContain('medium');
    expect(d.explanation.excluded).toContainEqual({ name: 'medium', reason: 'no_credentials' });
  });

  it('fails with routing_no_candidate when no provider has credentials', () => {
    let err: unknown;
    try {
      route(input(TOPIC_PROMPTS.math[0], { providers: new Set() }), state);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('routing_no_candidate');
    expect((err as GatewayError).message).toMatch(/no_credentials/);
  });

  it('applies deny lists and max price before scoring', () => {
    const denied = route(input(TOPIC_PROMPTS.code[0], { policy: { deny: ['gemini/*'] } }), state);
    expect(denied.candidates.map((c) => c.name)).toEqual(['medium', 'small']);
    const capped = route(input(TOPIC_PROMPTS.code[0], { policy: { maxPriceUsdPerRequest: 0.001 } }), state);
    expect(capped.candidates[0]?.name).not.toBe('large');
    for (const c of capped.candidates) expect(c.costUsd).toBeLessThanOrEqual(0.001);
  });

  describe('capabilities', () => {
    // The catalog says: small takes neither tools nor images, medium takes tools only, large both.
    const caps = buildTestState({ capabilities: { small: { tools: false, vision: false }, medium: { tools: true, vision: false }, large: { tools: true, vision: true } } });

    it('routes a request without tools or images as before', () => {
      const d = route(input(TOPIC_PROMPTS.trivia[0]), caps);
      expect(d.candidates[0]?.name).toBe('small');
      expect(route(input(TOPIC_PROMPTS.trivia[0], { requires: { tools: false, vision: false } }), caps).candidates[0]?.name).toBe('small');
    });

    it('keeps models without tool support away from tool requests', () => {
      const d = route(input(TOPIC_PROMPTS.trivia[0], { requires: { tools: true } }), caps);
      expect(d.candidates.map((c) => c.name)).toEqual(expect.arrayContaining(['medium', 'large']));
      expect(d.candidates.map((c) => c.name)).not.toContain('small');
      expect(d.explanation.excluded).toContainEqual({ name: 'small', reason: 'no_tool_support' });
    });

    it('keeps models without vision away from image requests', () => {
      const d = route(input(TOPIC_PROMPTS.trivia[0], { requires: { tools: true, vision: true } }), caps);
      expect(d.candidates.map((c) => c.name)).toEqual(['large']);
      expect(d.explanation.excluded).toEqual(
        expect.arrayContaining([
          { name: 'small', reason: 'no_tool_support' },
          { name: 'medium', reason: 'no_vision' },
        ]),
      );
    });

    it('fails with routing_no_candidate naming the missing capability when no model has it', () => {
      const none = buildTestState({ capabilities: { small: { tools: true, vision: false }, medium: { tools: true, vision: false }, large: { tools: true, vision: false } } });
      let err: unknown;
      try {
        route(input(TOPIC_PROMPTS.trivia[0], { requires: { vision: true } }), none);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).code).toBe('routing_no_candidate');
      expect((err as GatewayError).message).toMatch(/no_vision \(small, medium, large\)/);
    });

    it('assumes a model the catalog does not describe is capable', () => {
      const d = route(input(TOPIC_PROMPTS.trivia[0], { requires: { tools: true, vision: true } }), state);
      expect(d.candidates.map((c) => c.name)).toContain('small');
      expect(d.explanation.excluded).toEqual([]);
    });
  });

  it('penalises latency variance only once the engine has statistics', () => {
    const base = route(input(TOPIC_PROMPTS.code[0]), state);
    expect(base.candidates.every((c) => c.penalties.latencySd === 0)).toBe(true);
    const sd = new Float64Array([10, 10, 4_000]);
    const d = route(input(TOPIC_PROMPTS.code[0], { observed: { latencySdMs: sd } }), state);
    expect(d.candidates.find((c) => c.name === 'large')?.penalties.latencySd).toBeCloseTo(0.05, 12);
  });
});

describe('route: reasoning from bucket defaults', () => {
  const reasoningState = buildTestState({
    artifact: buildTestArtifact(),
    reasoning: { small: { kind: 'effort' }, medium: { kind: 'budget', minBudget: 1024, maxBudget: 32_000 }, large: { kind: 'budget', minBudget: 128, maxBudget: 4_096 } },
  });

  it('maps the hard bucket to high effort / clamped budgets per provider', () => {
    const d = route(input(TOPIC_PROMPTS.code[0]), reasoningState);
    const by = Object.fromEntries(d.candidates.map((c) => [c.name, c.reasoning]));
    expect(by['large']).toEqual({ budgetTokens: 4_096, effort: 'high' }); // clamped to the model's max
    expect(by['medium']).toEqual({ budgetTokens: 8_192, effort: 'high' });
    expect(by['small']).toEqual({ effort: 'high' });
  });

  it('keeps Anthropic thinking below max_tokens and off when there is no room', () => {
    const d = route(input(TOPIC_PROMPTS.code[0], { maxOutputTokens: 3_000 }), reasoningState);
    expect(d.candidates.find((c) => c.name === 'medium')?.reasoning?.budgetTokens).toBe(2_999);
    const tight = route(input(TOPIC_PROMPTS.code[0], { maxOutputTokens: 900 }), reasoningState);
    expect(tight.candidates.find((c) => c.name === 'medium')?.reasoning).toBeUndefined();
  });

  it("keeps the client's own reasoning settings", () => {
    const d = route(input(TOPIC_PROMPTS.code[0], { reasoning: { effort: 'minimal' } }), reasoningState);
    for (const c of d.candidates) expect(c.reasoning).toEqual({ effort: 'minimal' });
  });

  it("sends none, not even the client's, to a model that does not reason", () => {
    const state = buildTestState({ artifact: buildTestArtifact(), reasoning: { small: { kind: 'none' }, medium: { kind: 'effort' }, large: { kind: 'none' } } });
    const d = route(input(TOPIC_PROMPTS.code[0], { reasoning: { effort: 'low' } }), state);
    const by = Object.fromEntries(d.candidates.map((c) => [c.name, c.reasoning]));
    expect(Object.keys(by).sort()).toEqual(['large', 'medium', 'small']);
    expect(by['medium']).toEqual({ effort: 'low' });
    expect(by['small']).toBeUndefined();
    expect(by['large']).toBeUndefined();
  });
});
