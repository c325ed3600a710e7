#!/usr/bin/env python3
"""Generate test/fixtures/bidirectional.json: Bidirectional(SimpleRNN | LSTM | GRU) references from PyTorch.

Run from anywhere:   /usr/bin/python3 test/reference/make_bidirectional_fixtures.py
Requires: PyTorch (torch 1.13), float64 throughout, deterministic (seeded).

PyTorch's bidirectional=True module runs a second, reversed-direction cell (weights *_reverse) and concatenates the
two halves per step with the backward half aligned to the input's time order: Keras's Bidirectional with
merge_mode 'concat' and return_sequences=True (its backward layer runs go_backwards and the wrapper flips its output
sequence back).  Without return_sequences Keras keeps each direction's last state: the forward half at t = T-1 and
the backward half at t = 0 (the last step the reversed cell processed).  The 'sum', 'ave' and 'mul' merges are
written here from the two halves.  Weights are stored in PyTorch's layout (as make_rnn_fixtures.py does) so the
Keel test maps them itself (test/helpers/torch-recurrent.ts).

The loss of every case is sum(r * y) with a fixed random r and y the merged output.
"""

import json
import os

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "bidirectional.json"))
GENERATOR = "test/reference/make_bidirectional_fixtures.py (torch %s, float64)" % torch.__version__.split("+")[0]


def tl(t):
    return t.detach().tolist()


def case(kind, B, T, Fdim, u, seed, merge="concat", sequences=True):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(B, T, Fdim, generator=g)
    if kind == "simple_rnn":
        mod = torch.nn.RNN(Fdim, u, batch_first=True, bidirectional=True)
    elif kind == "lstm":
        mod = torch.nn.LSTM(Fdim, u, batch_first=True, bidirectional=True)
    else:
        mod = torch.nn.GRU(Fdim, u, batch_first=True, bidirectional=True)
    with torch.no_grad():
        for p in mod.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    xv = x.clone().requires_grad_(True)
    seq, _ = mod(xv)
    fwd, bwd = seq[..., :u], seq[..., u:]
    if not sequences:
        fwd, bwd = fwd[:, -1, :], bwd[:, 0, :]
    if merge == "concat":
        y = torch.cat([fwd, bwd], dim=-1)
    elif merge == "sum":
        y = fwd + bwd
    elif merge == "ave":
        y = (fwd + bwd) / 2
    else:
        y = fwd * bwd
    r = torch.randn(y.shape, generator=g)
    L = (r * y).sum()
    L.backward()

    def weights(suffix, grad):
        def get(name):
            p = getattr(mod, name + suffix)
            return tl(p.grad if grad else p)

        return {k: get(k + "_l0") for k in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]}

    return {
        "kind": kind,
        "merge_mode": merge,
        "return_sequences": sequences,
        "units": u,
        "x": tl(x),
        "r": tl(r),
        "forward": weights("", False),
        "backward": weights("_reverse", False),
        "y": tl(y),
        "grads": {"x": tl(xv.grad), "forward": weights("", True), "backward": weights("_reverse", True)},
    }


def main():
    cases = [
        case("lstm", 3, 5, 4, 3, 11, "concat", True),
        case("lstm", 2, 6, 3, 4, 12, "concat", False),
        case("gru", 3, 5, 4, 3, 13, "concat", True),
        case("simple_rnn", 3, 5, 4, 3, 14, "sum", True),
        case("gru", 2, 6, 3, 3, 15, "ave", False),
        case("simple_rnn", 2, 4, 3, 3, 16, "mul", True),
    ]
    doc = {"generator": GENERATOR, "bidirectional": cases}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
