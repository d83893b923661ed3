import type { GbdtModel } from '../../core/gbdt/gbdt-model.js';
import { predictGbdt } from '../../core/gbdt/predict-gbdt.js';

const PROB_EPS = 1e-15;

/**
 * Mean negative log-likelihood. With `numClass >= 2`, `probs` holds `n * numClass` class
 * probabilities (row-major) and `y` class indices; with `numClass === 1`, `probs[i]` is P(y = 1)
 * and `y` is in [0, 1]. Probabilities are clipped to [1e-15, 1 - 1e-15].
 */
export function logLoss(probs: ArrayLike<number>, y: ArrayLike<number>, numClass: number): number {
  const n = y.length;
  if (n === 0) return Number.NaN;
  const clip = (p: number): number => Math.min(1 - PROB_EPS, Math.max(PROB_EPS, p));
  let sum = 0;
  if (numClass === 1) {
    for (let i = 0; i < n; i++) {
      const p = clip(probs[i] as number);
      const t = y[i] as number;
      sum -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
    }
  } else {
    for (let i = 0; i < n; i++) sum -= Math.log(clip(probs[i * numClass + (y[i] as number)] as number));
  }
  return sum / n;
}

/** Root mean squared error between predictions and targets. */
export function rmse(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = y.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = (pred[i] as number) - (y[i] as number);
    sum += d * d;
  }
  return Math.sqrt(sum / n);
}

/**
 * Transformed predictions of the core for a row-major `n * f` matrix: `n * model.numClass`
 * values (class probabilities, a probability, or the regression value per row).
 */
export function predictDataset(model: GbdtModel, x: Float32Array, n: number): Float64Array {
  const f = model.numFeature;
  if (x.length !== n * f) throw new RangeError(`predictDataset: x has ${x.length} values, expected ${n} * ${f}`);
  const k = model.numClass;
  const out = new Float64Array(n * k);
  const row = new Float64Array(f);
  const buf = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < f; j++) row[j] = x[r * f + j] as number;
    predictGbdt(model, row, buf);
    out.set(buf, r * k);
  }
  return out;
}
