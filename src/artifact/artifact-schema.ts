import { z } from 'zod';

const probability = z.number().min(0).max(1);

/** The local embedder's parameters; the big arrays are base64 float32 (see float32-codec). */
export const artifactEmbedderSchema = z
  .object({
    kind: z.literal('hashed-lsa'),
    dim: z.number().int().min(2).max(4096),
    buckets: z.number().int().min(16).max(1 << 22),
    seed: z.number().int().min(0).max(0xffffffff),
    word_bigrams: z.boolean(),
    char_trigrams: z.boolean(),
    max_chars: z.number().int().min(64),
    idf: z.string(),
    projection: z.string(),
  })
  .strict();

export const artifactModelSchema = z
  .object({
    name: z.string().min(1),
    /** USD per million tokens, as trained; serving prefers the catalog's current price. */
    input_per_mtok: z.number().min(0),
    output_per_mtok: z.number().min(0),
    context_window_tokens: z.number().int().positive().optional(),
    /** Learned quality per cluster, in [0, 1]. */
    quality: z.array(probability),
    /** Overall mean quality, used by reports and as the shrinkage target. */
    mean_quality: probability.optional(),
  })
  .strict();

export const artifactRouterSchema = z
  .object({
    alpha: probability,
    thresholds: z.object({ cheap: probability, hard: probability }).strict(),
    top_p: z.number().int().min(1),
    cluster_temperature: z.number().positive(),
    penalties: z.object({ ctx_over_80pct: z.number().min(0), latency_sd: z.number().min(0) }).strict(),
    expected_output_tokens: z.object({ cheap: z.number().int().positive(), mid: z.number().int().positive(), hard: z.number().int().positive() }).strict(),
  })
  .strict();

/** A versioned router artifact: everything the core needs, learned together by `heimdall train`. */
export const artifactSchema = z
  .object({
    format: z.literal('heimdall-artifact'),
    schema_version: z.literal(1),
    /** Content-derived version id (changes whenever anything learned changes). */
    version: z.string().min(1),
    embedder: artifactEmbedderSchema,
    clusters: z.object({ k: z.number().int().min(1), centroids: z.string() }).strict(),
    models: z.array(artifactModelSchema).min(1),
    buckets: z.object({ cheap: z.array(z.string()), mid: z.array(z.string()), hard: z.array(z.string()) }).strict(),
    feature_schema: z.object({ names: z.array(z.string()).min(1) }).strict(),
    /** The triage model in XGBoost's JSON model format. */
    gbdt: z.record(z.string(), z.unknown()),
    router: artifactRouterSchema,
    /** Free-form provenance: dataset, sizes, seeds, metrics. */
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type ArtifactJson = z.infer<typeof artifactSchema>;
export type ArtifactModelJson = z.infer<typeof artifactModelSchema>;
