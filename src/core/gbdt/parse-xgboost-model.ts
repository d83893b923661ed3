import { GatewayError } from '../../errors/gateway-error.js';
import { GBDT_OBJECTIVES, OBJECTIVE_LINKS, type GbdtModel, type GbdtObjective, type ObjectiveLink } from './gbdt-model.js';
import { packGbdt } from './pack-gbdt.js';

const ROOT = 'gbdt';

function invalid(path: string, message: string): GatewayError {
  return new GatewayError('routing_artifact_invalid', `${path}: ${message}`);
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(parent: JsonObject, key: string, path: string): JsonObject {
  const value = parent[key];
  if (!isObject(value)) throw invalid(`${path}.${key}`, 'expected an object');
  return value;
}

function arrayAt(parent: JsonObject, key: string, path: string): readonly unknown[] {
  const value = parent[key];
  if (!Array.isArray(value)) throw invalid(`${path}.${key}`, 'expected an array');
  return value;
}

/** XGBoost writes integer parameters as strings ("3"); older or hand-written files use numbers. */
function intParam(value: unknown, path: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw invalid(path, 'expected a non-negative integer');
  return n;
}

function optionalIntParam(parent: JsonObject, key: string, path: string, fallback: number): number {
  return parent[key] === undefined ? fallback : intParam(parent[key], `${path}.${key}`);
}

/**
 * `base_score` is "5E-1" up to XGBoost 2.x and "[5E-1]" (or one value per class) from 3.0; numbers
 * and arrays are accepted too.
 */
function parseBaseScore(value: unknown, path: string): number[] {
  let raw: unknown = value;
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('[')) {
      if (!text.endsWith(']')) throw invalid(path, `cannot parse ${JSON.stringify(raw)}`);
      const inner = text.slice(1, -1).trim();
      raw = inner === '' ? [] : inner.split(',').map((part) => part.trim());
    } else {
      raw = [text];
    }
  } else if (typeof raw === 'number') {
    raw = [raw];
  }
  if (!Array.isArray(raw) || raw.length === 0) throw invalid(path, 'expected a number, a numeric string or a list of them');
  return raw.map((item: unknown) => {
    const n = typeof item === 'string' && item !== '' ? Number(item) : item;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid(path, `cannot parse ${JSON.stringify(value)}`);
    return n;
  });
}

/**
 * The float32 margin XGBoost derives from `base_score` (its `ProbToMargin`, computed in float as
 * XGBoost does in C++). Exported so a trainer starts from exactly the margin the core will use.
 */
export function baseScoreToMargin(baseScore: number, link: ObjectiveLink, path = `${ROOT}.learner.learner_model_param.base_score`): number {
  const f = Math.fround;
  const bs = f(baseScore);
  switch (link.baseToMargin) {
    case 'identity':
      return bs;
    case 'logit':
      if (!(bs > 0 && bs < 1)) throw invalid(path, `must be in (0, 1) for a logistic objective, got ${baseScore}`);
      return f(-Math.log(f(f(1 / bs) - 1)));
    case 'log':
      if (!(bs > 0)) throw invalid(path, `must be positive for a log-link objective, got ${baseScore}`);
      return f(Math.log(bs));
  }
}

function isObjective(name: string): name is GbdtObjective {
  return (GBDT_OBJECTIVES as readonly string[]).includes(name);
}

/** One validated tree, tree-local ids. */
interface ParsedTree {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly splitIndex: Int32Array;
  readonly threshold: Float32Array;
  readonly defaultLeft: Uint8Array;
  readonly leafValue: Float32Array;
}

function numericArray(tree: JsonObject, key: string, path: string, length: number | undefined): readonly unknown[] {
  const arr = arrayAt(tree, key, path);
  if (length !== undefined && arr.length !== length) {
    throw invalid(`${path}.${key}`, `has ${arr.length} entries, expected ${length} (one per node)`);
  }
  return arr;
}

function parseTree(raw: unknown, path: string, numFeature: number): ParsedTree {
  if (!isObject(raw)) throw invalid(path, 'expected an object');
  const lefts = numericArray(raw, 'left_children', path, undefined);
  const n = lefts.length;
  if (n === 0) throw invalid(`${path}.left_children`, 'a tree needs at least one node');
  const rights = numericArray(raw, 'right_children', path, n);
  const splits = numericArray(raw, 'split_indices', path, n);
  const conds = numericArray(raw, 'split_conditions', path, n);
  const defaults = numericArray(raw, 'default_left', path, n);

  const tparam = raw['tree_param'];
  if (tparam !== undefined) {
    if (!isObject(tparam)) throw invalid(`${path}.tree_param`, 'expected an object');
    const numNodes = optionalIntParam(tparam, 'num_nodes', `${path}.tree_param`, n);
    if (numNodes !== n) throw invalid(`${path}.tree_param.num_nodes`, `says ${numNodes} but the node arrays have ${n} entries`);
    const leafVector = optionalIntParam(tparam, 'size_leaf_vector', `${path}.tree_param`, 0);
    if (leafVector > 1) throw invalid(`${path}.tree_param.size_leaf_vector`, 'multi-target (vector-leaf) trees are not supported');
  }
  const splitType = raw['split_type'];
  const catNodes = raw['categories_nodes'];
  if (Array.isArray(catNodes) && catNodes.length > 0) {
    throw invalid(`${path}.categories_nodes`, 'categorical splits are not supported; train with numeric (one-hot) features');
  }
  if (splitType !== undefined && !Array.isArray(splitType)) throw invalid(`${path}.split_type`, 'expected an array');

  const tree: ParsedTree = {
    left: new Int32Array(n),
    right: new Int32Array(n),
    splitIndex: new Int32Array(n),
    threshold: new Float32Array(n),
    defaultLeft: new Uint8Array(n),
    leafValue: new Float32Array(n),
  };
  // Nodes the root cannot reach (XGBoost keeps pruned nodes as "deleted") stay inert leaves.
  tree.left.fill(-1);
  tree.right.fill(-1);
  const visited = new Uint8Array(n);
  // Explicit stack: a hostile artifact must not be able to blow the JS stack.
  const stack: number[] = [0];
  visited[0] = 1;
  while (stack.length > 0) {
    const i = stack.pop() as number;
    const l = lefts[i];
    const r = rights[i];
    const cond = conds[i];
    if (typeof cond !== 'number' || !Number.isFinite(cond)) throw invalid(`${path}.split_conditions[${i}]`, 'expected a finite number');
    if (l === -1 || r === -1) {
      if (l !== r) throw invalid(`${path}.${l === -1 ? 'left_children' : 'right_children'}[${i}]`, 'a node has exactly one child (this side is -1)');
      tree.left[i] = -1;
      tree.right[i] = -1;
      tree.leafValue[i] = cond;
      continue;
    }
    for (const [key, child] of [['left_children', l], ['right_children', r]] as const) {
      if (typeof child !== 'number' || !Number.isInteger(child) || child < 0 || child >= n) {
        throw invalid(`${path}.${key}[${i}]`, `child index ${String(child)} out of range [0, ${n})`);
      }
      if (visited[child] === 1) throw invalid(`${path}.${key}[${i}]`, `node ${child} is reached twice (cycle or shared child)`);
      visited[child] = 1;
      stack.push(child);
    }
    const feature = splits[i];
    if (typeof feature !== 'number' || !Number.isInteger(feature) || feature < 0 || feature >= numFeature) {
      throw invalid(`${path}.split_indices[${i}]`, `split index ${String(feature)} out of range [0, ${numFeature}) (num_feature)`);
    }
    if (Array.isArray(splitType) && splitType[i] !== undefined && splitType[i] !== 0) {
      throw invalid(`${path}.split_type[${i}]`, 'categorical splits are not supported; train with numeric (one-hot) features');
    }
    const dl = defaults[i];
    if (dl !== 0 && dl !== 1 && dl !== true && dl !== false) throw invalid(`${path}.default_left[${i}]`, 'expected 0, 1 or a boolean');
    tree.left[i] = l as number;
    tree.right[i] = r as number;
    tree.splitIndex[i] = feature;
    tree.threshold[i] = cond;
    tree.defaultLeft[i] = dl === 1 || dl === true ? 1 : 0;
  }
  return tree;
}

/**
 * Parses and validates the JSON that XGBoost's `Booster.save_model('m.json')` writes (XGBoost
 * 1.6 to 3.x, `gbtree` booster, numeric splits). Anything malformed or unsupported throws a
 * `routing_artifact_invalid` GatewayError whose message starts with the offending JSON path.
 */
export function parseXGBoostModel(json: unknown): GbdtModel {
  if (!isObject(json)) throw invalid(ROOT, 'expected a JSON object');
  const learnerPath = `${ROOT}.learner`;
  const learner = objectAt(json, 'learner', ROOT);

  const objPath = `${learnerPath}.objective`;
  const objective = objectAt(learner, 'objective', learnerPath);
  const objectiveName = objective['name'];
  if (typeof objectiveName !== 'string' || !isObjective(objectiveName)) {
    throw invalid(`${objPath}.name`, `unsupported objective ${JSON.stringify(objectiveName)} (supported: ${GBDT_OBJECTIVES.join(', ')})`);
  }
  const link = OBJECTIVE_LINKS[objectiveName];

  const paramPath = `${learnerPath}.learner_model_param`;
  const param = objectAt(learner, 'learner_model_param', learnerPath);
  const numFeature = intParam(param['num_feature'], `${paramPath}.num_feature`);
  if (numFeature === 0) throw invalid(`${paramPath}.num_feature`, 'must be at least 1');
  const declaredClasses = optionalIntParam(param, 'num_class', paramPath, 0);
  const numTarget = optionalIntParam(param, 'num_target', paramPath, 1);
  if (numTarget > 1) throw invalid(`${paramPath}.num_target`, 'multi-target models are not supported');
  const multiClass = link.transform === 'softmax';
  if (multiClass && declaredClasses < 2) throw invalid(`${paramPath}.num_class`, `${objectiveName} needs num_class >= 2`);
  if (!multiClass && declaredClasses > 1) throw invalid(`${paramPath}.num_class`, `${objectiveName} is not a multi-class objective`);
  const numClass = multiClass ? declaredClasses : 1;

  const baseScorePath = `${paramPath}.base_score`;
  const baseScores = param['base_score'] === undefined ? [0.5] : parseBaseScore(param['base_score'], baseScorePath);
  if (baseScores.length !== 1 && baseScores.length !== numClass) {
    throw invalid(baseScorePath, `has ${baseScores.length} values, expected 1 or ${numClass}`);
  }
  const baseMargin = new Float64Array(numClass);
  for (let c = 0; c < numClass; c++) {
    baseMargin[c] = baseScoreToMargin(baseScores[baseScores.length === 1 ? 0 : c] as number, link, baseScorePath);
  }

  let featureNames: string[] | null = null;
  if (learner['feature_names'] !== undefined) {
    const names = arrayAt(learner, 'feature_names', learnerPath);
    if (names.length > 0) {
      if (names.length !== numFeature) {
        throw invalid(`${learnerPath}.feature_names`, `has ${names.length} names but num_feature is ${numFeature}`);
      }
      featureNames = names.map((name, i) => {
        if (typeof name !== 'string') throw invalid(`${learnerPath}.feature_names[${i}]`, 'expected a string');
        return name;
      });
    }
  }

  const boosterPath = `${learnerPath}.gradient_booster`;
  const booster = objectAt(learner, 'gradient_booster', learnerPath);
  const boosterName = booster['name'];
  if (boosterName === 'dart') throw invalid(`${boosterPath}.name`, 'the dart booster is not supported; train with booster=gbtree');
  if (boosterName !== 'gbtree') throw invalid(`${boosterPath}.name`, `unsupported booster ${JSON.stringify(boosterName)} (only gbtree)`);
  const modelPath = `${boosterPath}.model`;
  const model = objectAt(booster, 'model', boosterPath);
  const rawTrees = arrayAt(model, 'trees', modelPath);
  const treeInfo = arrayAt(model, 'tree_info', modelPath);
  if (treeInfo.length !== rawTrees.length) {
    throw invalid(`${modelPath}.tree_info`, `has ${treeInfo.length} entries but there are ${rawTrees.length} trees`);
  }
  const gbParam = model['gbtree_model_param'];
  if (isObject(gbParam)) {
    const declaredTrees = optionalIntParam(gbParam, 'num_trees', `${modelPath}.gbtree_model_param`, rawTrees.length);
    if (declaredTrees !== rawTrees.length) {
      throw invalid(`${modelPath}.gbtree_model_param.num_trees`, `says ${declaredTrees} but there are ${rawTrees.length} trees`);
    }
  }

  const numTrees = rawTrees.length;
  const treeGroup = new Int32Array(numTrees);
  const treeOffset = new Int32Array(numTrees + 1);
  const parsed: ParsedTree[] = [];
  for (let t = 0; t < numTrees; t++) {
    const group = treeInfo[t];
    if (typeof group !== 'number' || !Number.isInteger(group) || group < 0 || group >= numClass) {
      throw invalid(`${modelPath}.tree_info[${t}]`, `class index ${String(group)} out of range [0, ${numClass})`);
    }
    treeGroup[t] = group;
    const tree = parseTree(rawTrees[t], `${modelPath}.trees[${t}]`, numFeature);
    parsed.push(tree);
    treeOffset[t + 1] = (treeOffset[t] as number) + tree.left.length;
  }

  const numNodes = treeOffset[numTrees] as number;
  const left = new Int32Array(numNodes);
  const right = new Int32Array(numNodes);
  const splitIndex = new Int32Array(numNodes);
  const threshold = new Float32Array(numNodes);
  const defaultLeft = new Uint8Array(numNodes);
  const leafValue = new Float32Array(numNodes);
  for (let t = 0; t < numTrees; t++) {
    const tree = parsed[t] as ParsedTree;
    const base = treeOffset[t] as number;
    for (let i = 0; i < tree.left.length; i++) {
      const l = tree.left[i] as number;
      left[base + i] = l < 0 ? -1 : base + l;
      const r = tree.right[i] as number;
      right[base + i] = r < 0 ? -1 : base + r;
    }
    splitIndex.set(tree.splitIndex, base);
    threshold.set(tree.threshold, base);
    defaultLeft.set(tree.defaultLeft, base);
    leafValue.set(tree.leafValue, base);
  }

  const packed = packGbdt({ numFeature, numTrees, treeOffset, left, right, splitIndex, threshold, leafValue });
  return {
    objective: objectiveName,
    numClass,
    numFeature,
    featureNames,
    baseMargin,
    numTrees,
    treeOffset,
    treeGroup,
    left,
    right,
    splitIndex,
    threshold,
    defaultLeft,
    leafValue,
    ...(packed === undefined ? {} : { packed }),
  };
}
