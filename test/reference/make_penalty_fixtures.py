#!/usr/bin/env python3
"""Generate test/fixtures/penalties-keras3.json: regularizer penalties and constraint projections.

Run from anywhere:   /usr/bin/python3 test/reference/make_penalty_fixtures.py
Requires: the Python 3 standard library only (no numpy, no torch, no Keras).

A plain-Python float64 transcription of Keras 3's
  * keras/src/regularizers/regularizers.py: L1 (l1*sum|x|), L2 (l2*sum x^2), L1L2 (both, a zero factor
    skipped), OrthogonalRegularizer (rows/columns L2-normalized by ops.nn.normalize, i.e.
    x * rsqrt(max(sum x^2, eps^2)); factor * 0.5 * sum|off-diagonal of the Gram matrix| / (n(n-1)/2));
    the gradients of L1/L2/L1L2 (d|x|/dx = sign(x), 0 at 0 as TensorFlow; d x^2/dx = 2x);
  * keras/src/constraints/constraints.py: MaxNorm (w * clip(n, 0, max)/(eps + n)), UnitNorm
    (w / (eps + n)), MinMaxNorm (w * (rate*clip(n, min, max) + (1 - rate)*n)/(eps + n)), NonNeg (max(w, 0)),
    with n the L2 norm over `axis` (keepdims), eps = backend.epsilon() = 1e-7;
  * Keras's training order for a Dense kernel with both: the penalty joins the loss (its gradient adds to the
    loss gradient), the optimizer updates (plain SGD here), then the constraint projects the variable.

Keel (float32) is compared within a relative tolerance of about 1e-6. Inputs are multiples of 1/64, exact in
float32. No value here comes from Keel. Deterministic: re-running it rewrites the same JSON byte for byte.
"""

import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "penalties-keras3.json"))
GENERATOR = "test/reference/make_penalty_fixtures.py (plain Python float64 transcription of Keras 3)"
EPS = 1e-7


def lcg(seed):
    """A tiny deterministic generator of multiples of 1/64 in [-2, 2)."""
    state = seed

    def draw():
        nonlocal state
        state = (state * 1103515245 + 12345) % (2**31)
        return ((state >> 8) % 256 - 128) / 64.0

    return draw


def matrix(rows, cols, seed, zero_row=None):
    draw = lcg(seed)
    m = [[draw() for _ in range(cols)] for _ in range(rows)]
    if zero_row is not None:
        m[zero_row] = [0.0] * cols
    return m


def sign(v):
    return 0.0 if v == 0 else (1.0 if v > 0 else -1.0)


# --------------------------------------------------------------------------
# regularizers
# --------------------------------------------------------------------------

def l1l2(x, l1, l2):
    flat = [v for row in x for v in row]
    total = 0.0
    if l1:
        total += l1 * sum(abs(v) for v in flat)
    if l2:
        total += l2 * sum(v * v for v in flat)
    grad = [[(l1 * sign(v) if l1 else 0.0) + (2 * l2 * v if l2 else 0.0) for v in row] for row in x]
    return total, grad


def normalize_rows(x):
    out = []
    for row in x:
        s = sum(v * v for v in row)
        inv = 1.0 / math.sqrt(max(s, EPS * EPS))
        out.append([v * inv for v in row])
    return out


def transpose(x):
    return [list(c) for c in zip(*x)]


def orthogonal(x, factor, mode):
    vecs = normalize_rows(x) if mode == "rows" else normalize_rows(transpose(x))
    n = len(vecs)
    total = 0.0
    for i in range(n):
        for j in range(n):
            if i != j:
                total += abs(sum(a * b for a, b in zip(vecs[i], vecs[j])))
    return factor * 0.5 * total / (n * (n - 1.0) / 2.0)


REGULARIZERS = []
for name, x in [("4x3", matrix(4, 3, 1)), ("3x5 with a zero row", matrix(3, 5, 2, zero_row=1))]:
    for cls, config, l1, l2 in [
        ("L1", {"l1": 0.01}, 0.01, 0.0),
        ("L2", {"l2": 0.03}, 0.0, 0.03),
        ("L1L2", {"l1": 0.02, "l2": 0.05}, 0.02, 0.05),
        ("L1L2", {"l1": 0.0, "l2": 0.1}, 0.0, 0.1),
    ]:
        value, grad = l1l2(x, l1, l2)
        REGULARIZERS.append({"name": f"{cls} {config} on {name}", "regularizer": {"class_name": cls, "config": config},
                             "x": x, "value": value, "grad": grad})
    for mode in ("rows", "columns"):
        config = {"factor": 0.01, "mode": mode}
        REGULARIZERS.append({"name": f"OrthogonalRegularizer {mode} on {name}",
                             "regularizer": {"class_name": "OrthogonalRegularizer", "config": config},
                             "x": x, "value": orthogonal(x, 0.01, mode), "grad": None})


# --------------------------------------------------------------------------
# constraints (axis over a rank-2 kernel [fan_in, units]; axis 0 = per unit)
# --------------------------------------------------------------------------

def norms(w, axis):
    rows, cols = len(w), len(w[0])
    if axis == 0:
        return [[math.sqrt(sum(w[i][j] ** 2 for i in range(rows))) for j in range(cols)]]
    if axis == 1:
        return [[math.sqrt(sum(v * v for v in row))] for row in w]
    return [[math.sqrt(sum(v * v for row in w for v in row))]]


def broadcast(n, i, j):
    return n[min(i, len(n) - 1)][min(j, len(n[0]) - 1)]


def scale_by(w, axis, f):
    n = norms(w, axis)
    return [[v * f(broadcast(n, i, j)) for j, v in enumerate(row)] for i, row in enumerate(w)]


def clip(v, lo, hi):
    return min(max(v, lo), hi)


def max_norm(w, c):
    return scale_by(w, c["axis"], lambda n: clip(n, 0.0, c["max_value"]) / (EPS + n))


def unit_norm(w, c):
    return scale_by(w, c["axis"], lambda n: 1.0 / (EPS + n))


def min_max_norm(w, c):
    r = c["rate"]
    return scale_by(w, c["axis"], lambda n: (r * clip(n, c["min_value"], c["max_value"]) + (1 - r) * n) / (EPS + n))


def non_neg(w, c):
    return [[max(v, 0.0) for v in row] for row in w]


CONSTRAINT_FNS = {"MaxNorm": max_norm, "UnitNorm": unit_norm, "MinMaxNorm": min_max_norm, "NonNeg": non_neg}

CONSTRAINTS = []
for name, w in [("4x3", matrix(4, 3, 3)), ("3x5 with a zero row", matrix(3, 5, 4, zero_row=2))]:
    for cls, config in [
        ("MaxNorm", {"max_value": 1.5, "axis": 0}),
        ("MaxNorm", {"max_value": 1.0, "axis": 1}),
        ("MaxNorm", {"max_value": 2.0, "axis": [0, 1]}),
        ("UnitNorm", {"axis": 0}),
        ("UnitNorm", {"axis": 1}),
        ("MinMaxNorm", {"min_value": 1.0, "max_value": 2.0, "rate": 1.0, "axis": 0}),
        ("MinMaxNorm", {"min_value": 0.5, "max_value": 1.0, "rate": 0.25, "axis": 1}),
        ("NonNeg", {}),
    ]:
        axis = config.get("axis")
        if axis == [0, 1]:
            config_for_fn = dict(config, axis=None)
        else:
            config_for_fn = config
        out = CONSTRAINT_FNS[cls](w, config_for_fn)
        CONSTRAINTS.append({"name": f"{cls} {config} on {name}", "constraint": {"class_name": cls, "config": config},
                            "w": w, "out": out})


# --------------------------------------------------------------------------
# a Dense kernel trained with a penalty and a constraint: three plain SGD steps
# --------------------------------------------------------------------------

def sgd_steps():
    w = matrix(4, 3, 5)
    lr = 0.25
    c = {"max_value": 1.25, "axis": 0}
    steps = []
    for t in range(3):
        g = matrix(4, 3, 10 + t)  # the loss gradient of this step (given)
        _, pg = l1l2(w, 0.01, 0.02)
        total = [[g[i][j] + pg[i][j] for j in range(3)] for i in range(4)]
        updated = [[w[i][j] - lr * total[i][j] for j in range(3)] for i in range(4)]
        w = max_norm(updated, c)
        steps.append({"loss_grad": g, "kernel_after": w})
    return {"kernel": matrix(4, 3, 5), "learning_rate": lr,
            "regularizer": {"class_name": "L1L2", "config": {"l1": 0.01, "l2": 0.02}},
            "constraint": {"class_name": "MaxNorm", "config": c}, "steps": steps}


def main():
    doc = {"generator": GENERATOR, "epsilon": EPS, "regularizers": REGULARIZERS, "constraints": CONSTRAINTS,
           "training": sgd_steps()}
    # Self-checks: UnitNorm gives unit columns; NonNeg leaves no negatives; MaxNorm never grows a norm.
    for case in CONSTRAINTS:
        if case["constraint"]["class_name"] == "NonNeg":
            assert all(v >= 0 for row in case["out"] for v in row)
        if case["constraint"]["class_name"] == "UnitNorm" and case["constraint"]["config"]["axis"] == 0:
            for n in norms(case["out"], 0)[0]:
                assert abs(n - 1) < 1e-6 or n == 0
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(REGULARIZERS)} regularizer and {len(CONSTRAINTS)} constraint cases, 3 SGD steps")


if __name__ == "__main__":
    main()
