import type { z } from 'zod';
import type { HashedEmbedderParams } from '../core/embedding/hashed-embedder-params.js';
import type { ArtifactModel, ParsedArtifact } from '../core/router-artifact.js';
import { parseXGBoostModel } from '../core/gbdt/parse-xgboost-model.js';
import type { GbdtModel } from '../core/gbdt/gbdt-model.js';
import { assertFeatureSchema } from '../core/gbdt/assert-feature-schema.js';
import { compileFeatureSchema } from '../core/triage/feature-schema.js';
import { GatewayError } from '../errors/gateway-error.js';
import { artifactSchema } from './artifact-schema.js';
import { decodeFloat32 } from './float32-codec.js';

export type { ArtifactModel, ParsedArtifact } from '../core/router-artifact.js';

/**
 * Validates an artifact document and decodes it. Every failure is a `routing_artifact_invalid`
 * whose message names the offending field, so a bad artifact is rejected at load, never half-used.
 */
export function parseArtifact(json: unknown): ParsedArtifact {
  const result = artifactSchema.safeParse(json);
  if (!result.success) throw new GatewayError('routing_artifact_invalid', `invalid artifact: ${formatIssues(result.error.issues)}`);
  const a = result.data;
  const dim = a.embedder.dim;
  const embedder: HashedEmbedderParams = {
    kind: 'hashed-lsa',
    dim,
    buckets: a.embedder.buckets,
    seed: a.embedder.seed,
    wordBigrams: a.embedder.word_bigrams,
    charTrigrams: a.embedder.char_trigrams,
    maxChars: a.embedder.max_chars,
    idf: decodeFloat32(a.embedder.idf, a.embedder.buckets, 'embedder.idf'),
    projection: decodeFloat32(a.embedder.projection, a.embedder.buckets * dim, 'embedder.projection'),
  };
  const k = a.clusters.k;
  const centroids = decodeFloat32(a.clusters.centroids, k * dim, 'clusters.centroids');
  const names = new Set<string>();
  const models = a.models.map((m, i): ArtifactModel => {
    if (names.has(m.name)) throw invalid(`models[${i}].name: duplicate model "${m.name}"`);
    names.add(m.name);
    if (m.quality.length !== k) throw invalid(`models[${i}].quality: expected ${k} values (one per cluster), found ${m.quality.length}`);
    return {
      name: m.name,
      inputPerMTok: m.input_per_mtok,
      outputPerMTok: m.output_per_mtok,
      ...(m.context_window_tokens !== undefined ? { contextWindowTokens: m.context_window_tokens } : {}),
      quality: Float32Array.from(m.quality),
      ...(m.mean_quality !== undefined ? { meanQuality: m.mean_quality } : {}),
    };
  });
  for (const b of ['cheap', 'mid', 'hard'] as const) {
    a.buckets[b].forEach((n, i) => {
      if (!names.has(n)) throw invalid(`buckets.${b}[${i}]: unknown model "${n}"`);
    });
  }
  if (a.router.top_p > k) throw invalid(`router.top_p: ${a.router.top_p} is more than the ${k} clusters`);
  const featureSources = compileFeatureSchema(a.feature_schema.names, dim, k);
  let gbdt: GbdtModel;
  try {
    gbdt = parseXGBoostModel(a.gbdt);
    assertFeatureSchema(gbdt, a.feature_schema.names);
  } catch (err) {
    if (err instanceof GatewayError) throw new GatewayError('routing_artifact_invalid', `gbdt: ${err.message}`, { cause: err });
    throw err;
  }
  return {
    version: a.version,
    embedder,
    k,
    dim,
    centroids,
    models,
    buckets: a.buckets,
    featureNames: a.feature_schema.names,
    featureSources,
    gbdt,
    router: {
      alpha: a.router.alpha,
      thresholds: a.router.thresholds,
      topP: a.router.top_p,
      clusterTemperature: a.router.cluster_temperature,
      penalties: { ctxOver80pct: a.router.penalties.ctx_over_80pct, latencySd: a.router.penalties.latency_sd },
      expectedOutputTokens: a.router.expected_output_tokens,
    },
    training: a.training ?? {},
  };
}

/** zod issues as `path: message; path: message`, paths written the way the JSON is. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(root)'}: ${i.message}`)
    .join('; ');
}

function invalid(message: string): GatewayError {
  return new GatewayError('routing_artifact_invalid', message);
}
