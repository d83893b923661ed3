import type { ArtifactJson } from '../../src/artifact/artifact-schema.js';
import { encodeFloat32 } from '../../src/artifact/float32-codec.js';
import { embedderToJson } from '../../src/artifact/embedder-to-json.js';
import { parseArtifact } from '../../src/artifact/parse-artifact.js';
import { buildRouterState, type CatalogFacts, type ModelBinding } from '../../src/core/build-router-state.js';
import { embedInto } from '../../src/core/embedding/hashed-embedder.js';
import { l2Normalize } from '../../src/core/embedding/vector-math.js';
import { handModel, stump } from '../../src/core/gbdt/__fixtures__/hand-model.js';
import type { ParsedArtifact } from '../../src/core/router-artifact.js';
import type { RouterState } from '../../src/core/router-state.js';
import { defaultFeatureNames, SCALAR_FEATURES } from '../../src/core/triage/feature-schema.js';
import type { ProviderId } from '../../src/types/provider-id.js';
import { fitHashedEmbedder } from '../../src/tuning/embedder/fit-hashed-embedder.js';

/** Three topics; each becomes one cluster of the test artifact (0 code, 1 math, 2 trivia). */
export const TOPIC_PROMPTS = {
  code: [
    'Write a Python function def sort_items(items): that returns the list sorted and explain the code.',
    'Fix this JavaScript bug: function add(a, b) { return a - b; } should add the numbers.',
    'Implement a binary search in Python: def search(arr, target): with a while loop over indices.',
    'Refactor the Java class with public static void main(String[] args) { System.out.println(x); }',
    'Write a SQL query: SELECT name, count(*) FROM users GROUP BY name ORDER BY count DESC;',
  ],
  math: [
    'Solve for x: 3x + 5 = 20. Show each algebra step of the equation.',
    'Compute the integral of x^2 + 2x from 0 to 3 and simplify the result.',
    'What is the probability of rolling two sixes with two fair dice? Give the fraction.',
    'Find the derivative of f(x) = x^3 - 4x + 7 and evaluate it at x = 2.',
    'A train travels 120 km in 1.5 hours. Compute its average speed in km per hour.',
  ],
  trivia: [
    'Who was the first president of the United States of America?',
    'What is the capital city of Australia, and when did it become the capital?',
    'Which author wrote the novel Pride and Prejudice, published in 1813?',
    'What is the tallest mountain in Africa and which country is it in?',
    'Who painted the Mona Lisa and in which museum is it displayed today?',
  ],
} as const;

/** The test models: cheap/weak, mid, expensive/strong, each on a different provider. */
export const TEST_MODELS = [
  { name: 'small', provider: 'openai', model: 'small-1', input: 0.1, output: 0.2, ctx: 8_192, quality: [0.3, 0.4, 0.8] },
  { name: 'medium', provider: 'anthropic', model: 'medium-1', input: 1, output: 2, ctx: 32_768, quality: [0.6, 0.7, 0.82] },
  { name: 'large', provider: 'gemini', model: 'large-1', input: 10, output: 20, ctx: 1_000_000, quality: [0.9, 0.95, 0.85] },
] as const;

/**
 * A small, fully specified artifact for core tests: the embedder is fitted on the topic prompts,
 * the centroids are the topics' mean embeddings, quality is set per topic, and the triage model is
 * three hand-made stumps: code -> hard, math -> mid, anything else -> cheap.
 */
export function buildTestArtifactJson(overrides: Partial<ArtifactJson['router']> = {}): ArtifactJson {
  const corpus = [...TOPIC_PROMPTS.code, ...TOPIC_PROMPTS.math, ...TOPIC_PROMPTS.trivia];
  const dim = 8;
  const emb = fitHashedEmbedder(corpus, { dim, buckets: 1024, seed: 7 });
  const k = 3;
  const centroids = new Float32Array(k * dim);
  const row = new Float32Array(dim);
  (['code', 'math', 'trivia'] as const).forEach((topic, c) => {
    const acc = new Float32Array(dim);
    for (const p of TOPIC_PROMPTS[topic]) {
      embedInto(p, emb, row);
      for (let i = 0; i < dim; i++) acc[i]! += row[i] as number;
    }
    centroids.set(l2Normalize(acc), c * dim);
  });
  const names = defaultFeatureNames(dim, k);
  const hasCode = SCALAR_FEATURES.indexOf('has_code');
  const hasMath = SCALAR_FEATURES.indexOf('has_math');
  const gbdt = handModel([stump(hasCode, 0.5, 2, -2), stump(hasMath, 0.5, 0, 3), stump(hasCode, 0.5, -1, 3)], {
    objective: 'multi:softprob',
    numClass: 3,
    numFeature: names.length,
    treeInfo: [0, 1, 2],
    featureNames: names,
  });
  return {
    format: 'heimdall-artifact',
    schema_version: 1,
    version: 'test-artifact-1',
    embedder: embedderToJson(emb),
    clusters: { k, centroids: encodeFloat32(centroids) },
    models: TEST_MODELS.map((m) => ({ name: m.name, input_per_mtok: m.input, output_per_mtok: m.output, context_window_tokens: m.ctx, quality: [...m.quality] })),
    buckets: { cheap: ['small'], mid: ['small', 'medium'], hard: ['small', 'medium', 'large'] },
    feature_schema: { names },
    gbdt,
    router: {
      alpha: 0.8,
      thresholds: { cheap: 0.5, hard: 0.5 },
      top_p: 1,
      cluster_temperature: 0.05,
      penalties: { ctx_over_80pct: 0.5, latency_sd: 0.05 },
      expected_output_tokens: { cheap: 256, mid: 256, hard: 256 },
      ...overrides,
    },
  };
}

export function buildTestArtifact(overrides: Partial<ArtifactJson['router']> = {}): ParsedArtifact {
  return parseArtifact(buildTestArtifactJson(overrides));
}

/** Router state over the test artifact, each model on its own provider, prices from the artifact. */
export function buildTestState(
  options: {
    artifact?: ParsedArtifact;
    reasoning?: Partial<Record<string, CatalogFacts['reasoning']>>;
    /** Catalog capabilities per model name; a model not listed has none in its catalog facts (assumed capable). */
    capabilities?: Partial<Record<string, { tools: boolean; vision: boolean }>>;
  } = {},
): RouterState {
  const artifact = options.artifact ?? buildTestArtifact();
  return buildRouterState({
    artifact,
    bind: (name): ModelBinding | undefined => {
      const m = TEST_MODELS.find((x) => x.name === name);
      return m ? { provider: m.provider as ProviderId, providerModel: m.model } : undefined;
    },
    catalog: (_p, model): CatalogFacts | undefined => {
      const m = TEST_MODELS.find((x) => x.model === model);
      if (!m) return undefined;
      const facts: CatalogFacts = { inputPerMTok: m.input, outputPerMTok: m.output, contextWindowTokens: m.ctx, reasoning: options.reasoning?.[m.name] ?? { kind: 'none' } };
      const caps = options.capabilities?.[m.name];
      return caps === undefined ? facts : Object.assign(facts, caps);
    },
    overrides: {
      bucketDefaults: { cheap: {}, mid: { effort: 'low', budgetTokens: 2048 }, hard: { effort: 'high', budgetTokens: 8192 } },
    },
  });
}

export const ALL_PROVIDERS: ReadonlySet<string> = new Set(['openai', 'anthropic', 'gemini', 'openrouter']);
