#!/usr/bin/env python3
"""Generate test/fixtures/functional.json: a residual MLP with a Concatenate branch and a shared layer.

Run from anywhere:   /usr/bin/python3 test/reference/make_functional_fixture.py
Requires: PyTorch (tested with torch 1.13), float64 throughout. Deterministic (seeded generator).

The graph (Keras names; Dense kernels are [in, out] as in Keras, y = x @ kernel + bias):
  x      = Input(6)
  stem   = Dense(8, relu)(x)
  a      = Dense(8, relu)(stem);  b = Dense(8)(a)            # residual branch
  r1     = Add()([stem, b])                                   # skip connection
  u      = shared(r1);  v = shared(u)                         # shared = Dense(8, tanh), applied twice
  r2     = Add()([r1, v])
  c1     = Dense(4, tanh)(r2);  c2 = Dense(3, elu)(x)         # a branch from the input
  cat    = Concatenate(axis=-1)([r2, c1, c2])                 # 8 + 4 + 3 = 15
  out    = Dense(3, softmax)(cat)
Loss: sparse categorical cross-entropy (mean over the batch; Keras computes it from the logits).
One SGD step, learning rate 0.1, no momentum: w <- w - 0.1 * grad.
Written: the weights, the input and labels, every named tensor of the forward pass, the loss, the gradients,
the weights after the step and the output after the step.
"""

import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "functional.json"))

g = torch.Generator().manual_seed(14)

LAYERS = [  # name, fan_in, units
    ("stem", 6, 8),
    ("res_a", 8, 8),
    ("res_b", 8, 8),
    ("shared", 8, 8),
    ("side_1", 8, 4),
    ("side_2", 6, 3),
    ("head", 15, 3),
]


def normal(*shape, scale):
    return (torch.randn(*shape, generator=g) * scale).requires_grad_(True)


W = {}
for name, fan_in, units in LAYERS:
    W[name + "/kernel"] = normal(fan_in, units, scale=(2.0 / fan_in) ** 0.5)
    W[name + "/bias"] = normal(units, scale=0.1)

x = torch.randn(5, 6, generator=g)
y = torch.tensor([0, 2, 1, 2, 0])


def dense(name, h):
    return h @ W[name + "/kernel"] + W[name + "/bias"]


def forward():
    t = {}
    t["stem"] = torch.relu(dense("stem", x))
    t["res_a"] = torch.relu(dense("res_a", t["stem"]))
    t["res_b"] = dense("res_b", t["res_a"])
    t["add_1"] = t["stem"] + t["res_b"]
    t["shared_1"] = torch.tanh(dense("shared", t["add_1"]))
    t["shared_2"] = torch.tanh(dense("shared", t["shared_1"]))
    t["add_2"] = t["add_1"] + t["shared_2"]
    t["side_1"] = torch.tanh(dense("side_1", t["add_2"]))
    t["side_2"] = F.elu(dense("side_2", x))
    t["concat"] = torch.cat([t["add_2"], t["side_1"], t["side_2"]], dim=-1)
    logits = dense("head", t["concat"])
    t["head"] = torch.softmax(logits, dim=-1)
    loss = F.cross_entropy(logits, y)
    return t, loss


t, loss = forward()
W0 = {n: w.detach().clone() for n, w in W.items()}
names = list(W.keys())
grads = torch.autograd.grad(loss, [W[n] for n in names])
with torch.no_grad():
    after = {n: W[n] - 0.1 * gr for n, gr in zip(names, grads)}
    for n in names:
        W[n].copy_(after[n])
    t_after, loss_after = forward()

doc = {
    "generator": "test/reference/make_functional_fixture.py (torch %s, float64)" % torch.__version__.split("+")[0],
    "learning_rate": 0.1,
    "x": x.tolist(),
    "y": y.tolist(),
    "weights": {n: W0[n].tolist() for n in names},
    "tensors": {k: v.detach().tolist() for k, v in t.items()},
    "loss": float(loss),
    "grads": {n: gr.tolist() for n, gr in zip(names, grads)},
    "weights_after": {n: after[n].tolist() for n in names},
    "output_after": t_after["head"].tolist(),
    "loss_after": float(loss_after),
}
with open(OUT, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print("wrote", OUT)
