"""Cross-check driver: trains real XGBoost on the data the TypeScript test wrote, and scores the
TypeScript learner's models with real XGBoost.

Usage: /usr/bin/python3 test/xgboost/train_xgboost.py WORKDIR

WORKDIR/spec.json:
  {"f": 20, "n_train": 3000, "n_test": 1000, "feature_names": [...], "rounds": 100,
   "params": {...XGBoost params shared by every task...},
   "tasks": [{"name": "multi", "objective": "multi:softprob", "num_class": 3, "base_score": 0.5}, ...],
   "ours": [{"name": "multi", "model_file": "ours_multi.json"}, ...]}
Matrices are little-endian float32 files: x_train.f32 (n_train * f, NaN = missing), x_test.f32,
y_<task>_train.f32. For each task it writes xgb_<task>.json (the saved model) and
xgb_<task>_margin.f32 / xgb_<task>_pred.f32 (held-out margins and predictions); for each of ours,
ours_<name>_margin.f32 / ours_<name>_pred.f32. result.json records versions and timings.
"""
import json
import os
import sys
import time

import numpy as np
import xgboost as xgb


def main(workdir):
    with open(os.path.join(workdir, "spec.json")) as fh:
        spec = json.load(fh)
    f = spec["f"]
    names = spec["feature_names"]
    x_train = np.fromfile(os.path.join(workdir, "x_train.f32"), dtype="<f4").reshape(spec["n_train"], f)
    x_test = np.fromfile(os.path.join(workdir, "x_test.f32"), dtype="<f4").reshape(spec["n_test"], f)
    d_test = xgb.DMatrix(x_test, missing=np.nan, feature_names=names)
    result = {"xgboost_version": xgb.__version__, "train_seconds": {}}

    for task in spec["tasks"]:
        name = task["name"]
        y = np.fromfile(os.path.join(workdir, f"y_{name}_train.f32"), dtype="<f4")
        params = dict(spec["params"])
        params["objective"] = task["objective"]
        params["base_score"] = task["base_score"]
        if "num_class" in task:
            params["num_class"] = task["num_class"]
        d_train = xgb.DMatrix(x_train, label=y, missing=np.nan, feature_names=names)
        start = time.perf_counter()
        booster = xgb.train(params, d_train, num_boost_round=spec["rounds"])
        result["train_seconds"][name] = time.perf_counter() - start
        booster.save_model(os.path.join(workdir, f"xgb_{name}.json"))
        write_predictions(booster, d_test, os.path.join(workdir, f"xgb_{name}"))

    for ours in spec["ours"]:
        booster = xgb.Booster(model_file=os.path.join(workdir, ours["model_file"]))
        write_predictions(booster, d_test, os.path.join(workdir, f"ours_{ours['name']}"))

    with open(os.path.join(workdir, "result.json"), "w") as fh:
        json.dump(result, fh)


def write_predictions(booster, dmatrix, prefix):
    np.asarray(booster.predict(dmatrix, output_margin=True), dtype="<f4").tofile(prefix + "_margin.f32")
    np.asarray(booster.predict(dmatrix), dtype="<f4").tofile(prefix + "_pred.f32")


if __name__ == "__main__":
    main(sys.argv[1])
