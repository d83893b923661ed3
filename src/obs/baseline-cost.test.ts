import { describe, expect, it } from 'vitest';
import type { RouterModel, RouterState } from '../core/router-state.js';
import type { RoutingDecision } from '../types/routing-decision.js';
import { bestSingleModel, createBaselineCost } from './baseline-cost.js';

const model = (index: number, name: string, quality: number[], inputPerMTok: number, outputPerMTok: number): RouterModel => ({
  index,
  name,
  id: `openai/${name}`,
  provider: 'openai',
  providerModel: name,
  inputPerMTok,
  outputPerMTok,
  contextWindowTokens: 100_000,
  quality: Float32Array.from(quality),
  reasoning: { kind: 'none' },
  tools: true,
  vision: true,
});

const state = (models: RouterModel[]): RouterState => ({ version: 'v1', models }) as unknown as RouterState;

const decision = (chosen: { id: string; costUsd: number }, promptTokens: number, expectedOutputTokens: number): RoutingDecision =>
  ({ candidates: [chosen], explanation: { features: { promptTokens, expectedOutputTokens } } }) as unknown as RoutingDecision;

describe('cost against the best single model', () => {
  const small = model(0, 'small', [0.6, 0.2], 0.1, 0.2);
  const large = model(1, 'large', [0.9, 0.8], 10, 30);
  const odd = model(2, 'odd', [1, 0], 1, 1);

  it('picks the highest mean quality, from the artifact when it has the figure', () => {
    expect(bestSingleModel(state([small, large, odd]))?.name).toBe('large');
    const artifact = { version: 'v1', models: [{ name: 'small', meanQuality: 0.99 }, { name: 'large', meanQuality: 0.8 }] } as never;
    expect(bestSingleModel(state([small, large]), artifact)?.name).toBe('small');
    // An artifact of another version says nothing about this state.
    expect(bestSingleModel(state([small, large]), { ...(artifact as object), version: 'v0' } as never)?.name).toBe('large');
  });

  it('prices the request on the best model like the router prices candidates', () => {
    const cost = createBaselineCost({ state: () => state([small, large]) });
    const b = cost(decision({ id: 'openai/small', costUsd: 0.000123 }, 1000, 500), 'openai/small');
    expect(b?.baselineModel).toBe('large');
    expect(b?.baselineUsd).toBeCloseTo((1000 * 10 + 500 * 30) / 1e6, 12);
    expect(b?.chosenUsd).toBe(0.000123);
    expect(cost(decision({ id: 'openai/small', costUsd: 1 }, 1, 1), 'openai/other')).toBeUndefined();
  });
});
