import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHashedEmbedder, projectSparse } from '../../core/embedding/hashed-embedder.js';
import { hashedTermVector } from '../../core/embedding/hashed-term-vector.js';
import { cosine } from '../../core/embedding/vector-math.js';
import { createSeededRng } from '../../core/math/seeded-rng.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { fitHashedEmbedder } from './fit-hashed-embedder.js';

const TOPICS: Record<string, string[]> = {
  cooking: ['bake', 'oven', 'flour', 'sugar', 'butter', 'recipe', 'dough', 'knead', 'simmer', 'sauce', 'garlic', 'onion', 'roast', 'pan', 'whisk', 'eggs'],
  code: ['function', 'variable', 'compile', 'array', 'loop', 'python', 'return', 'debug', 'class', 'method', 'string', 'integer', 'pointer', 'recursion', 'stack', 'bug'],
  space: ['planet', 'orbit', 'galaxy', 'telescope', 'star', 'nebula', 'comet', 'asteroid', 'gravity', 'moon', 'rocket', 'astronaut', 'mars', 'jupiter', 'eclipse', 'light'],
};
const FILLER = ['the', 'a', 'how', 'do', 'i', 'what', 'is', 'my', 'with', 'and', 'please', 'explain', 'why', 'can', 'you', 'in'];

function topicCorpus(perTopic: number, seed: number): { text: string; topic: string }[] {
  const rng = createSeededRng(seed);
  const out: { text: string; topic: string }[] = [];
  for (let i = 0; i < perTopic; i++) {
    for (const [topic, words] of Object.entries(TOPICS)) {
      const tokens: string[] = [];
      const len = 8 + rng.int(10);
      for (let t = 0; t < len; t++) tokens.push(rng.next() < 0.5 ? (words[rng.int(words.length)] as string) : (FILLER[rng.int(FILLER.length)] as string));
      out.push({ text: `${tokens.join(' ')}?`, topic });
    }
  }
  return out;
}

function meanSimilarity(vectors: Float32Array[], topics: string[], same: boolean): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      if ((topics[i] === topics[j]) !== same) continue;
      sum += cosine(vectors[i] as Float32Array, vectors[j] as Float32Array);
      n++;
    }
  }
  return sum / n;
}

describe('fitHashedEmbedder', () => {
  const train = topicCorpus(60, 1).map((x) => x.text);
  const options = { dim: 8, buckets: 4096, seed: 11 };

  it('is deterministic to the bit', () => {
    const a = fitHashedEmbedder(train, options);
    const b = fitHashedEmbedder(train, options);
    expect(Buffer.from(a.idf.buffer).equals(Buffer.from(b.idf.buffer))).toBe(true);
    expect(Buffer.from(a.projection.buffer).equals(Buffer.from(b.projection.buffer))).toBe(true);
    expect(createHashedEmbedder(a).id).toBe(createHashedEmbedder(b).id);
    const c = fitHashedEmbedder(train, { ...options, seed: 12 });
    expect(createHashedEmbedder(c).id).not.toBe(createHashedEmbedder(a).id);
  });

  it('computes idf = ln((1 + N) / (1 + df)) + 1', () => {
    const params = fitHashedEmbedder(['apple', 'apple banana', 'cherry'], { dim: 2, buckets: 1 << 16, seed: 3, wordBigrams: false });
    const bucketOf = (word: string) => hashedTermVector(word, { ...params, idf: new Float32Array(params.buckets).fill(1) }).indices[0] as number;
    expect(params.idf[bucketOf('apple')]).toBeCloseTo(Math.log(4 / 3) + 1, 6);
    expect(params.idf[bucketOf('cherry')]).toBeCloseTo(Math.log(4 / 2) + 1, 6);
    expect(params.idf[bucketOf('zebra')]).toBeCloseTo(Math.log(4) + 1, 6);
  });

  it('places texts on the same topic closer than texts on different topics', () => {
    const embedder = createHashedEmbedder(fitHashedEmbedder(train, options));
    const test = topicCorpus(15, 99);
    const vectors = test.map((x) => embedder.embed(x.text));
    const topics = test.map((x) => x.topic);
    const within = meanSimilarity(vectors, topics, true);
    const across = meanSimilarity(vectors, topics, false);
    expect(within).toBeGreaterThan(across + 0.3);
  });

  it('serves exactly the training-time vector', () => {
    const params = fitHashedEmbedder(train, options);
    const embedder = createHashedEmbedder(params);
    for (const text of train.slice(0, 20)) {
      const trainTime = projectSparse(hashedTermVector(text, params), params.projection, params.dim, new Float32Array(params.dim));
      expect(Buffer.from(embedder.embed(text).buffer).equals(Buffer.from(trainTime.buffer))).toBe(true);
    }
  });

  it('rejects an empty corpus and bad options', () => {
    expect(() => fitHashedEmbedder([], options)).toThrow(GatewayError);
    expect(() => fitHashedEmbedder(train, { ...options, buckets: 1000 })).toThrow(GatewayError);
    expect(() => fitHashedEmbedder(train, { ...options, dim: 0 })).toThrow(GatewayError);
  });

  const DATA = '/work/shared/data/routing/llmrouter/query_train.jsonl';
  it.skipIf(!existsSync(DATA))('separates real task families (maths vs code vs trivia)', () => {
    const rows = readFileSync(DATA, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { task_name: string; query: string });
    const fit = rows.filter((_, i) => i % 2 === 0);
    const held = ['gsm8k', 'mbpp', 'trivia_qa'].flatMap((task) => rows.filter((r, i) => i % 2 === 1 && r.task_name === task).slice(0, 80));
    const embedder = createHashedEmbedder(fitHashedEmbedder(fit.map((r) => r.query), { dim: 32, buckets: 8192, seed: 5 }));
    const within = meanSimilarity(held.map((r) => embedder.embed(r.query)), held.map((r) => r.task_name), true);
    const across = meanSimilarity(held.map((r) => embedder.embed(r.query)), held.map((r) => r.task_name), false);
    expect(within).toBeGreaterThan(across + 0.2);
  });
});
