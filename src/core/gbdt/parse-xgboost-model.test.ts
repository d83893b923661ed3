import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../errors/gateway-error.js';
import { handModel, stump } from './__fixtures__/hand-model.js';
import { assertFeatureSchema } from './assert-feature-schema.js';
import { parseXGBoostModel } from './parse-xgboost-model.js';

type Json = Record<string, unknown>;

/** Mutable access to the first tree of a hand model. */
function firstTree(model: Json, index = 0): Json {
  const learner = model['learner'] as Json;
  const booster = learner['gradient_booster'] as Json;
  return ((booster['model'] as Json)['trees'] as Json[])[index] as Json;
}

function expectInvalid(json: unknown, message: RegExp): void {
  try {
    parseXGBoostModel(json);
  } catch (err) {
    expect(isGatewayError(err)).toBe(true);
    expect((err as { code: string }).code).toBe('routing_artifact_invalid');
    expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected parseXGBoostModel to throw');
}

const TREES = 'gbdt\\.learner\\.gradient_booster\\.model\\.trees';

describe('parseXGBoostModel', () => {
  it('flattens trees into typed arrays with global child ids', () => {
    const model = parseXGBoostModel(handModel([stump(0, 1, -1, 1), stump(2, 0.5, 3, 4, false)], { featureNames: ['a', 'b', 'c'] }));
    expect(model.numTrees).toBe(2);
    expect(Array.from(model.treeOffset)).toEqual([0, 3, 6]);
    expect(Array.from(model.left)).toEqual([1, -1, -1, 4, -1, -1]);
    expect(Array.from(model.right)).toEqual([2, -1, -1, 5, -1, -1]);
    expect(Array.from(model.splitIndex)).toEqual([0, 0, 0, 2, 0, 0]);
    expect(Array.from(model.defaultLeft)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(model.leafValue)).toEqual([0, -1, 1, 0, 3, 4]);
    expect(model.threshold).toBeInstanceOf(Float32Array);
    expect(model.featureNames).toEqual(['a', 'b', 'c']);
    expect(model.objective).toBe('reg:squarederror');
  });

  it('treats empty feature_names as "no names"', () => {
    expect(parseXGBoostModel(handModel([stump(0, 1, -1, 1)])).featureNames).toBeNull();
  });

  it('accepts boolean default_left (newer writers)', () => {
    const json = handModel([stump(0, 1, -1, 1)]);
    firstTree(json)['default_left'] = [false, false, false];
    expect(parseXGBoostModel(json).defaultLeft[0]).toBe(0);
  });

  it('rejects mismatched array lengths, naming the array', () => {
    const json = handModel([stump(0, 1, -1, 1), stump(0, 1, -1, 1), stump(0, 1, -1, 1), stump(0, 1, -1, 1)]);
    firstTree(json, 3)['right_children'] = [2, -1];
    expectInvalid(json, new RegExp(`^${TREES}\\[3\\]\\.right_children: has 2 entries, expected 3`));
  });

  it('rejects out-of-range children', () => {
    const json = handModel([stump(0, 1, -1, 1)]);
    firstTree(json)['left_children'] = [7, -1, -1];
    expectInvalid(json, new RegExp(`^${TREES}\\[0\\]\\.left_children\\[0\\]: child index 7 out of range`));
  });

  it('rejects cycles and shared children', () => {
    const cycle = handModel([{ left: [1, 0, -1], right: [2, 2, -1], feature: [0, 0, 0], cond: [0, 0, 1], defaultLeft: [0, 0, 0] }]);
    expectInvalid(cycle, /trees\[0\]\.(left|right)_children\[\d\]: node \d is reached twice/);
    const shared = handModel([{ left: [1, -1, -1], right: [1, -1, -1], feature: [0, 0, 0], cond: [0, 0, 1], defaultLeft: [0, 0, 0] }]);
    expectInvalid(shared, /trees\[0\]\.right_children\[0\]: node 1 is reached twice/);
  });

  it('rejects a node with a single child', () => {
    const json = handModel([{ left: [1, -1, -1], right: [-1, -1, -1], feature: [0, 0, 0], cond: [0, 0, 1], defaultLeft: [0, 0, 0] }]);
    expectInvalid(json, /trees\[0\]\.right_children\[0\]: a node has exactly one child/);
  });

  it('rejects split indices beyond num_feature', () => {
    expectInvalid(handModel([stump(3, 1, -1, 1)]), /trees\[0\]\.split_indices\[0\]: split index 3 out of range \[0, 3\)/);
  });

  it('rejects categorical splits, saying they are unsupported', () => {
    const json = handModel([stump(0, 1, -1, 1)]);
    firstTree(json)['split_type'] = [1, 0, 0];
    expectInvalid(json, /trees\[0\]\.split_type\[0\]: categorical splits are not supported/);
    const withCats = handModel([stump(0, 1, -1, 1)]);
    firstTree(withCats)['categories_nodes'] = [0];
    expectInvalid(withCats, /trees\[0\]\.categories_nodes: categorical splits are not supported/);
  });

  it('rejects dart, gblinear, unknown objectives and multi-target models', () => {
    const dart = handModel([stump(0, 1, -1, 1)]);
    ((dart['learner'] as Json)['gradient_booster'] as Json)['name'] = 'dart';
    expectInvalid(dart, /^gbdt\.learner\.gradient_booster\.name: the dart booster is not supported/);
    const linear = handModel([stump(0, 1, -1, 1)]);
    ((linear['learner'] as Json)['gradient_booster'] as Json)['name'] = 'gblinear';
    expectInvalid(linear, /gradient_booster\.name: unsupported booster "gblinear"/);
    expectInvalid(handModel([stump(0, 1, -1, 1)], { objective: 'rank:pairwise' }), /^gbdt\.learner\.objective\.name: unsupported objective "rank:pairwise"/);
    const vectorLeaf = handModel([stump(0, 1, -1, 1)]);
    (firstTree(vectorLeaf)['tree_param'] as Json)['size_leaf_vector'] = '3';
    expectInvalid(vectorLeaf, /tree_param\.size_leaf_vector: multi-target/);
  });

  it('rejects inconsistent counts and classes', () => {
    expectInvalid(handModel([stump(0, 1, -1, 1)], { treeInfo: [1] }), /model\.tree_info\[0\]: class index 1 out of range \[0, 1\)/);
    expectInvalid(handModel([stump(0, 1, -1, 1)], { treeInfo: [0, 0] }), /model\.tree_info: has 2 entries but there are 1 trees/);
    expectInvalid(handModel([stump(0, 1, -1, 1)], { objective: 'multi:softprob', numClass: 1 }), /num_class: multi:softprob needs num_class >= 2/);
    expectInvalid(handModel([stump(0, 1, -1, 1)], { featureNames: ['a', 'b'] }), /feature_names: has 2 names but num_feature is 3/);
    const badCount = handModel([stump(0, 1, -1, 1)]);
    (firstTree(badCount)['tree_param'] as Json)['num_nodes'] = '5';
    expectInvalid(badCount, /tree_param\.num_nodes: says 5/);
    expectInvalid({ learner: 3 }, /^gbdt\.learner: expected an object/);
    expectInvalid(null, /^gbdt: expected a JSON object/);
  });

  it('leaves unreachable (deleted) nodes inert', () => {
    const json = handModel([{ left: [1, -1, -1, 99], right: [2, -1, -1, 99], feature: [0, 0, 0, 42], cond: [0, -1, 1, 0], defaultLeft: [0, 0, 0, 0] }]);
    const model = parseXGBoostModel(json);
    expect(model.left[3]).toBe(-1);
  });
});

describe('assertFeatureSchema', () => {
  const named = parseXGBoostModel(handModel([stump(0, 1, -1, 1)], { featureNames: ['len', 'code', 'math'] }));
  const anonymous = parseXGBoostModel(handModel([stump(0, 1, -1, 1)]));

  it('accepts the same names in the same order', () => {
    expect(() => assertFeatureSchema(named, ['len', 'code', 'math'])).not.toThrow();
    expect(() => assertFeatureSchema(anonymous, ['x', 'y', 'z'])).not.toThrow();
  });

  it('names the first difference', () => {
    expect(() => assertFeatureSchema(named, ['len', 'math', 'code'])).toThrow(/feature_names\[1\]: model has "code", the feature extractor has "math"/);
    expect(() => assertFeatureSchema(named, ['len', 'code'])).toThrow(/num_feature: model has 3 features, the feature extractor has 2; first missing feature is "math"/);
    expect(() => assertFeatureSchema(named, ['len', 'code', 'math', 'new'])).toThrow(/first extra feature is "new"/);
    expect(() => assertFeatureSchema(anonymous, ['x', 'y'])).toThrow(/num_feature: model has 3 features, the feature extractor has 2$/);
  });
});
