import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseXGBoostModel } from '../../src/core/gbdt/parse-xgboost-model.js';
import { predictGbdt, predictMargin } from '../../src/core/gbdt/predict-gbdt.js';

/**
 * Models and probe predictions written by real XGBoost (make_fixtures.py), committed so the core's
 * exactness is checked on every run, with or without Python.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface Cases {
  readonly xgboost_version: string;
  readonly rows: ReadonlyArray<ReadonlyArray<number | null>>;
  readonly margins: ReadonlyArray<readonly number[]>;
  readonly predictions: ReadonlyArray<readonly number[]>;
}

const names = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.model.json'))
  .map((f) => f.replace('.model.json', ''))
  .sort();

describe('core GBDT against committed XGBoost fixtures', () => {
  it('has fixtures for every objective family', () => {
    expect(names).toEqual(expect.arrayContaining(['multi-softprob', 'binary-logistic', 'reg-squarederror']));
  });

  for (const name of names) {
    it(`${name}: margins and predictions equal XGBoost's`, () => {
      const model = parseXGBoostModel(JSON.parse(readFileSync(join(FIXTURES, `${name}.model.json`), 'utf8')));
      const cases = JSON.parse(readFileSync(join(FIXTURES, `${name}.cases.json`), 'utf8')) as Cases;
      expect(cases.rows.length).toBeGreaterThan(100);
      const out = new Float64Array(model.numClass);
      let maxMarginDiff = 0;
      let maxPredDiff = 0;
      cases.rows.forEach((row, i) => {
        const x = row.map((v) => (v === null ? Number.NaN : v));
        const margins = cases.margins[i] as readonly number[];
        predictMargin(model, x, out);
        expect(out.length).toBe(margins.length);
        margins.forEach((m, c) => (maxMarginDiff = Math.max(maxMarginDiff, Math.abs((out[c] as number) - m))));
        predictGbdt(model, x, out);
        const expected = cases.predictions[i] as readonly number[];
        if (model.objective === 'multi:softmax') {
          // XGBoost reports the arg-max class for softmax; we return the probabilities behind it.
          let best = 0;
          for (let c = 1; c < model.numClass; c++) if ((out[c] as number) > (out[best] as number)) best = c;
          expect(best).toBe(expected[0]);
        } else {
          expected.forEach((p, c) => (maxPredDiff = Math.max(maxPredDiff, Math.abs((out[c] as number) - p) / Math.max(1, Math.abs(p)))));
        }
      });
      // Float32 accumulation in XGBoost's order reproduces its margins bit for bit.
      expect(maxMarginDiff).toBe(0);
      expect(maxPredDiff).toBeLessThan(1e-6);
    });
  }
});
