import { GatewayError } from '../../errors/gateway-error.js';
import { OBJECTIVE_LINKS, type GbdtModel } from './gbdt-model.js';
import { PACK_BLOCK, type PackedGbdt } from './pack-gbdt.js';

// Reused across calls: the hot path allocates nothing here.
let rowScratch = new Float32Array(128);

function checkShapes(model: GbdtModel, features: ArrayLike<number>, out: Float64Array): void {
  if (features.length < model.numFeature) {
    throw new GatewayError('gateway_internal', `gbdt: got ${features.length} features, the model needs ${model.numFeature}`);
  }
  if (out.length < model.numClass) {
    throw new GatewayError('gateway_internal', `gbdt: output buffer holds ${out.length} values, the model writes ${model.numClass}`);
  }
}

/**
 * Raw margins of one row, one per output group, with XGBoost's exact semantics: each feature is
 * rounded to float32, a node sends the row left when `value < threshold` and NaN (missing) to
 * its default side, and the margin starts at the base margin and accumulates leaf values in
 * float32, tree by tree, as XGBoost's CPU predictor does. Allocation-free when `out` is given.
 */
export function predictMargin(model: GbdtModel, features: ArrayLike<number>, out?: Float64Array): Float64Array {
  const result = out ?? new Float64Array(model.numClass);
  checkShapes(model, features, result);
  // Rounded to float32 once per row, not once per visited node (hundreds of trees visit each feature).
  // One slot more: the packed walk's leaves compare that sentinel, always 0, with +Infinity.
  if (rowScratch.length <= model.numFeature) rowScratch = new Float32Array(model.numFeature + 1);
  const row = rowScratch;
  let missing = false;
  for (let f = 0; f < model.numFeature; f++) {
    const value = features[f] as number;
    if (value !== value) missing = true;
    row[f] = value;
  }
  row[model.numFeature] = 0;
  for (let c = 0; c < model.numClass; c++) result[c] = model.baseMargin[c] as number;
  // The packed walk sends NaN left at every split; rows with a missing value need each node's default.
  if (model.packed !== undefined && !missing) walkPacked(model.packed, model.treeGroup, row, result);
  else walkNodes(model, row, result);
  return result;
}

/** One node at a time, honouring `default_left` for missing values. */
function walkNodes(model: GbdtModel, row: Float32Array, result: Float64Array): void {
  const { left, right, splitIndex, threshold, defaultLeft, leafValue, treeOffset, treeGroup } = model;
  const fround = Math.fround;
  for (let t = 0; t < model.numTrees; t++) {
    let node = treeOffset[t] as number;
    let l = left[node] as number;
    while (l >= 0) {
      const value = row[splitIndex[node] as number] as number;
      if (value !== value) {
        node = defaultLeft[node] === 1 ? l : (right[node] as number);
      } else {
        node = value < (threshold[node] as number) ? l : (right[node] as number);
      }
      l = left[node] as number;
    }
    const g = treeGroup[t] as number;
    result[g] = fround((result[g] as number) + (leafValue[node] as number));
  }
}

/**
 * Four trees at a time, a fixed number of steps each (see {@link PackedGbdt}); the leaves are still
 * added in tree order, so the float32 sums are XGBoost's to the bit. A row without NaN only: for
 * a non-missing value, going right exactly when `!(x < threshold)` is `x >= threshold`.
 */
function walkPacked(p: PackedGbdt, treeGroup: Int32Array, row: Float32Array, result: Float64Array): void {
  const { root, child, feature, threshold, leaf, blockDepth } = p;
  const fround = Math.fround;
  const numTrees = root.length;
  const fullBlocks = Math.floor(numTrees / PACK_BLOCK);
  for (let b = 0; b < fullBlocks; b++) {
    const t = b * PACK_BLOCK;
    let n0 = root[t] as number;
    let n1 = root[t + 1] as number;
    let n2 = root[t + 2] as number;
    let n3 = root[t + 3] as number;
    for (let d = blockDepth[b] as number; d > 0; d--) {
      // The comparison as a number added to the child id: no branch to mispredict.
      n0 = (child[n0] as number) + +((row[feature[n0] as number] as number) >= (threshold[n0] as number));
      n1 = (child[n1] as number) + +((row[feature[n1] as number] as number) >= (threshold[n1] as number));
      n2 = (child[n2] as number) + +((row[feature[n2] as number] as number) >= (threshold[n2] as number));
      n3 = (child[n3] as number) + +((row[feature[n3] as number] as number) >= (threshold[n3] as number));
    }
    let g = treeGroup[t] as number;
    result[g] = fround((result[g] as number) + (leaf[n0] as number));
    g = treeGroup[t + 1] as number;
    result[g] = fround((result[g] as number) + (leaf[n1] as number));
    g = treeGroup[t + 2] as number;
    result[g] = fround((result[g] as number) + (leaf[n2] as number));
    g = treeGroup[t + 3] as number;
    result[g] = fround((result[g] as number) + (leaf[n3] as number));
  }
  for (let t = fullBlocks * PACK_BLOCK; t < numTrees; t++) {
    let n = root[t] as number;
    for (let d = blockDepth[fullBlocks] as number; d > 0; d--) {
      n = (child[n] as number) + +((row[feature[n] as number] as number) >= (threshold[n] as number));
    }
    const g = treeGroup[t] as number;
    result[g] = fround((result[g] as number) + (leaf[n] as number));
  }
}

/** Applies the objective's prediction transform to margins in place (softmax over the first numClass). */
export function transformMargins(model: GbdtModel, margins: Float64Array): Float64Array {
  const k = model.numClass;
  switch (OBJECTIVE_LINKS[model.objective].transform) {
    case 'identity':
      return margins;
    case 'sigmoid':
      for (let c = 0; c < k; c++) margins[c] = 1 / (1 + Math.exp(-(margins[c] as number)));
      return margins;
    case 'exp':
      for (let c = 0; c < k; c++) margins[c] = Math.exp(margins[c] as number);
      return margins;
    case 'softmax': {
      let max = -Infinity;
      for (let c = 0; c < k; c++) if ((margins[c] as number) > max) max = margins[c] as number;
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp((margins[c] as number) - max);
        margins[c] = e;
        sum += e;
      }
      for (let c = 0; c < k; c++) margins[c] = (margins[c] as number) / sum;
      return margins;
    }
  }
}

/**
 * Predictions of one row: class probabilities (softmax) for `multi:*`, a probability for the
 * logistic objectives, the margin for `binary:logitraw` and regression, `exp(margin)` for the
 * log-link objectives. For `multi:softmax` this returns the probabilities whose arg-max XGBoost
 * would report.
 */
export function predictGbdt(model: GbdtModel, features: ArrayLike<number>, out?: Float64Array): Float64Array {
  return transformMargins(model, predictMargin(model, features, out));
}
