import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset, sliceRows } from '../../../test/xgboost/synthetic-dataset.js';
import type { GbdtModel } from '../../core/gbdt/gbdt-model.js';
import { parseXGBoostModel } from '../../core/gbdt/parse-xgboost-model.js';
import { predictMargin } from '../../core/gbdt/predict-gbdt.js';
import { logLoss, predictDataset, rmse } from './gbdt-metrics.js';
import { trainGbdt, type GbdtTrainObjective, type GbdtTrainOptions } from './train-gbdt.js';
import { serializeXGBoostModel } from './xgboost-model-json.js';

/**
 * Cross-check against real XGBoost (Debian python3-xgboost, installed by .ci/install-system-deps):
 * (a) the core reproduces XGBoost's predictions from XGBoost's own models, (b) our learner is as
 * good as XGBoost with the same hyper-parameters, (c) XGBoost loads our learner's JSON and predicts
 * what our core predicts.
 */
const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/xgboost/train_xgboost.py');
const probe = spawnSync(PYTHON, ['-c', 'import xgboost'], { encoding: 'utf8', timeout: 60_000 });
const xgboostAvailable = probe.status === 0;
const skipReason = xgboostAvailable ? '' : ` [SKIPPED: ${PYTHON} cannot import xgboost; CI installs python3-xgboost]`;

const N_TRAIN = 3000;
const N_TEST = 1000;
const F = 20;
const ROUNDS = 100;
const HYPER = { maxDepth: 5, eta: 0.1, lambda: 1, gamma: 0, minChildWeight: 1, maxBin: 256 } as const;

interface Task {
  readonly name: 'multi' | 'binary' | 'reg';
  readonly objective: GbdtTrainObjective;
  readonly numClass: number;
  readonly baseScore: number;
  readonly yTrain: Float64Array;
  readonly yTest: Float64Array;
}

function readF32(path: string): Float32Array {
  const buf = readFileSync(path);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

function marginsOf(model: GbdtModel, x: Float32Array, n: number): Float64Array {
  const k = model.numClass;
  const out = new Float64Array(n * k);
  const buf = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    predictMargin(model, x.subarray(r * F, (r + 1) * F), buf);
    out.set(buf, r * k);
  }
  return out;
}

function score(task: Task, preds: ArrayLike<number>): number {
  return task.objective === 'reg:squarederror' ? rmse(preds, task.yTest) : logLoss(preds, task.yTest, task.numClass);
}

describe(`GBDT cross-check against real XGBoost${skipReason}`, () => {
  const data = makeSyntheticDataset(N_TRAIN + N_TEST, F, 20240611);
  const xTrain = sliceRows(data.x, F, 0, N_TRAIN);
  const xTest = sliceRows(data.x, F, N_TRAIN, N_TRAIN + N_TEST);
  const mean = (y: Float64Array): number => y.reduce((s, v) => s + v, 0) / y.length;
  const tasks: Task[] = [
    { name: 'multi', objective: 'multi:softprob', numClass: 3, baseScore: 0.5, yTrain: data.yClass.slice(0, N_TRAIN), yTest: data.yClass.slice(N_TRAIN) },
    { name: 'binary', objective: 'binary:logistic', numClass: 1, baseScore: Math.fround(mean(data.yBinary.slice(0, N_TRAIN))), yTrain: data.yBinary.slice(0, N_TRAIN), yTest: data.yBinary.slice(N_TRAIN) },
    { name: 'reg', objective: 'reg:squarederror', numClass: 1, baseScore: Math.fround(mean(data.yReg.slice(0, N_TRAIN))), yTrain: data.yReg.slice(0, N_TRAIN), yTest: data.yReg.slice(N_TRAIN) },
  ];
  let dir = '';
  const ours = new Map<string, { json: string; model: GbdtModel; seconds: number }>();
  let result: { xgboost_version: string; train_seconds: Record<string, number> } | undefined;

  beforeAll(() => {
    if (!xgboostAvailable) return;
    dir = mkdtempSync(join(tmpdir(), 'heimdall-xgb-'));
    writeFileSync(join(dir, 'x_train.f32'), xTrain);
    writeFileSync(join(dir, 'x_test.f32'), xTest);
    for (const task of tasks) {
      writeFileSync(join(dir, `y_${task.name}_train.f32`), Float32Array.from(task.yTrain));
      const options: GbdtTrainOptions = {
        ...HYPER,
        objective: task.objective,
        ...(task.objective === 'multi:softprob' ? { numClass: 3 } : {}),
        rounds: ROUNDS,
        seed: 1,
        featureNames: data.featureNames,
        baseScore: task.baseScore,
      };
      const start = performance.now();
      const json = serializeXGBoostModel(trainGbdt({ x: xTrain, n: N_TRAIN, f: F, y: task.yTrain }, options));
      const seconds = (performance.now() - start) / 1000;
      writeFileSync(join(dir, `ours_${task.name}.json`), json);
      ours.set(task.name, { json, model: parseXGBoostModel(JSON.parse(json)), seconds });
    }
    const spec = {
      f: F,
      n_train: N_TRAIN,
      n_test: N_TEST,
      feature_names: data.featureNames,
      rounds: ROUNDS,
      params: {
        tree_method: 'hist',
        max_depth: HYPER.maxDepth,
        eta: HYPER.eta,
        lambda: HYPER.lambda,
        alpha: 0,
        gamma: HYPER.gamma,
        min_child_weight: HYPER.minChildWeight,
        max_bin: HYPER.maxBin,
        subsample: 1,
        colsample_bytree: 1,
        seed: 1,
        nthread: 1,
      },
      tasks: tasks.map((t) => ({ name: t.name, objective: t.objective, base_score: t.baseScore, ...(t.numClass > 1 ? { num_class: t.numClass } : {}) })),
      ours: tasks.map((t) => ({ name: t.name, model_file: `ours_${t.name}.json` })),
    };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const run = spawnSync(PYTHON, [SCRIPT, dir], { encoding: 'utf8', timeout: 180_000 });
    if (run.status !== 0) throw new Error(`train_xgboost.py failed (${String(run.status ?? run.signal)}):\n${run.stderr}`);
    result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as typeof result;
  }, 240_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  for (const task of tasks) {
    it.skipIf(!xgboostAvailable)(`(a) ${task.objective}: the core reproduces XGBoost's predictions from its own model`, () => {
      const model = parseXGBoostModel(JSON.parse(readFileSync(join(dir, `xgb_${task.name}.json`), 'utf8')));
      expect(model.numTrees).toBe(ROUNDS * task.numClass);
      const marginDiff = maxAbsDiff(marginsOf(model, xTest, N_TEST), readF32(join(dir, `xgb_${task.name}_margin.f32`)));
      const predDiff = maxAbsDiff(predictDataset(model, xTest, N_TEST), readF32(join(dir, `xgb_${task.name}_pred.f32`)));
      console.log(`[xgboost-crosscheck] (a) ${task.objective}: max |margin diff| ${marginDiff.toExponential(2)}, max |prediction diff| ${predDiff.toExponential(2)}`);
      expect(marginDiff).toBeLessThan(1e-6);
      expect(predDiff).toBeLessThan(1e-6);
    });

    it.skipIf(!xgboostAvailable)(`(b) ${task.objective}: our learner is within 5% of XGBoost on held-out data`, () => {
      const xgbScore = score(task, readF32(join(dir, `xgb_${task.name}_pred.f32`)));
      const mine = ours.get(task.name);
      expect(mine).toBeDefined();
      const ourScore = score(task, predictDataset((mine as { model: GbdtModel }).model, xTest, N_TEST));
      const metric = task.objective === 'reg:squarederror' ? 'rmse' : 'log-loss';
      console.log(
        `[xgboost-crosscheck] (b) ${task.objective}: held-out ${metric} ours ${ourScore.toFixed(5)} vs XGBoost ${result?.xgboost_version} ${xgbScore.toFixed(5)}` +
          ` (ratio ${(ourScore / xgbScore).toFixed(4)}); train time ours ${mine?.seconds.toFixed(2)} s, XGBoost ${result?.train_seconds[task.name]?.toFixed(2)} s`,
      );
      expect(ourScore).toBeLessThanOrEqual(xgbScore * 1.05);
    });

    it.skipIf(!xgboostAvailable)(`(c) ${task.objective}: XGBoost loads our JSON and predicts what our core predicts`, () => {
      const mine = ours.get(task.name) as { model: GbdtModel };
      const marginDiff = maxAbsDiff(marginsOf(mine.model, xTest, N_TEST), readF32(join(dir, `ours_${task.name}_margin.f32`)));
      const predDiff = maxAbsDiff(predictDataset(mine.model, xTest, N_TEST), readF32(join(dir, `ours_${task.name}_pred.f32`)));
      console.log(`[xgboost-crosscheck] (c) ${task.objective}: max |margin diff| ${marginDiff.toExponential(2)}, max |prediction diff| ${predDiff.toExponential(2)}`);
      expect(marginDiff).toBeLessThan(1e-6);
      expect(predDiff).toBeLessThan(1e-6);
    });
  }
});
