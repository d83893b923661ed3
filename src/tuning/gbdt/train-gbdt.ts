import { baseScoreToMargin } from '../../core/gbdt/parse-xgboost-model.js';
import { OBJECTIVE_LINKS } from '../../core/gbdt/gbdt-model.js';
import { createSeededRng, type SeededRng } from '../../core/math/seeded-rng.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { binMatrix, buildHistogramCuts, type HistogramCuts } from './histogram-cuts.js';
import { logLoss, rmse } from './gbdt-metrics.js';
import { formatFloat32, type XGBoostModelJson, type XGBoostTreeJson } from './xgboost-model-json.js';

/** Training rows: `x` is row-major `n * f` float32, NaN = missing. */
export interface GbdtDataset {
  readonly x: Float32Array;
  readonly n: number;
  readonly f: number;
  readonly y: ArrayLike<number>;
  /** Per-row sample weights (default 1). */
  readonly weights?: ArrayLike<number>;
}

/** Held-out rows for early stopping; same columns as the training set. */
export interface GbdtValidationSet {
  readonly x: Float32Array;
  readonly n: number;
  readonly y: ArrayLike<number>;
}

export type GbdtTrainObjective = 'multi:softprob' | 'binary:logistic' | 'reg:squarederror';

/** Hyper-parameters, named and defined as XGBoost's (`eta`, `lambda`, `alpha`, `gamma`, ...). */
export interface GbdtTrainOptions {
  readonly objective: GbdtTrainObjective;
  /** Required for `multi:softprob`. */
  readonly numClass?: number;
  readonly rounds: number;
  readonly maxDepth: number;
  readonly eta: number;
  readonly lambda: number;
  readonly alpha?: number;
  /** Minimum loss reduction (XGBoost's `min_split_loss`, same scale: no 1/2 factor). */
  readonly gamma: number;
  readonly minChildWeight: number;
  /** Row sampling rate per tree, (0, 1]. */
  readonly subsample?: number;
  /** Column sampling rate per tree, (0, 1]. */
  readonly colsampleBytree?: number;
  readonly maxBin: number;
  readonly seed: number;
  readonly featureNames: readonly string[];
  /** Default: the weighted label mean for binary/regression, 0.5 for multi-class (a constant shift there). */
  readonly baseScore?: number;
  /**
   * Stop when the validation metric (mlogloss, logloss or rmse) has not improved for `rounds`
   * rounds; the model keeps only the trees up to the best round.
   */
  readonly earlyStopping?: { readonly validation: GbdtValidationSet; readonly rounds: number };
}

const RT_EPS = 1e-6;
const HESS_EPS = 1e-16;
const MIN_CHILD_HESS = 1e-12;
const ROOT_PARENT = 2147483647;
const f32 = Math.fround;

function bad(message: string): GatewayError {
  return new GatewayError('gateway_config_invalid', `trainGbdt: ${message}`);
}

/** A finished tree, node ids in creation order (XGBoost's numbering). */
interface BuiltTree {
  readonly numNodes: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly parent: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly defaultLeft: Uint8Array;
  /** Leaf value (weight * eta) for leaves; weight * eta for internal nodes too (XGBoost's base_weights). */
  readonly value: Float32Array;
  readonly gain: Float64Array;
  readonly hess: Float64Array;
}

function validate(data: GbdtDataset, o: GbdtTrainOptions): number {
  const { n, f } = data;
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(f) || f < 1) throw bad('n and f must be positive integers');
  if (data.x.length !== n * f) throw bad(`x has ${data.x.length} values, expected n * f = ${n * f}`);
  if (data.y.length !== n) throw bad(`y has ${data.y.length} values, expected ${n}`);
  if (data.weights !== undefined && data.weights.length !== n) throw bad(`weights has ${data.weights.length} values, expected ${n}`);
  if (o.featureNames.length !== f) throw bad(`featureNames has ${o.featureNames.length} names, expected ${f}`);
  if (!Number.isInteger(o.rounds) || o.rounds < 1) throw bad('rounds must be a positive integer');
  if (!Number.isInteger(o.maxDepth) || o.maxDepth < 1 || o.maxDepth > 16) throw bad('maxDepth must be an integer in [1, 16]');
  if (!(o.eta > 0)) throw bad('eta must be positive');
  if (!(o.lambda >= 0) || !((o.alpha ?? 0) >= 0) || !(o.gamma >= 0) || !(o.minChildWeight >= 0)) {
    throw bad('lambda, alpha, gamma and minChildWeight must be non-negative');
  }
  for (const [name, rate] of [['subsample', o.subsample], ['colsampleBytree', o.colsampleBytree]] as const) {
    if (rate !== undefined && !(rate > 0 && rate <= 1)) throw bad(`${name} must be in (0, 1]`);
  }
  if (!Number.isInteger(o.maxBin) || o.maxBin < 2) throw bad('maxBin must be an integer >= 2');
  const k = o.objective === 'multi:softprob' ? (o.numClass ?? 0) : 1;
  if (o.objective === 'multi:softprob' && (!Number.isInteger(k) || k < 2)) throw bad('multi:softprob needs numClass >= 2');
  const checkLabels = (y: ArrayLike<number>, where: string): void => {
    for (let i = 0; i < y.length; i++) {
      const v = y[i] as number;
      const ok = o.objective === 'multi:softprob' ? Number.isInteger(v) && v >= 0 && v < k : o.objective === 'binary:logistic' ? v >= 0 && v <= 1 : Number.isFinite(v);
      if (!ok) throw bad(`${where}[${i}] = ${v} is not a valid label for ${o.objective}`);
    }
  };
  checkLabels(data.y, 'y');
  const es = o.earlyStopping;
  if (es !== undefined) {
    if (es.validation.x.length !== es.validation.n * f || es.validation.y.length !== es.validation.n) throw bad('validation set shape does not match');
    if (!Number.isInteger(es.rounds) || es.rounds < 1) throw bad('earlyStopping.rounds must be a positive integer');
    checkLabels(es.validation.y, 'validation.y');
  }
  return k;
}

function defaultBaseScore(data: GbdtDataset, objective: GbdtTrainObjective): number {
  if (objective === 'multi:softprob') return 0.5;
  let sw = 0;
  let sy = 0;
  for (let i = 0; i < data.n; i++) {
    const w = data.weights === undefined ? 1 : (data.weights[i] as number);
    sw += w;
    sy += w * (data.y[i] as number);
  }
  const mean = sw > 0 ? sy / sw : 0.5;
  return objective === 'binary:logistic' ? Math.min(1 - 1e-6, Math.max(1e-6, mean)) : mean;
}

/** Fills `g`/`h` (length n * k, row-major by class) from the current float32 margins. */
function computeGradients(objective: GbdtTrainObjective, margins: Float32Array, y: ArrayLike<number>, w: ArrayLike<number> | undefined, n: number, k: number, g: Float64Array, h: Float64Array): void {
  if (objective === 'multi:softprob') {
    for (let r = 0; r < n; r++) {
      const o = r * k;
      let max = -Infinity;
      for (let c = 0; c < k; c++) if ((margins[o + c] as number) > max) max = margins[o + c] as number;
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp((margins[o + c] as number) - max);
      const label = y[r] as number;
      const wt = w === undefined ? 1 : (w[r] as number);
      for (let c = 0; c < k; c++) {
        const p = Math.exp((margins[o + c] as number) - max) / sum;
        g[o + c] = (c === label ? p - 1 : p) * wt;
        // XGBoost's softmax hessian carries a factor 2 (an upper bound of the true diagonal).
        h[o + c] = Math.max(2 * p * (1 - p) * wt, HESS_EPS);
      }
    }
  } else if (objective === 'binary:logistic') {
    for (let r = 0; r < n; r++) {
      const p = 1 / (1 + Math.exp(-(margins[r] as number)));
      const wt = w === undefined ? 1 : (w[r] as number);
      g[r] = (p - (y[r] as number)) * wt;
      h[r] = Math.max(p * (1 - p) * wt, HESS_EPS);
    }
  } else {
    for (let r = 0; r < n; r++) {
      const wt = w === undefined ? 1 : (w[r] as number);
      g[r] = ((margins[r] as number) - (y[r] as number)) * wt;
      h[r] = wt;
    }
  }
}

/** Adds one tree's leaf values to float32 margins of rows given as raw features. */
function addTreeToMargins(tree: BuiltTree, x: Float32Array, n: number, f: number, margins: Float32Array, k: number, cls: number): void {
  const { left, right, feature, threshold, defaultLeft, value } = tree;
  for (let r = 0; r < n; r++) {
    let node = 0;
    while ((left[node] as number) >= 0) {
      const v = x[r * f + (feature[node] as number)] as number;
      node = v !== v ? (defaultLeft[node] === 1 ? (left[node] as number) : (right[node] as number)) : v < (threshold[node] as number) ? (left[node] as number) : (right[node] as number);
    }
    margins[r * k + cls] = f32((margins[r * k + cls] as number) + (value[node] as number));
  }
}

/**
 * Grows depth-wise histogram trees (XGBoost `tree_method=hist`, `grow_policy=depthwise`): second
 * order gain, learned default directions for missing values, histogram subtraction.
 */
class TreeGrower {
  private readonly maxNodes: number;
  private readonly begin: Int32Array;
  private readonly end: Int32Array;
  private readonly sumG: Float64Array;
  private readonly sumH: Float64Array;
  private readonly histOf: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly parent: Int32Array;
  private readonly bestFeature: Int32Array;
  private readonly bestThreshold: Float32Array;
  private readonly bestDefaultLeft: Uint8Array;
  private readonly bestGain: Float64Array;
  private readonly bestGL: Float64Array;
  private readonly bestHL: Float64Array;
  private readonly rows: Int32Array;
  private readonly scratch: Int32Array;
  private readonly pool: Float64Array[] = [];
  private readonly free: number[] = [];
  private readonly histLength: number;

  constructor(
    private readonly x: Float32Array,
    private readonly n: number,
    private readonly f: number,
    private readonly bins: Int32Array,
    private readonly binStart: Int32Array,
    private readonly cuts: HistogramCuts,
    private readonly o: Required<Pick<GbdtTrainOptions, 'maxDepth' | 'eta' | 'lambda' | 'alpha' | 'gamma' | 'minChildWeight'>>,
  ) {
    this.maxNodes = 2 ** (o.maxDepth + 1) - 1;
    const m = this.maxNodes;
    this.begin = new Int32Array(m);
    this.end = new Int32Array(m);
    this.sumG = new Float64Array(m);
    this.sumH = new Float64Array(m);
    this.histOf = new Int32Array(m);
    this.left = new Int32Array(m);
    this.right = new Int32Array(m);
    this.parent = new Int32Array(m);
    this.bestFeature = new Int32Array(m);
    this.bestThreshold = new Float32Array(m);
    this.bestDefaultLeft = new Uint8Array(m);
    this.bestGain = new Float64Array(m);
    this.bestGL = new Float64Array(m);
    this.bestHL = new Float64Array(m);
    this.rows = new Int32Array(n);
    this.scratch = new Int32Array(n);
    this.histLength = 2 * (binStart[f] as number);
  }

  private acquireHist(): number {
    const slot = this.free.pop();
    if (slot !== undefined) return slot;
    this.pool.push(new Float64Array(this.histLength));
    return this.pool.length - 1;
  }

  private gainOf(g: number, h: number): number {
    const a = this.o.alpha;
    const t = g > a ? g - a : g < -a ? g + a : 0;
    return (t * t) / (h + this.o.lambda);
  }

  private weightOf(g: number, h: number): number {
    const a = this.o.alpha;
    const t = g > a ? g - a : g < -a ? g + a : 0;
    const d = h + this.o.lambda;
    return d > 0 && t !== 0 ? -t / d : 0;
  }

  /** Histogram of a node's rows over the selected features, gradient/hessian interleaved. */
  private buildHist(hist: Float64Array, node: number, g: Float64Array, h: Float64Array, gOff: number, gStride: number, feats: Int32Array): void {
    hist.fill(0);
    const { rows, bins, f } = this;
    const nf = feats.length;
    const all = nf === f;
    for (let i = this.begin[node] as number, e = this.end[node] as number; i < e; i++) {
      const r = rows[i] as number;
      const gr = g[r * gStride + gOff] as number;
      const hr = h[r * gStride + gOff] as number;
      if (gr === 0 && hr === 0) continue;
      const base = r * f;
      if (all) {
        for (let j = 0; j < f; j++) {
          const b = (bins[base + j] as number) << 1;
          hist[b] = (hist[b] as number) + gr;
          hist[b + 1] = (hist[b + 1] as number) + hr;
        }
      } else {
        for (let q = 0; q < nf; q++) {
          const b = (bins[base + (feats[q] as number)] as number) << 1;
          hist[b] = (hist[b] as number) + gr;
          hist[b + 1] = (hist[b + 1] as number) + hr;
        }
      }
    }
  }

  private evaluate(node: number, hist: Float64Array, feats: Int32Array): void {
    if (this.o.alpha > 0) {
      this.evaluateL1(node, hist, feats);
      return;
    }
    // Hot loop: the L2-only gain G^2/(H+lambda) inlined (see evaluateL1 for the general form).
    const lambda = this.o.lambda;
    const G = this.sumG[node] as number;
    const H = this.sumH[node] as number;
    const parentGain = (G * G) / (H + lambda);
    const mcw = Math.max(this.o.minChildWeight, MIN_CHILD_HESS);
    const { cuts, cutPtr, minValues } = this.cuts;
    const binStart = this.binStart;
    let best = -Infinity;
    let bf = -1;
    let bt = 0;
    let bdl = 0;
    let bgl = 0;
    let bhl = 0;
    for (let q = 0; q < feats.length; q++) {
      const j = feats[q] as number;
      const s = binStart[j] as number;
      const m = (binStart[j + 1] as number) - 1; // the feature's missing bin
      if (m === s) continue;
      const cp = (cutPtr[j] as number) - s;
      // Missing values go right: left = bins s..b.
      let gl = 0;
      let hl = 0;
      for (let b = s; b < m; b++) {
        const hb = hist[2 * b + 1] as number;
        if (hb === 0) continue;
        gl += hist[2 * b] as number;
        hl += hb;
        if (hl < mcw) continue;
        const hr = H - hl;
        if (hr < mcw) break;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentGain;
        if (gain > best) {
          best = gain;
          bf = j;
          bt = cuts[cp + b] as number;
          bdl = 0;
          bgl = gl;
          bhl = hl;
        }
      }
      // Missing values go left: right = bins b..end, learned only where this node has missing rows.
      if ((hist[2 * m + 1] as number) > 0) {
        let gr = 0;
        let hr = 0;
        for (let b = m - 1; b >= s; b--) {
          const hb = hist[2 * b + 1] as number;
          if (hb === 0) continue;
          gr += hist[2 * b] as number;
          hr += hb;
          if (hr < mcw) continue;
          const hl2 = H - hr;
          if (hl2 < mcw) break;
          const gl2 = G - gr;
          const gain = (gl2 * gl2) / (hl2 + lambda) + (gr * gr) / (hr + lambda) - parentGain;
          if (gain > best) {
            best = gain;
            bf = j;
            bt = b > s ? (cuts[cp + b - 1] as number) : (minValues[j] as number);
            bdl = 1;
            bgl = gl2;
            bhl = hl2;
          }
        }
      }
    }
    this.record(node, best, bf, bt, bdl, bgl, bhl);
  }

  /** Same search as {@link evaluate} with L1 regularisation (soft-thresholded gradients). */
  private evaluateL1(node: number, hist: Float64Array, feats: Int32Array): void {
    const G = this.sumG[node] as number;
    const H = this.sumH[node] as number;
    const parentGain = this.gainOf(G, H);
    const mcw = Math.max(this.o.minChildWeight, MIN_CHILD_HESS);
    const { cuts, cutPtr, minValues } = this.cuts;
    let best = -Infinity;
    let bf = -1;
    let bt = 0;
    let bdl = 0;
    let bgl = 0;
    let bhl = 0;
    for (let q = 0; q < feats.length; q++) {
      const j = feats[q] as number;
      const s = this.binStart[j] as number;
      const m = (this.binStart[j + 1] as number) - 1;
      if (m === s) continue;
      const cp = (cutPtr[j] as number) - s;
      let gl = 0;
      let hl = 0;
      for (let b = s; b < m; b++) {
        const hb = hist[2 * b + 1] as number;
        if (hb === 0) continue;
        gl += hist[2 * b] as number;
        hl += hb;
        if (hl < mcw) continue;
        const hr = H - hl;
        if (hr < mcw) break;
        const gain = this.gainOf(gl, hl) + this.gainOf(G - gl, hr) - parentGain;
        if (gain > best) {
          best = gain;
          bf = j;
          bt = cuts[cp + b] as number;
          bdl = 0;
          bgl = gl;
          bhl = hl;
        }
      }
      if ((hist[2 * m + 1] as number) > 0) {
        let gr = 0;
        let hr = 0;
        for (let b = m - 1; b >= s; b--) {
          const hb = hist[2 * b + 1] as number;
          if (hb === 0) continue;
          gr += hist[2 * b] as number;
          hr += hb;
          if (hr < mcw) continue;
          const hl2 = H - hr;
          if (hl2 < mcw) break;
          const gain = this.gainOf(G - gr, hl2) + this.gainOf(gr, hr) - parentGain;
          if (gain > best) {
            best = gain;
            bf = j;
            bt = b > s ? (cuts[cp + b - 1] as number) : (minValues[j] as number);
            bdl = 1;
            bgl = G - gr;
            bhl = hl2;
          }
        }
      }
    }
    this.record(node, best, bf, bt, bdl, bgl, bhl);
  }

  private record(node: number, gain: number, feature: number, threshold: number, defaultLeft: number, gl: number, hl: number): void {
    this.bestGain[node] = gain;
    this.bestFeature[node] = feature;
    this.bestThreshold[node] = threshold;
    this.bestDefaultLeft[node] = defaultLeft;
    this.bestGL[node] = gl;
    this.bestHL[node] = hl;
  }

  /** Stable in-place partition of a node's rows by the chosen split; returns the first right row. */
  private partition(node: number): number {
    const { rows, scratch, x, f } = this;
    const j = this.bestFeature[node] as number;
    const thr = this.bestThreshold[node] as number;
    const dl = this.bestDefaultLeft[node] === 1;
    const b = this.begin[node] as number;
    const e = this.end[node] as number;
    let lp = b;
    let sp = 0;
    for (let i = b; i < e; i++) {
      const r = rows[i] as number;
      const v = x[r * f + j] as number;
      if (v !== v ? dl : v < thr) rows[lp++] = r;
      else scratch[sp++] = r;
    }
    rows.set(scratch.subarray(0, sp), lp);
    return lp;
  }

  /**
   * Grows one tree on gradient column `gOff` of `g`/`h` (stride `gStride`), then adds its leaf
   * values to `margins` (same layout) in float32.
   */
  grow(g: Float64Array, h: Float64Array, gOff: number, gStride: number, feats: Int32Array, margins: Float32Array): BuiltTree {
    const { maxDepth, gamma, eta } = this.o;
    const eta32 = f32(eta);
    for (let i = 0; i < this.n; i++) this.rows[i] = i;
    let G = 0;
    let H = 0;
    for (let r = 0; r < this.n; r++) {
      G += g[r * gStride + gOff] as number;
      H += h[r * gStride + gOff] as number;
    }
    let numNodes = 1;
    this.begin[0] = 0;
    this.end[0] = this.n;
    this.sumG[0] = G;
    this.sumH[0] = H;
    this.parent[0] = ROOT_PARENT;
    this.left.fill(-1);
    this.right.fill(-1);
    const gain = new Float64Array(this.maxNodes);
    this.histOf[0] = this.acquireHist();
    this.buildHist(this.pool[this.histOf[0] as number] as Float64Array, 0, g, h, gOff, gStride, feats);
    this.evaluate(0, this.pool[this.histOf[0] as number] as Float64Array, feats);

    let level = [0];
    for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
      const next: number[] = [];
      const childNeedsHist = depth + 1 < maxDepth;
      for (const node of level) {
        const slot = this.histOf[node] as number;
        const best = this.bestGain[node] as number;
        if (!(best > RT_EPS && best >= gamma) || (this.bestFeature[node] as number) < 0) {
          this.free.push(slot);
          continue;
        }
        gain[node] = best;
        const mid = this.partition(node);
        const l = numNodes++;
        const r = numNodes++;
        this.left[node] = l;
        this.right[node] = r;
        this.parent[l] = node;
        this.parent[r] = node;
        this.begin[l] = this.begin[node] as number;
        this.end[l] = mid;
        this.begin[r] = mid;
        this.end[r] = this.end[node] as number;
        const gl = this.bestGL[node] as number;
        const hl = this.bestHL[node] as number;
        this.sumG[l] = gl;
        this.sumH[l] = hl;
        this.sumG[r] = (this.sumG[node] as number) - gl;
        this.sumH[r] = (this.sumH[node] as number) - hl;
        next.push(l, r);
        if (!childNeedsHist) {
          this.free.push(slot);
          continue;
        }
        // Build the smaller child; the larger one is parent minus smaller, in the parent's buffer.
        const nl = mid - (this.begin[node] as number);
        const nr = (this.end[node] as number) - mid;
        const small = nl <= nr ? l : r;
        const large = small === l ? r : l;
        const smallSlot = this.acquireHist();
        const smallHist = this.pool[smallSlot] as Float64Array;
        const parentHist = this.pool[slot] as Float64Array;
        this.buildHist(smallHist, small, g, h, gOff, gStride, feats);
        if (feats.length === this.f) {
          for (let b = 0; b < this.histLength; b++) parentHist[b] = (parentHist[b] as number) - (smallHist[b] as number);
        } else {
          for (let q = 0; q < feats.length; q++) {
            const j = feats[q] as number;
            for (let b = 2 * (this.binStart[j] as number), e = 2 * (this.binStart[j + 1] as number); b < e; b++) {
              parentHist[b] = (parentHist[b] as number) - (smallHist[b] as number);
            }
          }
        }
        this.histOf[small] = smallSlot;
        this.histOf[large] = slot;
        this.evaluate(small, smallHist, feats);
        this.evaluate(large, parentHist, feats);
      }
      level = next;
    }
    const tree: BuiltTree = {
      numNodes,
      left: this.left.slice(0, numNodes),
      right: this.right.slice(0, numNodes),
      parent: this.parent.slice(0, numNodes),
      feature: new Int32Array(numNodes),
      threshold: new Float32Array(numNodes),
      defaultLeft: new Uint8Array(numNodes),
      value: new Float32Array(numNodes),
      gain: gain.slice(0, numNodes),
      hess: this.sumH.slice(0, numNodes),
    };
    for (let node = 0; node < numNodes; node++) {
      const value = f32(f32(this.weightOf(this.sumG[node] as number, this.sumH[node] as number)) * eta32);
      tree.value[node] = value;
      if ((tree.left[node] as number) >= 0) {
        tree.feature[node] = this.bestFeature[node] as number;
        tree.threshold[node] = this.bestThreshold[node] as number;
        tree.defaultLeft[node] = this.bestDefaultLeft[node] as number;
        continue;
      }
      for (let i = this.begin[node] as number, e = this.end[node] as number; i < e; i++) {
        const at = (this.rows[i] as number) * gStride + gOff;
        margins[at] = f32((margins[at] as number) + value);
      }
    }
    return tree;
  }

  /** Returns every histogram buffer to the pool (call after each tree). */
  reset(): void {
    this.free.length = 0;
    for (let i = this.pool.length - 1; i >= 0; i--) this.free.push(i);
  }
}

function treeToJson(tree: BuiltTree, id: number, numFeature: number): XGBoostTreeJson {
  const n = tree.numNodes;
  const leaf = (i: number): boolean => (tree.left[i] as number) < 0;
  const zeros = (): number[] => new Array<number>(n).fill(0);
  return {
    base_weights: Array.from(tree.value),
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: Array.from(tree.defaultLeft),
    id,
    left_children: Array.from(tree.left),
    loss_changes: Array.from(tree.gain, (g, i) => (leaf(i) ? 0 : f32(g))),
    parents: Array.from(tree.parent),
    right_children: Array.from(tree.right),
    split_conditions: Array.from({ length: n }, (_, i) => (leaf(i) ? (tree.value[i] as number) : (tree.threshold[i] as number))),
    split_indices: Array.from(tree.feature),
    split_type: zeros(),
    sum_hessian: Array.from(tree.hess, (h) => f32(h)),
    tree_param: { num_deleted: '0', num_feature: String(numFeature), num_nodes: String(n), size_leaf_vector: '0' },
  };
}

function pickFeatures(f: number, rate: number, rng: SeededRng): Int32Array {
  if (rate >= 1) return Int32Array.from({ length: f }, (_, i) => i);
  const count = Math.max(1, Math.round(rate * f));
  const all = Array.from({ length: f }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(f - i);
    const t = all[i] as number;
    all[i] = all[j] as number;
    all[j] = t;
  }
  return Int32Array.from(all.slice(0, count)).sort();
}

function validationScore(objective: GbdtTrainObjective, margins: Float32Array, y: ArrayLike<number>, n: number, k: number, probs: Float64Array): number {
  if (objective === 'reg:squarederror') return rmse(margins, y);
  if (objective === 'binary:logistic') {
    for (let r = 0; r < n; r++) probs[r] = 1 / (1 + Math.exp(-(margins[r] as number)));
    return logLoss(probs, y, 1);
  }
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, margins[r * k + c] as number);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp((margins[r * k + c] as number) - max);
    for (let c = 0; c < k; c++) probs[r * k + c] = Math.exp((margins[r * k + c] as number) - max) / sum;
  }
  return logLoss(probs, y, k);
}

/**
 * Trains gradient-boosted trees like XGBoost's `tree_method=hist` and returns the model in
 * XGBoost's `save_model` JSON format (write it with `serializeXGBoostModel`). Deterministic: the
 * same inputs give the same model. Thresholds are float32 cut values, so `parseXGBoostModel` and
 * real XGBoost route the training rows exactly as the learner did.
 */
export function trainGbdt(data: GbdtDataset, options: GbdtTrainOptions): XGBoostModelJson {
  const k = validate(data, options);
  const { n, f, x } = data;
  const objective = options.objective;
  const rng = createSeededRng(options.seed);
  const baseScore = f32(options.baseScore ?? defaultBaseScore(data, objective));
  const baseMargin = baseScoreToMargin(baseScore, OBJECTIVE_LINKS[objective], 'trainGbdt.baseScore');

  const cuts = buildHistogramCuts(x, n, f, data.weights, options.maxBin);
  const binned = binMatrix(x, n, f, cuts);
  const grower = new TreeGrower(x, n, f, binned.bins, binned.binStart, cuts, {
    maxDepth: options.maxDepth,
    eta: options.eta,
    lambda: options.lambda,
    alpha: options.alpha ?? 0,
    gamma: options.gamma,
    minChildWeight: options.minChildWeight,
  });

  const margins = new Float32Array(n * k).fill(baseMargin);
  const g = new Float64Array(n * k);
  const h = new Float64Array(n * k);
  const subsample = options.subsample ?? 1;
  const sampled = new Uint8Array(n);

  const es = options.earlyStopping;
  const vn = es?.validation.n ?? 0;
  const vMargins = new Float32Array(vn * k).fill(baseMargin);
  const vProbs = new Float64Array(vn * k);
  let bestScore = Infinity;
  let bestRound = -1;

  const trees: BuiltTree[] = [];
  for (let round = 0; round < options.rounds; round++) {
    computeGradients(objective, margins, data.y, data.weights, n, k, g, h);
    for (let c = 0; c < k; c++) {
      if (subsample < 1) {
        // Rows left out of this tree keep their place (and get its leaf values) but weigh nothing.
        for (let r = 0; r < n; r++) sampled[r] = rng.next() < subsample ? 1 : 0;
        for (let r = 0; r < n; r++) {
          if (sampled[r] === 0) {
            g[r * k + c] = 0;
            h[r * k + c] = 0;
          }
        }
      }
      const feats = pickFeatures(f, options.colsampleBytree ?? 1, rng);
      const tree = grower.grow(g, h, c, k, feats, margins);
      grower.reset();
      trees.push(tree);
      if (es !== undefined) addTreeToMargins(tree, es.validation.x, vn, f, vMargins, k, c);
    }
    if (es !== undefined) {
      const score = validationScore(objective, vMargins, es.validation.y, vn, k, vProbs);
      if (score < bestScore) {
        bestScore = score;
        bestRound = round;
      } else if (round - bestRound >= es.rounds) {
        break;
      }
    }
  }
  const kept = es !== undefined ? trees.slice(0, (bestRound + 1) * k) : trees;

  const attributes: Record<string, string> = {};
  if (es !== undefined) {
    attributes['best_iteration'] = String(bestRound);
    attributes['best_score'] = String(bestScore);
  }
  const treeJson = kept.map((t, i) => treeToJson(t, i, f));
  return {
    learner: {
      attributes,
      feature_names: [...options.featureNames],
      feature_types: [],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: String(kept.length), size_leaf_vector: '0' },
          tree_info: kept.map((_, i) => i % k),
          trees: treeJson,
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: formatFloat32(baseScore),
        boost_from_average: '0',
        num_class: objective === 'multi:softprob' ? String(k) : '0',
        num_feature: String(f),
        num_target: '1',
      },
      objective:
        objective === 'multi:softprob'
          ? { name: objective, softmax_multiclass_param: { num_class: String(k) } }
          : { name: objective, reg_loss_param: { scale_pos_weight: '1' } },
    },
    version: [1, 7, 4],
  };
}
