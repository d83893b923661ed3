import { GatewayError } from '../../errors/gateway-error.js';

/**
 * The GBDT's input features, by name. The artifact lists the names in the order the model was
 * trained on; the router compiles them to integer sources once at load time, so a renamed,
 * missing or reordered feature is a load error and never a silent misroute.
 */
export const SCALAR_FEATURES = ['log_tokens', 'log_chars', 'log_lines', 'has_code', 'has_math', 'entropy', 'top_sim'] as const;
export type ScalarFeature = (typeof SCALAR_FEATURES)[number];

const EMBEDDING_BASE = 1_000;
const CLUSTER_SIM_BASE = 1_000_000;

/** Feature names for a model over scalars, `emb_0..emb_{dim-1}` and `csim_0..csim_{k-1}`. */
export function defaultFeatureNames(dim: number, k: number): string[] {
  const names: string[] = [...SCALAR_FEATURES];
  for (let i = 0; i < dim; i++) names.push(`emb_${i}`);
  for (let j = 0; j < k; j++) names.push(`csim_${j}`);
  return names;
}

/** Compiles feature names to sources; throws `routing_artifact_invalid` naming the bad one. */
export function compileFeatureSchema(names: readonly string[], dim: number, k: number): Int32Array {
  const out = new Int32Array(names.length);
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) throw invalid(`feature_schema.names[${i}]: duplicate feature "${name}"`);
    seen.add(name);
    const scalar = (SCALAR_FEATURES as readonly string[]).indexOf(name);
    if (scalar >= 0) {
      out[i] = scalar;
      return;
    }
    const emb = /^emb_(\d+)$/.exec(name);
    if (emb) {
      const d = Number(emb[1]);
      if (d >= dim) throw invalid(`feature_schema.names[${i}]: "${name}" is beyond the embedding dimension ${dim}`);
      out[i] = EMBEDDING_BASE + d;
      return;
    }
    const csim = /^csim_(\d+)$/.exec(name);
    if (csim) {
      const c = Number(csim[1]);
      if (c >= k) throw invalid(`feature_schema.names[${i}]: "${name}" is beyond the cluster count ${k}`);
      out[i] = CLUSTER_SIM_BASE + c;
      return;
    }
    throw invalid(`feature_schema.names[${i}]: unknown feature "${name}"`);
  });
  return out;
}

/** The scalar inputs a feature vector is assembled from. */
export interface FeatureInputs {
  readonly tokens: number;
  readonly chars: number;
  readonly lines: number;
  readonly hasCode: boolean;
  readonly hasMath: boolean;
  readonly entropy: number;
}

/**
 * Fills `out` with the GBDT input vector. Training and serving both call this, so the same prompt
 * always yields the same vector.
 */
export function fillFeatureVector(
  sources: Int32Array,
  inputs: FeatureInputs,
  embedding: Float32Array,
  clusterSims: Float32Array,
  out: Float32Array | Float64Array,
): void {
  let topSim = -Infinity;
  for (let j = 0; j < clusterSims.length; j++) {
    const s = clusterSims[j] as number;
    if (s > topSim) topSim = s;
  }
  for (let i = 0; i < sources.length; i++) {
    const src = sources[i] as number;
    let v: number;
    if (src >= CLUSTER_SIM_BASE) v = clusterSims[src - CLUSTER_SIM_BASE] as number;
    else if (src >= EMBEDDING_BASE) v = embedding[src - EMBEDDING_BASE] as number;
    else {
      switch (src) {
        case 0:
          v = Math.log1p(inputs.tokens);
          break;
        case 1:
          v = Math.log1p(inputs.chars);
          break;
        case 2:
          v = Math.log1p(inputs.lines);
          break;
        case 3:
          v = inputs.hasCode ? 1 : 0;
          break;
        case 4:
          v = inputs.hasMath ? 1 : 0;
          break;
        case 5:
          v = inputs.entropy;
          break;
        default:
          v = topSim;
      }
    }
    out[i] = v;
  }
}

function invalid(message: string): GatewayError {
  return new GatewayError('routing_artifact_invalid', message);
}
