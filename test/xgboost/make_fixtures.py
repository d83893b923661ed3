"""Regenerates the committed XGBoost fixtures in test/xgboost/fixtures/.

Each objective gets a small model saved with Booster.save_model (JSON) plus probe rows and the
margins/predictions real XGBoost computes for them. The probes include values sitting exactly on
split thresholds and float64 values that round (to float32) onto a threshold, so the core's
float32 routing is checked against XGBoost's own.

Usage: /usr/bin/python3 test/xgboost/make_fixtures.py
"""
import json
import os

import numpy as np
import xgboost as xgb

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
N_FEATURES = 6


def dataset(rng, n):
    x = rng.normal(size=(n, N_FEATURES))
    x[:, 3] = np.round(x[:, 3] * 3) / 10  # coarse values like 0.1 that float32 cannot represent
    x[rng.random(size=x.shape) < 0.12] = np.nan
    z = np.nan_to_num(x)
    score = z[:, 0] + np.sin(2 * z[:, 1]) + 0.5 * z[:, 2] * z[:, 3] - 0.3 * np.abs(z[:, 4])
    return x, score


def labels(objective, score, rng):
    if objective.startswith("multi:"):
        return np.digitize(score + 0.3 * rng.normal(size=score.shape), [-0.5, 0.7]).astype(np.float64)
    if objective.startswith("binary:") or objective == "reg:logistic":
        return (score + 0.3 * rng.normal(size=score.shape) > 0).astype(np.float64)
    if objective in ("count:poisson",):
        return rng.poisson(np.exp(0.4 * score)).astype(np.float64)
    if objective in ("reg:gamma", "reg:tweedie"):
        return np.exp(0.4 * score) * rng.gamma(2.0, 0.5, size=score.shape)
    return score + 0.2 * rng.normal(size=score.shape)


def probes(booster, x_train, rng):
    """Training rows plus rows that hit thresholds exactly or from float64 neighbours."""
    rows = [row for row in x_train[:40]]
    trees = json.loads(booster.save_raw("json"))["learner"]["gradient_booster"]["model"]["trees"]
    for tree in trees[:4]:
        for i, left in enumerate(tree["left_children"]):
            if left == -1:
                continue
            f = tree["split_indices"][i]
            thr = np.float32(tree["split_conditions"][i])
            below32 = np.nextafter(thr, np.float32(-np.inf))
            for value in (float(thr), float(below32),
                          # Float64 values strictly between two float32s that round onto thr.
                          float(thr) - (float(thr) - float(below32)) * 0.25,
                          float(thr) + (float(np.nextafter(thr, np.float32(np.inf))) - float(thr)) * 0.25):
                row = x_train[rng.integers(len(x_train))].copy()
                row[f] = value
                rows.append(row)
    return np.array(rows)


CASES = [
    ("multi-softprob", {"objective": "multi:softprob", "num_class": 3}),
    ("multi-softmax", {"objective": "multi:softmax", "num_class": 3}),
    ("binary-logistic", {"objective": "binary:logistic", "base_score": 0.3}),
    ("binary-logitraw", {"objective": "binary:logitraw", "base_score": 0.3}),
    ("reg-logistic", {"objective": "reg:logistic"}),
    ("reg-squarederror", {"objective": "reg:squarederror", "base_score": 0.25}),
    ("reg-absoluteerror", {"objective": "reg:absoluteerror"}),
    ("reg-pseudohubererror", {"objective": "reg:pseudohubererror"}),
    ("count-poisson", {"objective": "count:poisson", "base_score": 1.5}),
    ("reg-gamma", {"objective": "reg:gamma", "base_score": 2.0}),
    ("reg-tweedie", {"objective": "reg:tweedie", "base_score": 2.0}),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, extra in CASES:
        rng = np.random.default_rng(len(name) * 7919)
        x, score = dataset(rng, 400)
        y = labels(extra["objective"], score, rng)
        params = {"tree_method": "hist", "max_depth": 3, "eta": 0.3, "seed": 1, "nthread": 1, **extra}
        booster = xgb.train(params, xgb.DMatrix(x, label=y, missing=np.nan, feature_names=[f"f{i}" for i in range(N_FEATURES)]), 8)
        model_path = os.path.join(OUT, f"{name}.model.json")
        booster.save_model(model_path)
        px = probes(booster, x, rng)
        dm = xgb.DMatrix(px, missing=np.nan, feature_names=[f"f{i}" for i in range(N_FEATURES)])
        margins = booster.predict(dm, output_margin=True)
        preds = booster.predict(dm)
        case = {
            "xgboost_version": xgb.__version__,
            "rows": [[None if np.isnan(v) else float(v) for v in row] for row in px],
            "margins": np.asarray(margins, dtype=np.float64).reshape(len(px), -1).tolist(),
            "predictions": np.asarray(preds, dtype=np.float64).reshape(len(px), -1).tolist(),
        }
        with open(os.path.join(OUT, f"{name}.cases.json"), "w") as fh:
            json.dump(case, fh)
        print(name, len(px), "probes")


if __name__ == "__main__":
    main()
