#!/usr/bin/env python3
"""Writes sklearn_reference.json: inputs and the values scikit-learn and numpy give for them.

Run with Debian's python3-sklearn and python3-numpy (apt-get install -y python3-sklearn):
    python3 make_sklearn_reference.py > sklearn_reference.json
The Java test (SklearnReferenceTest) only reads the JSON; the build never runs Python.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score

rng = np.random.default_rng(20261201)
n, units = 120, 12
labels = rng.random(n) < 0.3
labels[0], labels[1] = True, False
# few distinct values (ties), each unit leaning towards the label by a different amount
values = rng.integers(0, 4, size=(n, units)).astype(np.float64)
values += (labels[:, None] & (rng.random((n, units)) < np.linspace(0, 0.9, units))).astype(np.float64)
values[:, 3] = np.round(rng.normal(size=n), 1)  # one unit with many distinct values

ap = [float(average_precision_score(labels, values[:, u])) for u in range(units)]
auc = [float(roc_auc_score(labels, values[:, u])) for u in range(units)]

# LAPE: activation probabilities of 5 groups x 7 units, with zeros and an all-zero unit
p = rng.random((5, 7)) * (rng.random((5, 7)) < 0.7)
p[:, 6] = 0.0
normed = p / p.sum(axis=0, keepdims=True)
normed[np.isnan(normed)] = 0.0
with np.errstate(divide="ignore", invalid="ignore"):
    log = np.where(normed > 0, np.log(normed), 0.0)
entropy = -(normed * log).sum(axis=0)

json.dump({
    "generator": "make_sklearn_reference.py, scikit-learn " + sklearn.__version__ + ", numpy " + np.__version__,
    "labels": [bool(b) for b in labels],
    "values": values.tolist(),
    "average_precision": ap,
    "roc_auc": auc,
    "probabilities": p.tolist(),
    "lape_entropy": entropy.tolist(),
}, sys.stdout, indent=1)
sys.stdout.write("\n")
