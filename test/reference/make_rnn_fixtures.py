#!/usr/bin/env python3
"""Generate test/fixtures/recurrent.json: SimpleRNN, LSTM, GRU, Embedding and LayerNormalization references.

Run from anywhere:   /usr/bin/python3 test/reference/make_rnn_fixtures.py
Requires: PyTorch (torch 1.13), float64 throughout, deterministic (seeded).

Recurrent weights are stored in PyTorch's layout (weight_ih [g*u, F], weight_hh [g*u, u], bias_ih, bias_hh, gates
in PyTorch order: LSTM i,f,g,o; GRU r,z,n) with PyTorch's gradients, so the Keel test performs the Keras <-> PyTorch
mapping itself (gate order, transposes, two bias vectors) and that mapping is what gets tested.  Every cell is also
written out in its Keras formula here (KERAS-FORMULA) and asserted equal to the PyTorch module; GRU reset_after=False
has no PyTorch module and comes from its Keras formula alone.  The manual unroll also yields ||dL/dh_t|| per step
(the doctor's gradient norm through time).

The loss of every case is sum(r * y) with a fixed random r, y the full sequence (return_sequences) or the last h.
"""

import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
DT = torch.float64
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "recurrent.json"))
GENERATOR = "test/reference/make_rnn_fixtures.py (torch %s, float64)" % torch.__version__.split("+")[0]


def tl(t):
    return t.detach().tolist()


def close(a, b, what, tol=1e-10):
    err = float((a - b).abs().max())
    assert err <= tol, "%s: max error %.3e" % (what, err)


def keras_unroll(cell, x, h0_list):
    """Runs a Keras-formula cell over x [B, T, F]; returns the h_t (with retained gradients) and the outputs."""
    state = h0_list
    hs = []
    for t in range(x.shape[1]):
        state = cell(x[:, t, :], state)
        state[0].retain_grad()
        hs.append(state[0])
    return hs


def module_case(kind, B, T, Fdim, u, seed, act="tanh", loss="sequence"):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(B, T, Fdim, generator=g)
    if kind == "simple_rnn":
        mod = torch.nn.RNN(Fdim, u, batch_first=True, nonlinearity=act)
    elif kind == "lstm":
        mod = torch.nn.LSTM(Fdim, u, batch_first=True)
    else:
        mod = torch.nn.GRU(Fdim, u, batch_first=True)
    with torch.no_grad():
        for p in mod.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    r = torch.randn(B, T, u, generator=g) if loss == "sequence" else torch.randn(B, u, generator=g)
    xv = x.clone().requires_grad_(True)
    seq, _ = mod(xv)
    y = seq if loss == "sequence" else seq[:, -1, :]
    L = (r * y).sum()
    L.backward()
    Wih, Whh = mod.weight_ih_l0, mod.weight_hh_l0
    bih, bhh = mod.bias_ih_l0, mod.bias_hh_l0

    # KERAS-FORMULA: the same cell written the Keras way (kernel = W_ihᵀ with gates in Keras order, one bias unless
    # GRU), checked against the module; its unroll gives ||dL/dh_t||.
    W = Wih.detach().t().clone()
    U = Whh.detach().t().clone()
    bi = bih.detach().clone()
    bh = bhh.detach().clone()
    xk = x.clone().requires_grad_(True)
    if kind == "simple_rnn":
        f = torch.tanh if act == "tanh" else torch.relu

        def cell(xt, s):
            return [f(xt @ W + s[0] @ U + bi + bh)]

        state = [torch.zeros(B, u)]
    elif kind == "lstm":

        def cell(xt, s):
            z = xt @ W + s[0] @ U + bi + bh
            i, fg, c, o = z.split(u, dim=1)  # Keras i, f, c, o = PyTorch i, f, g, o
            cn = torch.sigmoid(fg) * s[1] + torch.sigmoid(i) * torch.tanh(c)
            return [torch.sigmoid(o) * torch.tanh(cn), cn]

        state = [torch.zeros(B, u), torch.zeros(B, u)]
    else:
        # Keras z, r, h = PyTorch z, r, n reordered from r, z, n.
        def reorder(m):
            r_, z_, n_ = m.split(u, dim=-1)
            return torch.cat([z_, r_, n_], dim=-1)

        Wk, Uk, bik, bhk = reorder(W), reorder(U), reorder(bi), reorder(bh)

        def cell(xt, s):
            xp = xt @ Wk + bik
            rp = s[0] @ Uk + bhk
            xz, xr, xh = xp.split(u, dim=1)
            rz, rr, rh = rp.split(u, dim=1)
            zg = torch.sigmoid(xz + rz)
            rg = torch.sigmoid(xr + rr)
            hh = torch.tanh(xh + rg * rh)
            return [zg * s[0] + (1 - zg) * hh]

        state = [torch.zeros(B, u)]
    hs = keras_unroll(cell, xk, state)
    yk = torch.stack(hs, dim=1) if loss == "sequence" else hs[-1]
    close(yk, y, "%s Keras formula vs PyTorch module" % kind)
    (r * yk).sum().backward()
    close(xk.grad, xv.grad, "%s dx Keras formula vs PyTorch" % kind)
    norms = [float(h.grad.norm()) for h in hs]
    return {
        "kind": kind,
        "activation": act,
        "loss": loss,
        "units": u,
        "x": tl(x),
        "r": tl(r),
        "torch": {"weight_ih": tl(Wih), "weight_hh": tl(Whh), "bias_ih": tl(bih), "bias_hh": tl(bhh)},
        "y": tl(y),
        "loss_value": float(L),
        "grads": {
            "x": tl(xv.grad),
            "weight_ih": tl(Wih.grad),
            "weight_hh": tl(Whh.grad),
            "bias_ih": tl(bih.grad),
            "bias_hh": tl(bhh.grad),
        },
        "grad_norms_through_time": norms,
    }


def gru_reset_before_case(B, T, Fdim, u, seed, loss="sequence"):
    """KERAS-FORMULA only (no PyTorch module): weights in Keras layout, gates z, r, h, bias [3u]."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(B, T, Fdim, generator=g)
    W = (torch.randn(Fdim, 3 * u, generator=g) * 0.5).requires_grad_(True)
    U = (torch.randn(u, 3 * u, generator=g) * 0.5).requires_grad_(True)
    b = (torch.randn(3 * u, generator=g) * 0.5).requires_grad_(True)
    r = torch.randn(B, T, u, generator=g) if loss == "sequence" else torch.randn(B, u, generator=g)
    xk = x.clone().requires_grad_(True)

    def cell(xt, s):
        h = s[0]
        xz, xr, xh = (xt @ W + b).split(u, dim=1)
        Uz, Ur, Uh = U.split(u, dim=1)
        zg = torch.sigmoid(xz + h @ Uz)
        rg = torch.sigmoid(xr + h @ Ur)
        hh = torch.tanh(xh + (rg * h) @ Uh)
        return [zg * h + (1 - zg) * hh]

    hs = keras_unroll(cell, xk, [torch.zeros(B, u)])
    y = torch.stack(hs, dim=1) if loss == "sequence" else hs[-1]
    L = (r * y).sum()
    L.backward()
    return {
        "kind": "gru_reset_before",
        "loss": loss,
        "units": u,
        "x": tl(x),
        "r": tl(r),
        "keras": {"kernel": tl(W), "recurrent_kernel": tl(U), "bias": tl(b)},
        "y": tl(y),
        "loss_value": float(L),
        "grads": {"x": tl(xk.grad), "kernel": tl(W.grad), "recurrent_kernel": tl(U.grad), "bias": tl(b.grad)},
        "grad_norms_through_time": [float(h.grad.norm()) for h in hs],
    }


def embedding_case():
    g = torch.Generator().manual_seed(7)
    table = (torch.randn(6, 3, generator=g)).requires_grad_(True)
    ids = torch.tensor([[1, 4, 1, 0], [5, 1, 1, 2]])  # id 1 repeats: its gradient rows add up
    r = torch.randn(2, 4, 3, generator=g)
    y = F.embedding(ids, table)
    (r * y).sum().backward()
    return {"table": tl(table), "ids": ids.tolist(), "r": tl(r), "y": tl(y), "grad_table": tl(table.grad)}


def layer_norm_case():
    g = torch.Generator().manual_seed(8)
    x = (torch.randn(3, 2, 5, generator=g) * 2 + 0.5).requires_grad_(True)
    gamma = torch.randn(5, generator=g).requires_grad_(True)
    beta = torch.randn(5, generator=g).requires_grad_(True)
    r = torch.randn(3, 2, 5, generator=g)
    eps = 1e-3  # Keras's default (PyTorch's LayerNorm default is 1e-5)
    y = F.layer_norm(x, (5,), gamma, beta, eps)
    # KERAS-FORMULA cross-check: biased variance over the last axis.
    m = x.mean(-1, keepdim=True)
    v = ((x - m) ** 2).mean(-1, keepdim=True)
    close((x - m) / torch.sqrt(v + eps) * gamma + beta, y, "layer norm formula")
    (r * y).sum().backward()
    return {
        "epsilon": eps,
        "x": tl(x),
        "gamma": tl(gamma),
        "beta": tl(beta),
        "r": tl(r),
        "y": tl(y),
        "grads": {"x": tl(x.grad), "gamma": tl(gamma.grad), "beta": tl(beta.grad)},
    }


def main():
    cases = [
        module_case("simple_rnn", 3, 6, 4, 5, 1, "tanh", "sequence"),
        module_case("simple_rnn", 3, 6, 4, 5, 2, "relu", "last"),
        module_case("lstm", 3, 6, 4, 5, 3, "tanh", "sequence"),
        module_case("lstm", 2, 7, 3, 4, 4, "tanh", "last"),
        module_case("gru", 3, 6, 4, 5, 5, "tanh", "sequence"),
        module_case("gru", 2, 7, 3, 4, 6, "tanh", "last"),
    ]
    doc = {
        "generator": GENERATOR,
        "recurrent": cases,
        "gru_reset_before": [
            gru_reset_before_case(3, 5, 4, 3, 9, "sequence"),
            gru_reset_before_case(2, 6, 3, 4, 10, "last"),
        ],
        "embedding": embedding_case(),
        "layer_normalization": layer_norm_case(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
