import { describe, expect, it } from 'vitest';
import type { RoutingDecision } from '../../types/routing-decision.js';
import { packDecision, unpackDecision } from './packed-decision.js';

const decision: RoutingDecision = {
  artifactVersion: 'v1',
  bucket: 'hard',
  bucketProbabilities: { cheap: 0.1, mid: 0.2, hard: 0.7 },
  candidates: [
    {
      name: 'big', id: 'anthropic/claude-x', provider: 'anthropic', providerModel: 'claude-x', bucket: 'hard',
      quality: 0.91, cost: 1, costUsd: 0.0123, contextRatio: 0.85, penalties: { ctxOver80pct: 0.5, latencySd: 0.01 }, score: 0.3,
      reasoning: { budgetTokens: 2048, effort: 'high' },
    },
    {
      name: 'small', id: 'openai/gpt-x', provider: 'openai', providerModel: 'gpt-x', bucket: 'mid',
      quality: 0.7, cost: 0.1, costUsd: 0.001, contextRatio: 0.1, penalties: { ctxOver80pct: 0, latencySd: 0 }, score: 0.6,
    },
  ],
  explanation: {
    features: { tokens: 12, promptTokens: 30, expectedOutputTokens: 256, hasCode: true, hasMath: false, entropy: 4.25 },
    clusters: [{ index: 3, similarity: 0.8, weight: 0.75 }, { index: 9, similarity: 0.6, weight: 0.25 }],
    alpha: 0.95,
    escalation: 'mid -> hard: no candidate with room in mid',
    excluded: [{ name: 'gem', reason: 'no_credentials' }],
  },
};

describe('packDecision / unpackDecision', () => {
  it('round-trips every field, keeping an absent reasoning absent', () => {
    const back = unpackDecision(packDecision(decision));
    expect(back).toEqual(decision);
    expect('reasoning' in (back.candidates[1] as object)).toBe(false);
    expect(JSON.stringify(back)).toBe(JSON.stringify(decision));
  });

  it('gives a fresh object each time, so a caller cannot change what the cache holds', () => {
    const packed = packDecision(decision);
    const a = unpackDecision(packed);
    (a.candidates as unknown as unknown[]).length = 0;
    expect(unpackDecision(packed).candidates).toHaveLength(2);
  });

  it('packs a decision without escalation or exclusions', () => {
    const { features, clusters, alpha } = decision.explanation;
    const plain: RoutingDecision = { ...decision, explanation: { features, clusters, alpha, excluded: [] } };
    const back = unpackDecision(packDecision(plain));
    expect(back).toEqual(plain);
    expect('escalation' in back.explanation).toBe(false);
  });
});
