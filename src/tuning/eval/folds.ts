import { createSeededRng, shuffleInPlace } from '../../core/math/seeded-rng.js';
import type { DatasetRecord } from '../dataset/dataset-record.js';

/** Seed of the cross-validation folds: fixed so every run and every router sees the same folds. */
export const FOLD_SEED = 20_240_601;

/**
 * Assigns every record to one of `k` folds, stratified by task: each task's records are shuffled
 * with a seeded RNG and dealt round-robin, continuing the deal across tasks so fold sizes differ by
 * at most one. Records without a task form their own stratum.
 */
export function stratifiedFolds(records: readonly DatasetRecord[], k: number, seed = FOLD_SEED): Int32Array {
  const rng = createSeededRng(seed);
  const byTask = new Map<string, number[]>();
  records.forEach((r, i) => {
    const t = r.task ?? '';
    const list = byTask.get(t);
    if (list) list.push(i);
    else byTask.set(t, [i]);
  });
  const fold = new Int32Array(records.length);
  let dealt = 0;
  for (const task of [...byTask.keys()].sort()) {
    for (const i of shuffleInPlace(byTask.get(task) as number[], rng)) fold[i] = dealt++ % k;
  }
  return fold;
}

/** Indices of records in / not in fold `f`. */
export function foldIndices(fold: Int32Array, f: number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < fold.length; i++) (fold[i] === f ? test : train).push(i);
  return { train, test };
}
