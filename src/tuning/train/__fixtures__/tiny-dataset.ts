import type { DatasetRecord, PriceTable } from '../../dataset/dataset-record.js';

/** Three models at three price levels. */
export const TINY_PRICES: PriceTable = {
  'm-cheap': { input_per_mtok: 0.1, output_per_mtok: 0.1 },
  'm-mid': { input_per_mtok: 0.5, output_per_mtok: 1 },
  'm-strong': { input_per_mtok: 3, output_per_mtok: 6 },
};

const TOPICS = {
  trivia: { stems: ['Who wrote the novel about', 'What is the capital city near', 'Which river flows past', 'Name the famous painter of'], nouns: ['the old harbour', 'the green valley', 'the northern lakes', 'the royal palace', 'the desert oasis'] },
  math: { stems: ['Solve the equation 3x + 7 = 22 for', 'Compute the integral of x^2 over', 'Find the derivative of sin(x) * x^3 at', 'Prove the inequality a^2 + b^2 >= 2ab for'], nouns: ['x = 1', 'the interval [0, 2]', 'y = 5', 'all reals', 'n = 10'] },
  code: { stems: ['Write a Python function def parse(items): that handles', 'Fix this JavaScript bug: function f(a) { return a.map(x => x) } for', 'Implement a binary search tree class in Java with', 'Refactor the SQL query SELECT * FROM users WHERE id = 1 to use'], nouns: ['empty lists', 'nested arrays', 'unicode keys', 'duplicate values', 'large inputs'] },
} as const;

/** Per-topic scores: everyone answers trivia, mid and strong answer maths, only strong answers code. */
const TOPIC_SCORES: Record<keyof typeof TOPICS, Record<string, number>> = {
  trivia: { 'm-cheap': 1, 'm-mid': 1, 'm-strong': 1 },
  math: { 'm-cheap': 0, 'm-mid': 1, 'm-strong': 1 },
  code: { 'm-cheap': 0, 'm-mid': 0, 'm-strong': 1 },
};

/**
 * 60 prompts (20 per topic), deterministic. `scores` overrides the per-topic scores (for example
 * to make one model always right).
 */
export function tinyDataset(scores?: (topic: keyof typeof TOPICS, i: number) => Record<string, number>): DatasetRecord[] {
  const out: DatasetRecord[] = [];
  for (const topic of Object.keys(TOPICS) as (keyof typeof TOPICS)[]) {
    const { stems, nouns } = TOPICS[topic];
    let i = 0;
    for (const stem of stems) {
      for (const noun of nouns) {
        out.push({ id: `${topic}-${i}`, prompt: `${stem} ${noun}?`, task: topic, scores: scores ? scores(topic, i) : TOPIC_SCORES[topic] });
        i++;
      }
    }
  }
  return out;
}

/** Small, fast training options for the fixture. */
export const TINY_OPTIONS = {
  embedder: { dim: 8, buckets: 1024, wordBigrams: true, charTrigrams: false, maxChars: 1024 },
  search: { k: [2, 3, 4], topP: [1, 2], clusterTemperature: [0.05], shrinkage: [1] },
  gbdt: { rounds: 20, maxDepth: 2, eta: 0.3, lambda: 1, gamma: 0, minChildWeight: 1, subsample: 1, colsampleBytree: 1, maxBin: 16, earlyStoppingRounds: 5 },
} as const;
