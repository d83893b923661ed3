import { describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../../test/xgboost/synthetic-dataset.js';
import { parseXGBoostModel } from '../../core/gbdt/parse-xgboost-model.js';
import { createSeededRng } from '../../core/math/seeded-rng.js';
import { logLoss, predictDataset, rmse } from './gbdt-metrics.js';
import { trainGbdt, type GbdtDataset, type GbdtTrainOptions } from './train-gbdt.js';
import { serializeXGBoostModel } from './xgboost-model-json.js';

const BASE: Omit<GbdtTrainOptions, 'featureNames' | 'objective'> = {
  rounds: 20,
  maxDepth: 4,
  eta: 0.3,
  lambda: 1,
  gamma: 0,
  minChildWeight: 1,
  maxBin: 64,
  seed: 3,
};

function synthetic(n: number, f = 12, seed = 5) {
  const d = makeSyntheticDataset(n, f, seed);
  return { d, train: (y: Float64Array): GbdtDataset => ({ x: d.x, n, f, y }) };
}

/** Rows reaching each global node id when the core routes `x` through every tree. */
function nodeVisits(json: unknown, x: Float32Array, n: number): Float64Array {
  const model = parseXGBoostModel(json);
  const f = model.numFeature;
  const visits = new Float64Array(model.left.length);
  for (let r = 0; r < n; r++) {
    for (let t = 0; t < model.numTrees; t++) {
      let node = model.treeOffset[t] as number;
      visits[node] = (visits[node] as number) + 1;
      while ((model.left[node] as number) >= 0) {
        const v = Math.fround(x[r * f + (model.splitIndex[node] as number)] as number);
        node = v !== v ? (model.defaultLeft[node] === 1 ? (model.left[node] as number) : (model.right[node] as number)) : v < (model.threshold[node] as number) ? (model.left[node] as number) : (model.right[node] as number);
        visits[node] = (visits[node] as number) + 1;
      }
    }
  }
  return visits;
}

describe('trainGbdt', () => {
  it('is deterministic: same inputs give byte-identical JSON; the seed matters only with sampling', () => {
    const { d, train } = synthetic(600);
    const opts = { ...BASE, objective: 'multi:softprob', numClass: 3, featureNames: d.featureNames } as const;
    const a = serializeXGBoostModel(trainGbdt(train(d.yClass), opts));
    expect(serializeXGBoostModel(trainGbdt(train(d.yClass), opts))).toBe(a);
    expect(serializeXGBoostModel(trainGbdt(train(d.yClass), { ...opts, seed: 99 }))).toBe(a);
    const sampled = { ...opts, subsample: 0.7, colsampleBytree: 0.5 };
    const s1 = serializeXGBoostModel(trainGbdt(train(d.yClass), sampled));
    expect(serializeXGBoostModel(trainGbdt(train(d.yClass), sampled))).toBe(s1);
    expect(serializeXGBoostModel(trainGbdt(train(d.yClass), { ...sampled, seed: 4 }))).not.toBe(s1);
  });

  it('writes thresholds that route training rows exactly as the histograms counted them', () => {
    // With squared error every row has hessian 1, so sum_hessian of a node is its row count.
    const { d, train } = synthetic(800);
    const json = trainGbdt(train(d.yReg), { ...BASE, objective: 'reg:squarederror', maxDepth: 6, featureNames: d.featureNames });
    const visits = nodeVisits(json, d.x, 800);
    const expected = json.learner.gradient_booster.model.trees.flatMap((t) => t.sum_hessian);
    expect(expected.length).toBe(visits.length);
    expect(Array.from(visits)).toEqual(expected);
    // The data has NaNs, so some nodes must have learned to send missing values left and some right.
    const defaults = json.learner.gradient_booster.model.trees.flatMap((t) => t.default_left.filter((_, i) => (t.left_children[i] as number) >= 0));
    expect(defaults).toContain(0);
    expect(defaults).toContain(1);
  });

  it('learns: training loss falls and the parsed model agrees with the learner on its leaves', () => {
    const { d, train } = synthetic(1000);
    const json = trainGbdt(train(d.yClass), { ...BASE, rounds: 30, objective: 'multi:softprob', numClass: 3, featureNames: d.featureNames });
    const model = parseXGBoostModel(JSON.parse(serializeXGBoostModel(json)));
    expect(model.numTrees).toBe(90);
    expect(Array.from(model.treeGroup.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    const loss = logLoss(predictDataset(model, d.x, 1000), d.yClass, 3);
    expect(loss).toBeLessThan(Math.log(3) * 0.75);
  });

  it('computes the textbook leaf weights and split on a tiny example', () => {
    // x in {0, 1}: y = 2 where x = 0, 5 where x = 1. One stump, eta 1, no regularisation.
    const x = Float32Array.from([0, 0, 1, 1, 0, 1]);
    const y = [2, 2, 5, 5, 2, 5];
    const json = trainGbdt({ x, n: 6, f: 1, y }, { ...BASE, objective: 'reg:squarederror', rounds: 1, maxDepth: 1, eta: 1, lambda: 0, minChildWeight: 0, baseScore: 0, featureNames: ['x'] });
    const tree = json.learner.gradient_booster.model.trees[0];
    expect(tree?.left_children).toEqual([1, -1, -1]);
    // Threshold is the float32 cut above 0, i.e. the next distinct value 1; leaves are mean targets.
    expect(tree?.split_conditions).toEqual([1, 2, 5]);
    expect(tree?.sum_hessian).toEqual([6, 3, 3]);
    // Loss change G_L^2/H_L + G_R^2/H_R - G^2/H with G = -(3*2 + 3*5) = -21.
    expect(tree?.loss_changes[0]).toBeCloseTo(36 / 3 + 225 / 3 - 441 / 6, 4);
  });

  it('applies L1 regularisation (alpha) by soft-thresholding gradient sums', () => {
    const x = Float32Array.from([0, 0, 1, 1, 0, 1]);
    const y = [2, 2, 5, 5, 2, 5];
    const opts = { ...BASE, objective: 'reg:squarederror', rounds: 1, maxDepth: 1, eta: 1, lambda: 0, minChildWeight: 0, baseScore: 0, featureNames: ['x'] } as const;
    // G_left = -6, G_right = -15, H = 3 each: leaf weights -(G + alpha)/H with alpha = 1.
    const tree = trainGbdt({ x, n: 6, f: 1, y }, { ...opts, alpha: 1 }).learner.gradient_booster.model.trees[0];
    expect(tree?.split_conditions).toEqual([1, Math.fround(5 / 3), Math.fround(14 / 3)]);
    // With alpha = 3 the split's gain 3^2/3 + 12^2/3 - 18^2/6 is negative: a single leaf 18/6.
    const stumpless = trainGbdt({ x, n: 6, f: 1, y }, { ...opts, alpha: 3 }).learner.gradient_booster.model.trees[0];
    expect(stumpless?.split_conditions).toEqual([3]);
    const flat = trainGbdt({ x, n: 6, f: 1, y }, { ...opts, alpha: 100 }).learner.gradient_booster.model.trees[0];
    expect(flat?.split_conditions).toEqual([0]);
  });

  it('treats a sample weight like a duplicated row', () => {
    const rng = createSeededRng(4);
    const n = 300;
    const x = new Float32Array(n * 2);
    const y: number[] = [];
    const w: number[] = [];
    const xd: number[] = [];
    const yd: number[] = [];
    for (let r = 0; r < n; r++) {
      const a = Math.floor(rng.next() * 8);
      const b = rng.next() < 0.1 ? Number.NaN : Math.floor(rng.next() * 5);
      x[2 * r] = a;
      x[2 * r + 1] = b;
      const label = a + (b === b ? b : 3) > 6 ? 1 : 0;
      y.push(label);
      const weight = r % 3 === 0 ? 2 : 1;
      w.push(weight);
      for (let k = 0; k < weight; k++) {
        xd.push(a, b);
        yd.push(label);
      }
    }
    const opts = { ...BASE, objective: 'binary:logistic', rounds: 5, baseScore: 0.5, featureNames: ['a', 'b'] } as const;
    const weighted = parseXGBoostModel(trainGbdt({ x, n, f: 2, y, weights: w }, opts));
    const duplicated = parseXGBoostModel(trainGbdt({ x: Float32Array.from(xd), n: yd.length, f: 2, y: yd }, opts));
    const pw = predictDataset(weighted, x, n);
    const pd = predictDataset(duplicated, x, n);
    for (let r = 0; r < n; r++) expect(pw[r]).toBeCloseTo(pd[r] as number, 5);
  });

  it('learns the default direction of missing values from the data', () => {
    const rng = createSeededRng(11);
    const n = 400;
    const build = (missingLabel: number): { x: Float32Array; y: number[] } => {
      const x = new Float32Array(n);
      const y: number[] = [];
      for (let r = 0; r < n; r++) {
        const v = rng.next() * 2 - 1;
        const label = v > 0 ? 1 : 0;
        y.push(label);
        x[r] = label === missingLabel && rng.next() < 0.5 ? Number.NaN : v;
      }
      return { x, y };
    };
    const opts = { ...BASE, objective: 'binary:logistic', rounds: 1, maxDepth: 1, featureNames: ['v'] } as const;
    for (const missingLabel of [0, 1]) {
      const { x, y } = build(missingLabel);
      const json = trainGbdt({ x, n, f: 1, y }, opts);
      const tree = json.learner.gradient_booster.model.trees[0];
      // Missing rows all belong to `missingLabel`: they must follow the side of that label.
      expect(tree?.default_left[0]).toBe(missingLabel === 0 ? 1 : 0);
      const model = parseXGBoostModel(json);
      const pMissing = predictDataset(model, Float32Array.of(Number.NaN), 1)[0] as number;
      expect(missingLabel === 1 ? pMissing > 0.5 : pMissing < 0.5).toBe(true);
    }
  });

  it('honours gamma and min_child_weight', () => {
    const { d, train } = synthetic(300);
    const opts = { ...BASE, objective: 'reg:squarederror', rounds: 2, featureNames: d.featureNames } as const;
    for (const extra of [{ gamma: 1e9 }, { minChildWeight: 1e9 }]) {
      const trees = trainGbdt(train(d.yReg), { ...opts, ...extra }).learner.gradient_booster.model.trees;
      expect(trees.every((t) => t.left_children.length === 1)).toBe(true);
    }
    const grown = trainGbdt(train(d.yReg), opts).learner.gradient_booster.model.trees;
    expect(grown[0]?.left_children.length).toBeGreaterThan(7);
  });

  it('samples columns per tree', () => {
    const { d, train } = synthetic(400);
    const trees = trainGbdt(train(d.yReg), { ...BASE, objective: 'reg:squarederror', colsampleBytree: 1 / 12, featureNames: d.featureNames }).learner.gradient_booster.model.trees;
    const used = trees.map((t) => new Set(t.split_indices.filter((_, i) => (t.left_children[i] as number) >= 0)));
    expect(used.every((s) => s.size <= 1)).toBe(true);
    expect(new Set(used.flatMap((s) => [...s])).size).toBeGreaterThan(1);
  });

  it('stops early on the validation metric and keeps the best round only', () => {
    const { d } = synthetic(1500, 12, 8);
    const f = 12;
    const train = { x: d.x.slice(0, 1000 * f), n: 1000, f, y: d.yClass.slice(0, 1000) };
    const validation = { x: d.x.slice(1000 * f), n: 500, y: d.yClass.slice(1000) };
    const json = trainGbdt(train, { ...BASE, eta: 0.8, maxDepth: 6, rounds: 300, objective: 'multi:softprob', numClass: 3, featureNames: d.featureNames, earlyStopping: { validation, rounds: 5 } });
    const best = Number(json.learner.attributes['best_iteration']);
    expect(best).toBeGreaterThanOrEqual(0);
    expect(best).toBeLessThan(295);
    expect(json.learner.gradient_booster.model.trees.length).toBe((best + 1) * 3);
    const model = parseXGBoostModel(json);
    const score = logLoss(predictDataset(model, validation.x, 500), validation.y, 3);
    expect(score).toBeCloseTo(Number(json.learner.attributes['best_score']), 6);
  });

  it('fits regression and binary objectives', () => {
    const { d, train } = synthetic(1000);
    const reg = parseXGBoostModel(trainGbdt(train(d.yReg), { ...BASE, objective: 'reg:squarederror', featureNames: d.featureNames }));
    const mean = d.yReg.reduce((s, v) => s + v, 0) / 1000;
    expect(reg.baseMargin[0]).toBeCloseTo(mean, 5);
    const constant = rmse(new Float64Array(1000).fill(mean), d.yReg);
    expect(rmse(predictDataset(reg, d.x, 1000), d.yReg)).toBeLessThan(constant * 0.6);
    const bin = parseXGBoostModel(trainGbdt(train(d.yBinary), { ...BASE, objective: 'binary:logistic', featureNames: d.featureNames }));
    expect(bin.objective).toBe('binary:logistic');
    expect(logLoss(predictDataset(bin, d.x, 1000), d.yBinary, 1)).toBeLessThan(0.45);
  });

  it('rejects malformed inputs', () => {
    const x = new Float32Array(4);
    const ok = { ...BASE, objective: 'reg:squarederror', featureNames: ['a', 'b'] } as const;
    expect(() => trainGbdt({ x, n: 2, f: 2, y: [0, 1] }, { ...ok, featureNames: ['a'] })).toThrow(/featureNames has 1 names/);
    expect(() => trainGbdt({ x, n: 3, f: 2, y: [0, 1, 2] }, ok)).toThrow(/x has 4 values/);
    expect(() => trainGbdt({ x, n: 2, f: 2, y: [0, 3] }, { ...ok, objective: 'multi:softprob', numClass: 3 })).toThrow(/y\[1\] = 3 is not a valid label/);
    expect(() => trainGbdt({ x, n: 2, f: 2, y: [0, 1] }, { ...ok, objective: 'multi:softprob' })).toThrow(/needs numClass/);
    expect(() => trainGbdt({ x, n: 2, f: 2, y: [0, 1] }, { ...ok, maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => trainGbdt({ x, n: 2, f: 2, y: [0, 1] }, { ...ok, subsample: 0 })).toThrow(/subsample/);
  });
});
