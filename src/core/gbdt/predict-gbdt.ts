import { GatewayError } from '../../errors/gateway-error.js';
import { OBJECTIVE_LINKS, type GbdtModel } from './gbdt-model.js';

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
  const { left, right, splitIndex, threshold, defaultLeft, leafValue, treeOffset, treeGroup, baseMargin } = model;
  const fround = Math.fround;
  // Rounded to float32 once per row, not once per visited node (hundreds of trees visit each feature).
  if (rowScratch.length < model.numFeature) rowScratch = new Float32Array(model.numFeature);
  const row = rowScratch;
  for (let f = 0; f < model.numFeature; f++) row[f] = features[f] as number;
  for (let c = 0; c < model.numClass; c++) result[c] = baseMargin[c] as number;
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
  return result;
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
