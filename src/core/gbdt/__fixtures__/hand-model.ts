/**
 * Builds small XGBoost-format model JSON by hand for tests (tree node arrays as XGBoost saves them).
 */
export interface HandTree {
  readonly left: readonly number[];
  readonly right: readonly number[];
  readonly feature: readonly number[];
  /** Split thresholds for internal nodes, leaf values for leaves (XGBoost's layout). */
  readonly cond: readonly number[];
  readonly defaultLeft: readonly number[];
}

/** A one-split stump on `feature`: left leaf `lo`, right leaf `hi`. */
export function stump(feature: number, threshold: number, lo: number, hi: number, defaultLeft = true): HandTree {
  return { left: [1, -1, -1], right: [2, -1, -1], feature: [feature, 0, 0], cond: [threshold, lo, hi], defaultLeft: [defaultLeft ? 1 : 0, 0, 0] };
}

export interface HandModelOptions {
  readonly objective?: string;
  readonly numClass?: number;
  readonly numFeature?: number;
  readonly baseScore?: unknown;
  readonly featureNames?: readonly string[];
  readonly treeInfo?: readonly number[];
}

export function handModel(trees: readonly HandTree[], options: HandModelOptions = {}): Record<string, unknown> {
  const numFeature = options.numFeature ?? 3;
  return {
    learner: {
      attributes: {},
      feature_names: options.featureNames ?? [],
      feature_types: [],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: String(trees.length), size_leaf_vector: '0' },
          tree_info: options.treeInfo ?? trees.map(() => 0),
          trees: trees.map((t, id) => ({
            base_weights: t.cond.map(() => 0),
            categories: [],
            categories_nodes: [],
            categories_segments: [],
            categories_sizes: [],
            default_left: [...t.defaultLeft],
            id,
            left_children: [...t.left],
            loss_changes: t.cond.map(() => 0),
            parents: t.left.map(() => 2147483647),
            right_children: [...t.right],
            split_conditions: [...t.cond],
            split_indices: [...t.feature],
            split_type: t.cond.map(() => 0),
            sum_hessian: t.cond.map(() => 1),
            tree_param: { num_deleted: '0', num_feature: String(numFeature), num_nodes: String(t.left.length), size_leaf_vector: '0' },
          })),
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: options.baseScore ?? '5E-1',
        boost_from_average: '1',
        num_class: String(options.numClass ?? 0),
        num_feature: String(numFeature),
        num_target: '1',
      },
      objective: { name: options.objective ?? 'reg:squarederror' },
    },
    version: [1, 7, 4],
  };
}
