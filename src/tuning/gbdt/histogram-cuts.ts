/**
 * Per-feature histogram bins in the style of XGBoost's `tree_method=hist`: each feature's bins are
 * delimited by float32 cut values, bin `b` holds values in `[cut[b-1], cut[b])`, so a split "after
 * bin b" is exactly the XGBoost test `x < cut[b]` and the thresholds written to the model route
 * training rows the same way the histograms counted them.
 */
export interface HistogramCuts {
  /** Feature `j` owns cuts `cutPtr[j] .. cutPtr[j + 1] - 1` (one cut per bin, ascending). */
  readonly cutPtr: Int32Array;
  readonly cuts: Float32Array;
  /** Below every value of the feature: the threshold that sends all non-missing values right. */
  readonly minValues: Float32Array;
}

/** Binned training matrix, row-major, with global bin ids and one extra "missing" bin per feature. */
export interface BinnedMatrix {
  /** `bins[r * f + j]` is a global bin id of feature `j`'s block. */
  readonly bins: Int32Array;
  /** Feature `j`'s block starts at `binStart[j]`; its value bins are followed by its missing bin. */
  readonly binStart: Int32Array;
  readonly totalBins: number;
}

const f32 = Math.fround;

/**
 * Chooses cut points like XGBoost's quantile sketch: with at most `maxBin` distinct values every
 * distinct value gets its own bin; otherwise cuts sit at evenly spaced weighted quantiles. The last
 * cut is `max + |max| + 1e-5` (XGBoost's sentinel) so every value falls in a bin.
 */
export function buildHistogramCuts(x: Float32Array, n: number, f: number, weights: ArrayLike<number> | undefined, maxBin: number): HistogramCuts {
  const perFeature: Float32Array[] = [];
  const minValues = new Float32Array(f);
  const values = new Float32Array(n);
  const order = new Int32Array(n);
  for (let j = 0; j < f; j++) {
    let m = 0;
    for (let r = 0; r < n; r++) {
      const v = x[r * f + j] as number;
      if (v === v) {
        values[m] = v;
        order[m] = r;
        m++;
      }
    }
    if (m === 0) {
      perFeature.push(new Float32Array(0));
      continue;
    }
    const summary = weights === undefined ? unweightedSummary(values.subarray(0, m), maxBin) : weightedSummary(values, order, m, weights, maxBin);
    const first = summary[0] as number;
    minValues[j] = f32(first - f32(Math.abs(first) + f32(1e-5)));
    const required = Math.min(summary.length, maxBin);
    const cuts: number[] = [];
    for (let i = 1; i < required; i++) cuts.push(summary[i] as number);
    const last = summary[summary.length - 1] as number;
    cuts.push(f32(last + f32(Math.abs(last) + f32(1e-5))));
    perFeature.push(Float32Array.from(cuts));
  }
  const cutPtr = new Int32Array(f + 1);
  for (let j = 0; j < f; j++) cutPtr[j + 1] = (cutPtr[j] as number) + (perFeature[j] as Float32Array).length;
  const cuts = new Float32Array(cutPtr[f] as number);
  for (let j = 0; j < f; j++) cuts.set(perFeature[j] as Float32Array, cutPtr[j] as number);
  return { cutPtr, cuts, minValues };
}

/** Distinct values, or `maxBin + 1` quantile points (min and max included) when there are more. */
function unweightedSummary(values: Float32Array, maxBin: number): number[] {
  values.sort();
  const distinct: number[] = [];
  const endRank: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (distinct.length === 0 || v !== distinct[distinct.length - 1]) {
      distinct.push(v);
      endRank.push(i + 1);
    } else {
      endRank[endRank.length - 1] = i + 1;
    }
  }
  return pickQuantiles(distinct, endRank, values.length, maxBin);
}

function weightedSummary(values: Float32Array, order: Int32Array, m: number, weights: ArrayLike<number>, maxBin: number): number[] {
  const idx = Array.from({ length: m }, (_, i) => i);
  idx.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  const distinct: number[] = [];
  const endRank: number[] = [];
  let total = 0;
  for (const i of idx) {
    const v = values[i] as number;
    total += weights[order[i] as number] as number;
    if (distinct.length === 0 || v !== distinct[distinct.length - 1]) {
      distinct.push(v);
      endRank.push(total);
    } else {
      endRank[endRank.length - 1] = total;
    }
  }
  return pickQuantiles(distinct, endRank, total, maxBin);
}

/** `endRank[i]` is the cumulative weight up to and including `distinct[i]`. */
function pickQuantiles(distinct: number[], endRank: number[], total: number, maxBin: number): number[] {
  if (distinct.length <= maxBin) return distinct;
  const out: number[] = [distinct[0] as number];
  let i = 0;
  for (let k = 1; k < maxBin; k++) {
    const target = (k / maxBin) * total;
    while (i < distinct.length - 1 && (endRank[i] as number) < target) i++;
    const v = distinct[i] as number;
    if (v > (out[out.length - 1] as number)) out.push(v);
  }
  const max = distinct[distinct.length - 1] as number;
  if (max > (out[out.length - 1] as number)) out.push(max);
  return out;
}

/** Maps every value to its global bin id (`upper_bound` on the cuts, like XGBoost's SearchBin). */
export function binMatrix(x: Float32Array, n: number, f: number, cuts: HistogramCuts): BinnedMatrix {
  const binStart = new Int32Array(f + 1);
  for (let j = 0; j < f; j++) {
    const count = (cuts.cutPtr[j + 1] as number) - (cuts.cutPtr[j] as number);
    binStart[j + 1] = (binStart[j] as number) + count + 1;
  }
  const bins = new Int32Array(n * f);
  const cv = cuts.cuts;
  for (let j = 0; j < f; j++) {
    const lo = cuts.cutPtr[j] as number;
    const hi = cuts.cutPtr[j + 1] as number;
    const start = binStart[j] as number;
    const missing = start + (hi - lo);
    for (let r = 0; r < n; r++) {
      const v = x[r * f + j] as number;
      if (v !== v) {
        bins[r * f + j] = missing;
        continue;
      }
      let a = lo;
      let b = hi;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if ((cv[mid] as number) > v) b = mid;
        else a = mid + 1;
      }
      bins[r * f + j] = start + Math.min(a, hi - 1) - lo;
    }
  }
  return { bins, binStart, totalBins: binStart[f] as number };
}
