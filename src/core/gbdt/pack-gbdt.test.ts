import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handModel, type HandTree } from './__fixtures__/hand-model.js';
import type { GbdtModel } from './gbdt-model.js';
import { PACK_MAX_DEPTH, packGbdt } from './pack-gbdt.js';
import { parseXGBoostModel } from './parse-xgboost-model.js';
import { predictMargin } from './predict-gbdt.js';

const NUM_FEATURE = 4;
// Few distinct thresholds, so that rows often hit one exactly (the `<` against `>=` boundary).
const THRESHOLDS = [-1, -0.5, 0, Math.fround(0.1), 0.5, 2];

/** A random tree of up to `maxDepth`, numbered depth-first (not breadth-first, as packing needs). */
function treeArb(maxDepth: number): fc.Arbitrary<HandTree> {
  const shape: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      fc.float({ min: -4, max: 4, noNaN: true }),
      fc.tuple(fc.nat(NUM_FEATURE - 1), fc.constantFrom(...THRESHOLDS), fc.boolean(), tie('node'), tie('node')),
    ),
  })).node;
  return shape.map((root) => {
    const t = { left: [] as number[], right: [] as number[], feature: [] as number[], cond: [] as number[], defaultLeft: [] as number[] };
    const emit = (node: unknown): number => {
      const id = t.left.length;
      t.left.push(-1);
      t.right.push(-1);
      t.feature.push(0);
      t.defaultLeft.push(0);
      if (typeof node === 'number') {
        t.cond.push(node);
        return id;
      }
      const [feature, threshold, defaultLeft, l, r] = node as [number, number, boolean, unknown, unknown];
      t.cond.push(threshold);
      t.feature[id] = feature;
      t.defaultLeft[id] = defaultLeft ? 1 : 0;
      t.left[id] = emit(l);
      t.right[id] = emit(r);
      return id;
    };
    emit(root);
    return t;
  });
}

const valueArb = fc.oneof(
  fc.constantFrom(...THRESHOLDS),
  fc.double({ min: -3, max: 3, noNaN: true }),
  fc.constantFrom(Infinity, -Infinity, -0, 1e40, -1e40, 0.1),
);

const modelArb = fc.tuple(fc.array(treeArb(6), { minLength: 1, maxLength: 11 }), fc.boolean()).map(([trees, multi]) =>
  parseXGBoostModel(
    handModel(trees, multi ? { objective: 'multi:softprob', numClass: 3, numFeature: NUM_FEATURE, treeInfo: trees.map((_, i) => i % 3) } : { numFeature: NUM_FEATURE }),
  ),
);

/** The same model without its packed layout: predictions take the node-by-node walk. */
function unpacked(model: GbdtModel): GbdtModel {
  const { packed: _packed, ...rest } = model;
  return rest;
}

describe('packGbdt', () => {
  it('predicts exactly what the node-by-node walk predicts, for any tree shape and row', () => {
    fc.assert(
      fc.property(modelArb, fc.array(fc.array(valueArb, { minLength: NUM_FEATURE, maxLength: NUM_FEATURE }), { minLength: 1, maxLength: 8 }), (model, rows) => {
        expect(model.packed).toBeDefined();
        const plain = unpacked(model);
        for (const row of rows) {
          const a = predictMargin(model, row);
          const b = predictMargin(plain, row);
          expect(Array.from(a)).toEqual(Array.from(b));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a leaf where it is when a feature is +Infinity (the leaves compare a sentinel, not a feature)', () => {
    // Root splits feature 0 at 0: +Infinity goes right to a leaf; a leaf that compared feature 0
    // against its +Infinity threshold would step off it.
    const tree: HandTree = { left: [1, -1, -1], right: [2, -1, -1], feature: [0, 0, 0], cond: [0, -3, 7], defaultLeft: [0, 0, 0] };
    const deeper: HandTree = { left: [1, 3, -1, -1, -1], right: [2, 4, -1, -1, -1], feature: [1, 0, 0, 0, 0], cond: [0, 0, 5, 1, 2], defaultLeft: [0, 0, 0, 0, 0] };
    const model = parseXGBoostModel(handModel([tree, deeper], { baseScore: '0E0', numFeature: NUM_FEATURE }));
    expect(model.packed).toBeDefined();
    // Tree 1: +Inf >= 0 -> leaf 7. Tree 2: feature 1 = -1 < 0 -> node 1; feature 0 = +Inf -> leaf 2 (one step short of the block's depth).
    expect(predictMargin(model, [Infinity, -1, 0, 0])[0]).toBe(9);
    expect(predictMargin(unpacked(model), [Infinity, -1, 0, 0])[0]).toBe(9);
  });

  it('sends a row with a missing value to each node’s default side (the node-by-node walk)', () => {
    const tree: HandTree = { left: [1, -1, -1], right: [2, -1, -1], feature: [2, 0, 0], cond: [0, -1, 1], defaultLeft: [0, 0, 0] };
    const model = parseXGBoostModel(handModel([tree], { baseScore: '0E0', numFeature: NUM_FEATURE }));
    expect(model.packed).toBeDefined();
    // NaN goes right here (default_left 0), where `NaN >= 0` alone would have sent it left.
    expect(predictMargin(model, [0, 0, Number.NaN, 0])[0]).toBe(1);
  });

  it('lays children side by side, breadth first, and leaves deep trees unpacked', () => {
    const model = parseXGBoostModel(handModel([{ left: [1, 3, -1, -1, -1], right: [2, 4, -1, -1, -1], feature: [0, 1, 0, 0, 0], cond: [0, 0, 5, 1, 2], defaultLeft: [0, 0, 0, 0, 0] }], { numFeature: NUM_FEATURE }));
    const packed = packGbdt(model);
    // Breadth first: root 0, its children 1 (split) and 2 (leaf 5), then 3 and 4 (leaves 1, 2).
    expect(Array.from(packed?.child ?? [])).toEqual([1, 3, 2, 3, 4]);
    expect(Array.from(packed?.leaf ?? [])).toEqual([0, 0, 5, 1, 2]);
    expect(Array.from(packed?.blockDepth ?? [])).toEqual([2]);

    const depth = PACK_MAX_DEPTH + 1;
    const n = 2 * depth + 1;
    const l = new Array<number>(n).fill(-1);
    const r = new Array<number>(n).fill(-1);
    const c = new Array<number>(n).fill(0);
    for (let i = 0; i < depth; i++) {
      l[2 * i] = 2 * i + 1;
      r[2 * i] = 2 * i + 2;
      c[2 * i] = i;
      c[2 * i + 1] = i;
    }
    const chain = parseXGBoostModel(handModel([{ left: l, right: r, feature: new Array<number>(n).fill(0), cond: c, defaultLeft: new Array<number>(n).fill(0) }], { baseScore: '0E0', numFeature: NUM_FEATURE }));
    expect(chain.packed).toBeUndefined();
    expect(predictMargin(chain, [3.5, 0, 0, 0])[0]).toBe(4);
  });
});
