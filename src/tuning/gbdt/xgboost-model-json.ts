/** One tree as XGBoost 1.7's `save_model` JSON writes it. Leaf values live in `split_conditions`. */
export interface XGBoostTreeJson {
  base_weights: number[];
  categories: number[];
  categories_nodes: number[];
  categories_segments: number[];
  categories_sizes: number[];
  default_left: number[];
  id: number;
  left_children: number[];
  loss_changes: number[];
  parents: number[];
  right_children: number[];
  split_conditions: number[];
  split_indices: number[];
  split_type: number[];
  sum_hessian: number[];
  tree_param: { num_deleted: string; num_feature: string; num_nodes: string; size_leaf_vector: string };
}

/** The subset of XGBoost's JSON model format (version 1.7) that {@link trainGbdt} writes. */
export interface XGBoostModelJson {
  learner: {
    attributes: Record<string, string>;
    feature_names: string[];
    feature_types: string[];
    gradient_booster: {
      model: {
        gbtree_model_param: { num_parallel_tree: string; num_trees: string; size_leaf_vector: string };
        tree_info: number[];
        trees: XGBoostTreeJson[];
      };
      name: 'gbtree';
    };
    learner_model_param: { base_score: string; boost_from_average: string; num_class: string; num_feature: string; num_target: string };
    objective: { name: string } & Record<string, unknown>;
  };
  version: [number, number, number];
}

/** Arrays XGBoost reads as JSON *Numbers*; it rejects integers (`1`) there, so they need an exponent. */
const FLOAT_ARRAY_KEYS = new Set(['base_weights', 'loss_changes', 'split_conditions', 'sum_hessian']);

/**
 * Shortest decimal that reads back as the same float32, in XGBoost's own style (`1.2345E-1`,
 * `5E-1`, `0E0`): always with an exponent so that XGBoost's parser sees a float, never an integer.
 */
export function formatFloat32(value: number): string {
  const v = Math.fround(value);
  if (!Number.isFinite(v)) throw new RangeError(`cannot write non-finite float ${value} to an XGBoost model`);
  if (v === 0) return Object.is(v, -0) ? '-0E0' : '0E0';
  for (let digits = 1; digits <= 9; digits++) {
    const text = v.toExponential(digits - 1);
    if (Math.fround(Number(text)) === v) return text.replace('e+', 'E').replace('e', 'E');
  }
  return v.toExponential(8).replace('e+', 'E').replace('e', 'E');
}

function write(value: unknown, key: string | undefined, out: string[]): void {
  if (Array.isArray(value)) {
    if (key !== undefined && FLOAT_ARRAY_KEYS.has(key)) {
      out.push('[', value.map((v: number) => formatFloat32(v)).join(','), ']');
      return;
    }
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, undefined, out);
    });
    out.push(']');
    return;
  }
  if (typeof value === 'object' && value !== null) {
    out.push('{');
    Object.entries(value).forEach(([k, v], i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      write(v, k, out);
    });
    out.push('}');
    return;
  }
  out.push(JSON.stringify(value));
}

/**
 * Serialises a model to the JSON text real XGBoost loads (`xgb.Booster(model_file=...)`).
 * Plain `JSON.stringify` is not enough: XGBoost distinguishes integers from floats and refuses a
 * leaf value or loss change written as `0`. Our own `parseXGBoostModel` reads either form.
 */
export function serializeXGBoostModel(model: XGBoostModelJson): string {
  const out: string[] = [];
  write(model, undefined, out);
  return out.join('');
}
