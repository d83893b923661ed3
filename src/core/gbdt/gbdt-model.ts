import type { PackedGbdt } from './pack-gbdt.js';

/**
 * Objectives whose XGBoost models the core can evaluate. Each fixes how `base_score` becomes a
 * margin and how margins become predictions (see {@link OBJECTIVE_LINKS}).
 */
export const GBDT_OBJECTIVES = [
  'multi:softprob',
  'multi:softmax',
  'binary:logistic',
  'binary:logitraw',
  'reg:logistic',
  'reg:squarederror',
  'reg:linear',
  'reg:absoluteerror',
  'reg:pseudohubererror',
  'count:poisson',
  'reg:gamma',
  'reg:tweedie',
] as const;

export type GbdtObjective = (typeof GBDT_OBJECTIVES)[number];

/**
 * How an objective links margins to predictions, mirroring XGBoost's `ProbToMargin` (applied to
 * `base_score`) and `PredTransform` (applied to the summed margin).
 */
export interface ObjectiveLink {
  /** `base_score` -> margin: identity, logit (logistic family) or log (count/gamma family). */
  readonly baseToMargin: 'identity' | 'logit' | 'log';
  /** Margin -> prediction. `softmax` is over the classes of one row. */
  readonly transform: 'identity' | 'sigmoid' | 'exp' | 'softmax';
}

export const OBJECTIVE_LINKS: Readonly<Record<GbdtObjective, ObjectiveLink>> = {
  // XGBoost (up to 3.1 at least) adds a multi-class base_score, scalar or per-class vector, to the
  // margins as-is (dmlc/xgboost#11763); softmax is shift-invariant, so only a vector matters.
  'multi:softprob': { baseToMargin: 'identity', transform: 'softmax' },
  // XGBoost's softmax returns the arg-max class; the router needs the probabilities behind it.
  'multi:softmax': { baseToMargin: 'identity', transform: 'softmax' },
  'binary:logistic': { baseToMargin: 'logit', transform: 'sigmoid' },
  // Verified against XGBoost 1.7: logitraw takes base_score as a margin as-is (no logit).
  'binary:logitraw': { baseToMargin: 'identity', transform: 'identity' },
  'reg:logistic': { baseToMargin: 'logit', transform: 'sigmoid' },
  'reg:squarederror': { baseToMargin: 'identity', transform: 'identity' },
  'reg:linear': { baseToMargin: 'identity', transform: 'identity' },
  'reg:absoluteerror': { baseToMargin: 'identity', transform: 'identity' },
  'reg:pseudohubererror': { baseToMargin: 'identity', transform: 'identity' },
  'count:poisson': { baseToMargin: 'log', transform: 'exp' },
  'reg:gamma': { baseToMargin: 'log', transform: 'exp' },
  'reg:tweedie': { baseToMargin: 'log', transform: 'exp' },
};

/**
 * A parsed gradient-boosted tree ensemble, stored flat for a cache-friendly, allocation-free
 * prediction loop. Node arrays are indexed by a global node id; tree `t` owns ids
 * `treeOffset[t] .. treeOffset[t + 1] - 1` and its root is `treeOffset[t]`. Child ids are global.
 */
export interface GbdtModel {
  readonly objective: GbdtObjective;
  /** Length of the margin vector of one row: the class count for multi-class, else 1. */
  readonly numClass: number;
  /** Number of input features the model was trained on. */
  readonly numFeature: number;
  /** The model's feature names in column order, or null when it was saved without names. */
  readonly featureNames: readonly string[] | null;
  /** Per output group, the float32 margin every prediction starts from. */
  readonly baseMargin: Float64Array;
  readonly numTrees: number;
  /** Length numTrees + 1. */
  readonly treeOffset: Int32Array;
  /** Output group (class) each tree adds to, from XGBoost's `tree_info`. */
  readonly treeGroup: Int32Array;
  /** Global id of the left child, or -1 for a leaf. */
  readonly left: Int32Array;
  /** Global id of the right child, or -1 for a leaf. */
  readonly right: Int32Array;
  readonly splitIndex: Int32Array;
  /** Float32 split conditions: a row goes left when `fround(x) < threshold`. */
  readonly threshold: Float32Array;
  /** 1 when a missing (NaN) value goes left. */
  readonly defaultLeft: Uint8Array;
  /** Float32 leaf values (0 for internal nodes). */
  readonly leafValue: Float32Array;
  /**
   * The same trees laid out for the branch-free walk (`packGbdt`); set by `parseXGBoostModel`.
   * Without it, or for a row with a missing value, prediction takes the plain walk.
   */
  readonly packed?: PackedGbdt;
}
