import { describe, expect, it } from 'vitest';
import { parseArtifact } from '../../artifact/parse-artifact.js';
import { estimateTokens } from '../../core/features/estimate-tokens.js';
import { predictGbdt } from '../../core/gbdt/predict-gbdt.js';
import { route } from '../../core/route.js';
import type { RouterState } from '../../core/router-state.js';
import { compileFeatureSchema } from '../../core/triage/feature-schema.js';
import { TINY_OPTIONS, TINY_PRICES, tinyDataset } from './__fixtures__/tiny-dataset.js';
import { embedAll, featureMatrix } from './featurize.js';
import { OFFLINE_PROVIDERS, offlineRouterState } from './offline-router-state.js';
import { trainArtifact } from './train-artifact.js';

const records = tinyDataset();
const trained = trainArtifact(records, TINY_PRICES, TINY_OPTIONS);
const parsed = parseArtifact(trained.artifact);
const state = offlineRouterState(parsed, TINY_PRICES);

function choose(s: RouterState, text: string, alpha?: number, bucket?: 'hard'): string {
  const policy = { ...(alpha !== undefined ? { alpha } : {}), ...(bucket ? { bucket } : {}) };
  const d = route({ text, promptTokens: estimateTokens(text), providers: OFFLINE_PROVIDERS, policy }, s);
  return d.candidates[0]?.name ?? '';
}

describe('trainArtifact', () => {
  it('is deterministic: the same inputs give a byte-identical artifact', () => {
    const again = trainArtifact(tinyDataset(), TINY_PRICES, TINY_OPTIONS);
    expect(JSON.stringify(again.artifact)).toBe(JSON.stringify(trained.artifact));
    const otherSeed = trainArtifact(tinyDataset(), TINY_PRICES, { ...TINY_OPTIONS, seed: 7 });
    expect(otherSeed.artifact.version).not.toBe(trained.artifact.version);
  });

  it('routes to the one model that is always right', () => {
    const always = tinyDataset(() => ({ 'm-cheap': 0, 'm-mid': 1, 'm-strong': 0 }));
    const s = offlineRouterState(parseArtifact(trainArtifact(always, TINY_PRICES, TINY_OPTIONS).artifact), TINY_PRICES);
    for (const r of always) expect(choose(s, r.prompt)).toBe('m-mid');
  });

  it('at alpha 1 never picks a model that another beats on every cluster', () => {
    const q = parsed.models.map((m) => m.quality);
    const dominated = new Set<string>();
    parsed.models.forEach((m, i) => {
      if (q.some((other, j) => j !== i && Array.from(other).every((v, c) => v > (q[i]?.[c] as number)))) dominated.add(m.name);
    });
    expect(dominated.has('m-cheap')).toBe(true);
    for (const r of records) expect(dominated.has(choose(state, r.prompt, 1, 'hard'))).toBe(false);
    for (const r of records) expect(dominated.has(choose(state, r.prompt, 1))).toBe(false);
  });

  it('at alpha 0 picks the cheapest model', () => {
    for (const r of records) {
      expect(choose(state, r.prompt, 0)).toBe('m-cheap');
      expect(choose(state, r.prompt, 0, 'hard')).toBe('m-cheap');
    }
  });

  it('learns the topics: code goes to the strong model, trivia to the cheap one at the fitted alpha', () => {
    expect(choose(state, 'Write a Python function def parse(items): that handles nested arrays?', 1, 'hard')).toBe('m-strong');
    expect(choose(state, 'Who wrote the novel about the old harbour?')).toBe('m-cheap');
  });

  it('builds the same feature vectors at train time and serve time', () => {
    const texts = records.map((r) => r.prompt);
    const dim = parsed.dim;
    const E = embedAll(texts, parsed.embedder);
    const sources = compileFeatureSchema(parsed.featureNames, dim, parsed.k);
    const X = featureMatrix(texts, E, dim, parsed.centroids, parsed.k, sources);
    const f = parsed.featureNames.length;
    texts.forEach((t, i) => {
      const served = state.embedder.embed(t);
      expect(Array.from(served)).toEqual(Array.from(E.subarray(i * dim, (i + 1) * dim)));
      const d = route({ text: t, promptTokens: estimateTokens(t), providers: OFFLINE_PROVIDERS }, state);
      const p = predictGbdt(parsed.gbdt, X.subarray(i * f, (i + 1) * f), new Float64Array(3));
      expect([d.bucketProbabilities.cheap, d.bucketProbabilities.mid, d.bucketProbabilities.hard]).toEqual([p[0], p[1], p[2]]);
    });
  });

  it('rejects too few records and unpriced models', () => {
    expect(() => trainArtifact(records.slice(0, 5), TINY_PRICES, TINY_OPTIONS)).toThrow(/at least 20/);
    const { 'm-mid': _drop, ...partial } = TINY_PRICES;
    expect(() => trainArtifact(records, partial, TINY_OPTIONS)).toThrow(/no entry for model m-mid/);
  });
});
