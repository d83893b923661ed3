import { describe, expect, it } from 'vitest';
import { handModel, stump, type HandTree } from './__fixtures__/hand-model.js';
import { parseXGBoostModel } from './parse-xgboost-model.js';
import { predictGbdt, predictMargin } from './predict-gbdt.js';

const NaN_ = Number.NaN;

describe('predictMargin routing', () => {
  it('sends missing values to the default side, learned per node', () => {
    const left = parseXGBoostModel(handModel([stump(1, 0, -1, 1, true)]));
    const right = parseXGBoostModel(handModel([stump(1, 0, -1, 1, false)]));
    expect(predictMargin(left, [5, NaN_, 5])[0]).toBe(Math.fround(0.5 - 1));
    expect(predictMargin(right, [5, NaN_, 5])[0]).toBe(Math.fround(0.5 + 1));
    // Non-missing values ignore the default direction.
    expect(predictMargin(left, [0, 3, 0])[0]).toBe(1.5);
    expect(predictMargin(right, [0, -3, 0])[0]).toBe(-0.5);
  });

  it('compares float32-rounded inputs with `<`, like XGBoost', () => {
    const model = parseXGBoostModel(handModel([stump(0, 0.1, -1, 1)], { baseScore: '0E0' }));
    const thr32 = Math.fround(0.1);
    expect(thr32).toBeGreaterThan(0.1);
    // 0.1 < fround(0.1) in float64, but XGBoost rounds 0.1 to float32 first: equal, so not less: right.
    expect(predictMargin(model, [0.1, 0, 0])[0]).toBe(1);
    // A float64 halfway between 0.1 and its float32 image still rounds onto the threshold.
    const between = (0.1 + thr32) / 2;
    expect(between).toBeGreaterThan(0.1);
    expect(between).toBeLessThan(thr32);
    expect(Math.fround(between)).toBe(thr32);
    expect(predictMargin(model, [between, 0, 0])[0]).toBe(1);
    // The float32 just below the threshold goes left, as does a float64 that rounds down onto it.
    const prev32 = thr32 - 2 ** -27;
    expect(Math.fround(prev32)).toBe(prev32);
    expect(predictMargin(model, [prev32, 0, 0])[0]).toBe(-1);
    expect(predictMargin(model, [prev32 + 2 ** -30, 0, 0])[0]).toBe(-1);
    expect(predictMargin(model, [thr32, 0, 0])[0]).toBe(1);
  });

  it('walks deep trees without recursion and uses the leaf value stored in split_conditions', () => {
    // A chain of 2,000 splits on x0 < i; the left child of split i is a leaf worth i.
    const depth = 2000;
    // Nodes are numbered so that node 2i+1 is the left leaf of split i and 2i+2 the next split.
    const n = 2 * depth + 1;
    const l = new Array<number>(n).fill(-1);
    const r = new Array<number>(n).fill(-1);
    const f = new Array<number>(n).fill(0);
    const c = new Array<number>(n).fill(0);
    for (let i = 0; i < depth; i++) {
      const node = 2 * i;
      l[node] = node + 1;
      r[node] = node + 2;
      c[node] = i;
      c[node + 1] = i; // leaf value = index of the split that sent the row left
    }
    c[n - 1] = 9999;
    const tree: HandTree = { left: l, right: r, feature: f, cond: c, defaultLeft: new Array<number>(n).fill(0) };
    const model = parseXGBoostModel(handModel([tree], { baseScore: '0E0' }));
    expect(predictMargin(model, [1234.5, 0, 0])[0]).toBe(1235);
    expect(predictMargin(model, [1e9, 0, 0])[0]).toBe(9999);
  });

  it('accumulates in float32 starting from the base margin, tree by tree', () => {
    const trees = [stump(0, 0, 0.1, 0.1), stump(0, 0, 1e-8, 1e-8), stump(0, 0, 0.3, 0.3)];
    const model = parseXGBoostModel(handModel(trees, { baseScore: '1E0' }));
    const f = Math.fround;
    const expected = f(f(f(1 + f(0.1)) + f(1e-8)) + f(0.3));
    expect(predictMargin(model, [1, 1, 1])[0]).toBe(expected);
    expect(expected).not.toBe(1 + f(0.1) + f(1e-8) + f(0.3));
  });

  it('reuses the caller buffer', () => {
    const model = parseXGBoostModel(handModel([stump(0, 0, -1, 1)]));
    const out = new Float64Array(1);
    expect(predictMargin(model, [1, 0, 0], out)).toBe(out);
    expect(predictGbdt(model, [1, 0, 0], out)).toBe(out);
    expect(() => predictMargin(model, [1, 0])).toThrow(/needs 3/);
  });
});

describe('base_score per objective', () => {
  const f = Math.fround;
  const oneStump = [stump(0, 0, 0, 0)];

  it('reg:squarederror (and reg:linear) add base_score as is', () => {
    for (const objective of ['reg:squarederror', 'reg:linear', 'reg:absoluteerror']) {
      const model = parseXGBoostModel(handModel(oneStump, { objective, baseScore: '2.5E-1' }));
      expect(model.baseMargin[0]).toBe(0.25);
      expect(predictGbdt(model, [1, 1, 1])[0]).toBe(0.25);
    }
  });

  it('logistic objectives start from logit(base_score) and apply a sigmoid', () => {
    for (const objective of ['binary:logistic', 'reg:logistic']) {
      const model = parseXGBoostModel(handModel(oneStump, { objective, baseScore: '3E-1' }));
      expect(model.baseMargin[0]).toBe(f(-Math.log(f(f(1 / f(0.3)) - 1))));
      expect(predictGbdt(model, [1, 1, 1])[0]).toBeCloseTo(0.3, 6);
    }
    const raw = parseXGBoostModel(handModel(oneStump, { objective: 'binary:logitraw', baseScore: '3E-1' }));
    expect(predictGbdt(raw, [1, 1, 1])[0]).toBe(f(0.3));
    expect(() => parseXGBoostModel(handModel(oneStump, { objective: 'binary:logistic', baseScore: '1E0' }))).toThrow(
      /learner_model_param\.base_score: must be in \(0, 1\)/,
    );
  });

  it('accepts XGBoost 3 vector base_score and per-class values', () => {
    const scalar = parseXGBoostModel(handModel(oneStump, { baseScore: '[5E-1]' }));
    expect(Array.from(scalar.baseMargin)).toEqual([0.5]);
    const trees = [stump(0, 0, 0, 0), stump(0, 0, 0, 0), stump(0, 0, 0, 0)];
    const multi = parseXGBoostModel(
      handModel(trees, { objective: 'multi:softprob', numClass: 3, treeInfo: [0, 1, 2], baseScore: '[1E-1,2E-1,3E-1]' }),
    );
    expect(Array.from(multi.baseMargin)).toEqual([f(0.1), f(0.2), f(0.3)]);
    expect(() => parseXGBoostModel(handModel(trees, { objective: 'multi:softprob', numClass: 3, treeInfo: [0, 1, 2], baseScore: '[1E-1,2E-1]' }))).toThrow(
      /base_score: has 2 values, expected 1 or 3/,
    );
  });

  it('multi-class: tree_info routes each tree to its class and softmax normalises', () => {
    const trees = [stump(0, 0, -1, 1), stump(0, 0, 2, -2), stump(1, 0, 0.5, 0.25), stump(0, 0, -1, 1)];
    const model = parseXGBoostModel(handModel(trees, { objective: 'multi:softprob', numClass: 3, treeInfo: [0, 1, 2, 0] }));
    expect(model.numClass).toBe(3);
    const margins = predictMargin(model, [1, -1, 0]);
    expect(Array.from(margins)).toEqual([2.5, -1.5, 1]);
    const probs = predictGbdt(model, [1, -1, 0]);
    const z = Math.exp(2.5) + Math.exp(-1.5) + Math.exp(1);
    expect(probs[0]).toBeCloseTo(Math.exp(2.5) / z, 12);
    expect((probs[0] as number) + (probs[1] as number) + (probs[2] as number)).toBeCloseTo(1, 12);
  });
});
