import { describe, expect, it } from 'vitest';
import type { DatasetRecord } from '../dataset/dataset-record.js';
import type { OutcomeMatrix } from './cost-matrix.js';
import { foldIndices, stratifiedFolds } from './folds.js';
import { alphaChoices, bestSingleModel, cheapestModel, choicePoint, knnQuality, oracleChoice, perTaskChoice } from './sweep-routers.js';

// 3 prompts x 3 models (a cheap, b mid, c dear).
const O: OutcomeMatrix = {
  models: ['a', 'b', 'c'],
  n: 3,
  scores: Float64Array.from([0, 1, 1, 1, 1, 1, 0, 0, 1]),
  costs: Float64Array.from([1, 2, 9, 1, 2, 9, 1, 2, 9]),
};

describe('baselines', () => {
  it('oracle takes the cheapest of the best models per prompt', () => {
    expect(Array.from(oracleChoice(O))).toEqual([1, 0, 2]);
    expect(choicePoint(oracleChoice(O), O)).toEqual([12, 1]);
  });

  it('best single and cheapest single are chosen on the given (training) rows', () => {
    expect(bestSingleModel(O)).toBe(2);
    expect(cheapestModel(O)).toBe(0);
  });

  it('per-task best uses the training task means and falls back to the best single', () => {
    const choice = perTaskChoice(O, ['x', 'x', 'y'], ['x', 'y', 'z']);
    expect(Array.from(choice)).toEqual([1, 2, 2]);
  });

  it('alpha 0 picks the cheapest model and alpha 1 the best quality', () => {
    const quality = Float64Array.from([0.2, 0.5, 0.9, 0.9, 0.9, 0.9, 0, 0, 0]);
    const [at0, at1] = alphaChoices(quality, O.costs, 3, 3, [0, 1]);
    expect(Array.from(at0 as Int32Array)).toEqual([0, 0, 0]);
    // Ties in quality go to the cheaper model.
    expect(Array.from(at1 as Int32Array)).toEqual([2, 0, 0]);
  });

  it('kNN averages the scores of the nearest training prompts', () => {
    const trainEmb = Float32Array.from([1, 0, 0, 1, 0.8, 0.6]);
    const train: OutcomeMatrix = { models: ['a', 'b'], n: 3, scores: Float64Array.from([1, 0, 0, 1, 1, 1]), costs: new Float64Array(6) };
    const q = knnQuality(trainEmb, train, Float32Array.from([1, 0]), 1, 2, 1);
    expect(Array.from(q)).toEqual([1, 0]);
  });
});

describe('stratifiedFolds', () => {
  it('puts each task evenly in every fold, deterministically', () => {
    const records: DatasetRecord[] = Array.from({ length: 50 }, (_, i) => ({ id: String(i), prompt: `p${i}`, task: i < 30 ? 't1' : 't2', scores: { a: 1 } }));
    const fold = stratifiedFolds(records, 5);
    expect(Array.from(fold)).toEqual(Array.from(stratifiedFolds(records, 5)));
    for (let f = 0; f < 5; f++) {
      const { train, test } = foldIndices(fold, f);
      expect(train.length + test.length).toBe(50);
      expect(test.filter((i) => i < 30)).toHaveLength(6);
      expect(test.filter((i) => i >= 30)).toHaveLength(4);
    }
  });
});
