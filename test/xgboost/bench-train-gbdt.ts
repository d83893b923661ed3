/**
 * Prints training time and held-out log-loss of trainGbdt on a synthetic 3-class table.
 * Usage: npx tsx test/xgboost/bench-train-gbdt.ts [n] [f] [rounds] [depth]
 */
import { parseXGBoostModel } from '../../src/core/gbdt/parse-xgboost-model.js';
import { logLoss, predictDataset } from '../../src/tuning/gbdt/gbdt-metrics.js';
import { trainGbdt } from '../../src/tuning/gbdt/train-gbdt.js';
import { serializeXGBoostModel } from '../../src/tuning/gbdt/xgboost-model-json.js';
import { makeSyntheticDataset, sliceRows } from './synthetic-dataset.js';

const [n = 7500, f = 80, rounds = 200, depth = 6] = process.argv.slice(2).map(Number);
const data = makeSyntheticDataset(n, f, 42);
const nTrain = Math.floor(n * 0.8);
const train = { x: sliceRows(data.x, f, 0, nTrain), n: nTrain, f, y: data.yClass.subarray(0, nTrain) };
const test = { x: sliceRows(data.x, f, nTrain, n), n: n - nTrain, y: data.yClass.subarray(nTrain) };
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const model = trainGbdt(train, {
  objective: 'multi:softprob', numClass: 3, rounds, maxDepth: depth, eta: 0.1, lambda: 1, gamma: 0, minChildWeight: 1,
  maxBin: 256, seed: 7, featureNames: data.featureNames,
});
const t1 = performance.now();
const cpu = process.cpuUsage(cpu0);
const text = serializeXGBoostModel(model);
const parsed = parseXGBoostModel(JSON.parse(text));
const probs = predictDataset(parsed, test.x, test.n);
const t2 = performance.now();
console.log(`train ${nTrain}x${f}, 3 classes, ${rounds} rounds, depth ${depth}: ${((t1 - t0) / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
console.log(`predict ${test.n} rows: ${(t2 - t1).toFixed(0)} ms (incl. serialise+parse), model ${(text.length / 1024).toFixed(0)} KiB`);
console.log(`held-out log-loss ${logLoss(probs, test.y, 3).toFixed(4)}`);
