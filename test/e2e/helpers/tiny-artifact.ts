import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetRecord, PriceTable } from '../../../src/tuning/dataset/dataset-record.js';
import { trainArtifact } from '../../../src/tuning/train/train-artifact.js';

/** Artifact model names of the tiny test artifact, cheapest first. */
export const TINY_MODELS = ['tiny-small', 'tiny-medium', 'tiny-large'] as const;

/** Prices of the tiny artifact's models, USD per million tokens. */
export const TINY_PRICES: PriceTable = {
  'tiny-small': { input_per_mtok: 0.1, output_per_mtok: 0.2 },
  'tiny-medium': { input_per_mtok: 1, output_per_mtok: 2 },
  'tiny-large': { input_per_mtok: 10, output_per_mtok: 30 },
};

const EASY = ['say hello to my friend', 'what is the capital of france', 'translate good morning to spanish', 'tell me a short joke', 'what colour is the sky', 'name three fruits', 'how many days are in a week', 'spell the word cat'];
const HARD = [
  'prove that there are infinitely many primes using a rigorous argument',
  'write a lock-free concurrent hash map in rust with tests',
  'derive the gradient of the softmax cross entropy loss step by step',
  'design a distributed consensus protocol tolerant to byzantine faults',
  'implement a compiler pass for loop invariant code motion in llvm',
  'solve the integral of x squared times e to the x and explain',
  'refactor this typescript generic type inference into conditional types',
  'analyse the time complexity of dijkstra with a fibonacci heap',
];

/** A small deterministic dataset: easy prompts everyone answers, hard ones only the large model does. */
export function tinyDataset(): DatasetRecord[] {
  const out: DatasetRecord[] = [];
  for (let round = 0; round < 3; round++) {
    EASY.forEach((p, i) => out.push({ id: `e${round}-${i}`, prompt: `${p} please (${round})`, task: 'easy', scores: { 'tiny-small': 1, 'tiny-medium': 1, 'tiny-large': 1 } }));
    HARD.forEach((p, i) =>
      out.push({ id: `h${round}-${i}`, prompt: `${p} carefully (${round})`, task: 'hard', scores: { 'tiny-small': 0, 'tiny-medium': round === 0 ? 1 : 0, 'tiny-large': 1 } }),
    );
  }
  return out;
}

/** Trains the tiny artifact and writes it to a temporary file; returns the file's path. */
export function writeTinyArtifact(): string {
  const { artifact } = trainArtifact(tinyDataset(), TINY_PRICES, {
    k: 2,
    embedder: { dim: 16, buckets: 1024, wordBigrams: false, charTrigrams: false, maxChars: 2048 },
    gbdt: { rounds: 10, maxDepth: 2, eta: 0.3, lambda: 1, gamma: 0, minChildWeight: 1, subsample: 1, colsampleBytree: 1, maxBin: 16, earlyStoppingRounds: 5 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'heimdall-e2e-'));
  const path = join(dir, 'artifact.json');
  writeFileSync(path, JSON.stringify(artifact));
  return path;
}
