#!/usr/bin/env python3
"""Generate Keel's reference fixtures (test/fixtures/*.json).

Run from anywhere:   /usr/bin/python3 test/reference/make_fixtures.py
Requires: PyTorch (tested with the Debian build of torch 1.13), no numpy.

All arithmetic is float64.  Reference values come from PyTorch (autograd and
built-in ops) or from closed forms.  Where Keras semantics differ from PyTorch
(see docs/keras-semantics.md) the *Keras* formula is implemented
here in torch float64 and marked with a "KERAS-FORMULA" comment; wherever a
PyTorch built-in computes the same thing it is used as a cross-check and the
script asserts agreement.  The script is deterministic: re-running it
reproduces the committed JSON byte for byte (same torch build).

Fixtures written:
  activations.json   values + derivatives of the Keras activations, softmax VJPs
  model.json         small networks: forward, losses, gradients, BN state update
  optimizers.json    3-step trajectories of SGD/Adam/Nadam/RMSprop x clipping
  initializers.json  closed-form statistics of the 15 Keras initializers
"""

import json
import math
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
DT = torch.float64

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "fixtures"))
GENERATOR = "test/reference/make_fixtures.py (torch %s, float64)" % torch.__version__.split("+")[0]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def tolist(t):
    if isinstance(t, torch.Tensor):
        return t.detach().tolist()
    return t


def assert_close(a, b, tol, what, rel=False):
    a = torch.as_tensor(a, dtype=DT)
    b = torch.as_tensor(b, dtype=DT)
    assert a.shape == b.shape, "%s: shape %s vs %s" % (what, tuple(a.shape), tuple(b.shape))
    err = (a - b).abs()
    if rel:
        err = err / b.abs().clamp(min=1e-300)
    m = float(err.max()) if err.numel() else 0.0
    if not m <= tol:
        raise AssertionError("%s: max %s error %.3e > %.1e\n a=%s\n b=%s"
                             % (what, "rel" if rel else "abs", m, tol, a.tolist(), b.tolist()))


def quantize(t, step=1024):
    """Round to a multiple of 1/step: exactly representable in float32 *and*
    float64, so Keel (float32) sees exactly the inputs the reference used."""
    return torch.round(t * step) / step


def _dump(obj, indent, level):
    """JSON with numeric / flat lists kept on one line (compact but readable)."""
    pad = " " * (indent * level)
    pad1 = " " * (indent * (level + 1))
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = ["%s%s: %s" % (pad1, json.dumps(k), _dump(v, indent, level + 1)) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return "[" + ", ".join(json.dumps(v, allow_nan=False) for v in obj) + "]"
        if all(isinstance(v, list) and all(not isinstance(w, (dict, list)) for w in v) for v in obj) \
                and sum(len(v) for v in obj) <= 12:
            return "[" + ", ".join(_dump(v, indent, level + 1) for v in obj) + "]"
        items = [pad1 + _dump(v, indent, level + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, allow_nan=False)


def write_json(name, obj):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name)
    text = _dump(obj, 1, 0) + "\n"
    json.loads(text)  # sanity: valid JSON
    with open(path, "w") as f:
        f.write(text)
    print("wrote %-40s %7d bytes" % (os.path.relpath(path, os.path.join(HERE, "..", "..")), len(text)))
    return len(text)


# --------------------------------------------------------------------------
# 1. activations
# --------------------------------------------------------------------------

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def k_elu(x):  # alpha = 1.0
    return torch.where(x > 0, x, torch.expm1(torch.clamp(x, max=0.0)))


def k_selu(x):
    return SELU_SCALE * torch.where(x > 0, x, SELU_ALPHA * torch.expm1(torch.clamp(x, max=0.0)))


def k_gelu(x):  # exact: x * Phi(x)
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def k_gelu_approx(x):  # tanh form
    return 0.5 * x * (1.0 + torch.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))


def k_hard_sigmoid(x):
    # KERAS-FORMULA: Keras 3 hard_sigmoid = clip(x/6 + 1/2, 0, 1) (tf.keras 2 / TF.js use 0.2x+0.5).
    # Written piecewise so the derivative at the kinks x = +-3 is 0 (saturated side), the
    # convention of torch.nn.functional.hardsigmoid (torch.clamp's backward would give 1/6 there);
    # see "kink_indices".
    return torch.where((x > -3.0) & (x < 3.0), x / 6.0 + 0.5,
                       torch.where(x >= 3.0, torch.ones_like(x), torch.zeros_like(x)))


def k_hard_sigmoid_keras2(x):
    # KERAS-FORMULA: tf.keras 2 / TF.js hard_sigmoid = clip(0.2x + 1/2, 0, 1) (Keel: 'hard_sigmoid_keras2', what a
    # 'hard_sigmoid' in those dialects means). torch.clamp's backward passes the gradient at both ends, as TF's
    # clip_by_value does.
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


def k_softplus(x):
    # logaddexp(x, 0) written with log1p (torch 1.13's torch.logaddexp loses ~3e-8 relative
    # accuracy at x = -20, where softplus ~ 2e-9).
    return torch.clamp(x, min=0.0) + torch.log1p(torch.exp(-x.abs()))


def k_softsign(x):
    return x / (1.0 + x.abs())


def k_swish(x):  # Keras 3 "swish" is an alias of silu: x * sigmoid(x), no beta
    return x * torch.sigmoid(x)


def k_leaky_relu(x, slope=0.2):
    # KERAS-FORMULA: Keras 3 *function* default negative_slope = 0.2 (layer 0.3, torch 0.01).
    return torch.where(x >= 0, x, slope * x)


ACTIVATIONS = [
    # name, Keras formula, torch built-in cross-check (or None)
    ("elu", k_elu, lambda x: F.elu(x, alpha=1.0)),
    ("exponential", torch.exp, None),
    ("gelu", k_gelu, lambda x: F.gelu(x)),
    ("gelu_approximate", k_gelu_approx, lambda x: F.gelu(x, approximate="tanh")),
    ("hard_sigmoid", k_hard_sigmoid, F.hardsigmoid),
    ("hard_sigmoid_keras2", k_hard_sigmoid_keras2, None),
    ("linear", lambda x: x * 1.0, None),
    ("relu", lambda x: torch.clamp(x, min=0.0), F.relu),
    ("selu", k_selu, F.selu),
    ("sigmoid", torch.sigmoid, None),
    ("softplus", k_softplus, F.softplus),
    ("softsign", k_softsign, F.softsign),
    ("swish", k_swish, F.silu),
    ("tanh", torch.tanh, None),
    ("leaky_relu", k_leaky_relu, lambda x: F.leaky_relu(x, negative_slope=0.2)),
]

# Closed-form derivatives (independent of autograd) for the cross-check.
def _closed_derivative(name, x):
    s = torch.sigmoid(x)
    phi = torch.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    if name == "elu":
        return torch.where(x > 0, torch.ones_like(x), torch.exp(x))
    if name == "exponential":
        return torch.exp(x)
    if name == "gelu":
        return 0.5 * (1 + torch.erf(x / math.sqrt(2))) + x * phi
    if name == "gelu_approximate":
        u = SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)
        t = torch.tanh(u)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
    if name == "hard_sigmoid":
        return torch.where((x > -3) & (x < 3), torch.full_like(x, 1 / 6), torch.zeros_like(x))
    if name == "hard_sigmoid_keras2":
        t = 0.2 * x + 0.5
        return torch.where((t >= 0) & (t <= 1), torch.full_like(x, 0.2), torch.zeros_like(x))
    if name == "linear":
        return torch.ones_like(x)
    if name == "relu":
        return (x > 0).to(DT)
    if name == "selu":
        return SELU_SCALE * torch.where(x > 0, torch.ones_like(x), SELU_ALPHA * torch.exp(x))
    if name == "sigmoid":
        return s * (1 - s)
    if name == "softplus":
        return s
    if name == "softsign":
        return 1 / (1 + x.abs()) ** 2
    if name == "swish":
        return s + x * s * (1 - s)
    if name == "tanh":
        return 1 - torch.tanh(x) ** 2
    if name == "leaky_relu":
        return torch.where(x >= 0, torch.ones_like(x), torch.full_like(x, 0.2))
    raise KeyError(name)


# keras-semantics.md section 2 table (x = [-3,-1,-0.5,0,0.5,1,3]) -- must be reproduced.
DOC_ACT_POINTS = [-3, -1, -0.5, 0, 0.5, 1, 3]
DOC_ACT_TABLE = {
    "elu": [-0.9502129316, -0.6321205588, -0.3934693403, 0, 0.5, 1, 3],
    "selu": [-1.670568729, -1.111330738, -0.6917581878, 0, 0.5253504937, 1.050700987, 3.152102962],
    "gelu": [-0.004049694095, -0.1586552539, -0.1542687694, 0, 0.3457312306, 0.8413447461, 2.995950306],
    "gelu_approximate": [-0.003637392082, -0.1588080094, -0.1542859902, 0, 0.3457140098, 0.8411919906, 2.996362608],
    "hard_sigmoid": [0, 0.3333333333, 0.4166666667, 0.5, 0.5833333333, 0.6666666667, 1],
    "sigmoid": [0.04742587318, 0.2689414214, 0.3775406688, 0.5, 0.6224593312, 0.7310585786, 0.9525741268],
    "softplus": [0.04858735157, 0.3132616875, 0.4740769842, 0.6931471806, 0.9740769842, 1.313261688, 3.048587352],
    "softsign": [-0.75, -0.5, -0.3333333333, 0, 0.3333333333, 0.5, 0.75],
    "swish": [-0.1422776195, -0.2689414214, -0.1887703344, 0, 0.3112296656, 0.7310585786, 2.85772238],
    "leaky_relu": [-0.6, -0.2, -0.1, 0, 0.5, 1, 3],
}


def k_softmax(x):
    m = x.max(dim=-1, keepdim=True).values
    e = torch.exp(x - m)
    return e / e.sum(dim=-1, keepdim=True)


def make_activations():
    points = [-20.0, -3.0, -1.0, -0.5, -0.1, 0.1, 0.5, 1.0, 3.0, 20.0]
    fns = {}
    for name, fn, ref in ACTIVATIONS:
        x = torch.tensor(points, dtype=DT, requires_grad=True)
        y = fn(x)
        (dy,) = torch.autograd.grad(y.sum(), x)
        xd = x.detach()
        if ref is not None:
            assert_close(y, ref(xd), 1e-14, "activation %s vs torch built-in" % name, rel=True)
            xr = xd.clone().requires_grad_(True)
            (dr,) = torch.autograd.grad(ref(xr).sum(), xr)
            # torch 1.13's hardsigmoid backward uses a float32 1/6 even for float64 (error 5e-9);
            # the closed-form check below holds the float64 value to 1e-13.
            assert_close(dy, dr, 1e-8 if name == "hard_sigmoid" else 1e-13,
                         "activation %s derivative vs torch built-in" % name)
        assert_close(dy, _closed_derivative(name, xd), 1e-13, "activation %s derivative vs closed form" % name)
        if name in DOC_ACT_TABLE:
            xt = torch.tensor(DOC_ACT_POINTS, dtype=DT)
            assert_close(fn(xt), DOC_ACT_TABLE[name], 6e-10, "activation %s vs keras-semantics.md table" % name)
        entry = {"value": tolist(y), "derivative": tolist(dy)}
        if name == "hard_sigmoid":
            entry["kink_indices"] = [i for i, p in enumerate(points) if abs(p) == 3.0]
            entry["note"] = ("x = -3 and x = 3 are exact kinks of clip(x/6+0.5, 0, 1); the derivative "
                             "given there (0) is the saturated-side convention of relu6(x+3)/6 and "
                             "torch hardsigmoid. Tests may skip derivative checks at kink_indices.")
        if name == "leaky_relu":
            entry["negative_slope"] = 0.2
        if name == "elu":
            entry["alpha"] = 1.0
        fns[name] = entry
    # softplus agrees with the doc constant ln 2 at 0; SELU constants sanity
    assert abs(SELU_ALPHA * SELU_SCALE - 1.7580993408473766) < 1e-15

    softmax_cases = [
        ([1.0, 2.0, 3.0], [1.0, 0.0, 0.0]),
        ([1000.0, 1001.0, 1002.0], [0.5, -1.0, 2.0]),
        ([-1000.0, -1001.0, -1002.0], [1.0, 2.0, 3.0]),
        ([0.5, -1.25, 2.0, 0.0, 3.5], [0.3, -0.2, 0.1, 1.5, -0.7]),
        ([-5.0, 0.0, 5.0, 10.0], [1.0, 1.0, 1.0, 1.0]),
        ([0.0, 0.0, 0.0, 0.0], [4.0, 3.0, 2.0, 1.0]),
    ]
    sm = []
    sm_doc = k_softmax(torch.tensor([1.0, 2.0, 3.0]))
    assert_close(sm_doc, [0.09003057317, 0.2447284711, 0.6652409558], 6e-11, "softmax doc example")
    for xv, uv in softmax_cases:
        x = torch.tensor(xv, requires_grad=True)
        u = torch.tensor(uv)
        s = k_softmax(x)
        (g,) = torch.autograd.grad((s * u).sum(), x)
        sd = s.detach()
        assert_close(sd, torch.softmax(x.detach(), dim=-1), 1e-15, "softmax vs torch")
        assert_close(g, sd * (u - (u * sd).sum()), 1e-15, "softmax VJP closed form")
        sm.append({"x": xv, "value": tolist(sd), "upstream": uv, "grad": tolist(g)})

    return {
        "description": ("Keras 3 activation functions: value and derivative (torch autograd, float64) at "
                        "each point; softmax (axis -1) with its vector-Jacobian product grad = "
                        "J^T upstream = s * (upstream - sum(upstream * s)) (J is symmetric, so this is also the JVP)."),
        "generator": GENERATOR,
        "points": points,
        "functions": fns,
        "softmax": sm,
    }


# --------------------------------------------------------------------------
# 2. models
# --------------------------------------------------------------------------

ACT_FN = {
    "linear": lambda x: x,
    "elu": k_elu, "selu": k_selu, "gelu": k_gelu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
    "softplus": k_softplus, "swish": k_swish, "relu": lambda x: torch.clamp(x, min=0.0),
    "softmax": k_softmax,
}

EPS_KERAS = 1e-7  # keras.backend.epsilon()


def keras_loss(name, from_logits, y_true, y_pred):
    """KERAS-FORMULA: Keras 3 losses with reduction 'sum_over_batch_size'
    (per-sample loss averaged over the last axis where Keras does so, then mean
    over the batch)."""
    if name == "mean_squared_error":
        return ((y_true - y_pred) ** 2).mean(dim=-1).mean()
    if name == "binary_crossentropy":
        if from_logits:
            z = y_pred  # sigmoid_cross_entropy_with_logits, stable form
            per = torch.clamp(z, min=0.0) - z * y_true + torch.log1p(torch.exp(-z.abs()))
        else:
            p = torch.clamp(y_pred, EPS_KERAS, 1.0 - EPS_KERAS)
            per = -(y_true * torch.log(p) + (1.0 - y_true) * torch.log(1.0 - p))
        return per.mean(dim=-1).mean()
    if name == "categorical_crossentropy":
        if from_logits:
            logp = torch.log_softmax(y_pred, dim=-1)
        else:
            p = y_pred / y_pred.sum(dim=-1, keepdim=True)  # Keras renormalises probabilities
            logp = torch.log(torch.clamp(p, EPS_KERAS, 1.0 - EPS_KERAS))
        return (-(y_true * logp).sum(dim=-1)).mean()
    if name == "sparse_categorical_crossentropy":
        if from_logits:
            logp = torch.log_softmax(y_pred, dim=-1)
        else:
            p = y_pred / y_pred.sum(dim=-1, keepdim=True)
            logp = torch.log(torch.clamp(p, EPS_KERAS, 1.0 - EPS_KERAS))
        return (-logp.gather(1, y_true.long().view(-1, 1)).squeeze(1)).mean()
    raise KeyError(name)


def torch_loss(name, from_logits, y_true, y_pred):
    """PyTorch built-ins computing the same quantity (cross-check only)."""
    if name == "mean_squared_error":
        return F.mse_loss(y_pred, y_true)  # mean over all elements == mean of per-sample means
    if name == "binary_crossentropy":
        if from_logits:
            return F.binary_cross_entropy_with_logits(y_pred, y_true)
        return F.binary_cross_entropy(y_pred, y_true)
    if name == "categorical_crossentropy":
        logits = y_pred if from_logits else torch.log(y_pred)
        return F.cross_entropy(logits, y_true)  # probability targets (torch >= 1.10)
    if name == "sparse_categorical_crossentropy":
        logits = y_pred if from_logits else torch.log(y_pred)
        return F.cross_entropy(logits, y_true.long())
    raise KeyError(name)


def forward(layers, params, x, training, moving_out=None):
    """Sequential forward in Keras layout. params: name -> tensor.
    training=True: BN uses batch statistics (biased variance) and, if moving_out
    is a dict, the Keras moving-average update is written into it.
    Dropout is always the identity in these fixtures."""
    outs = []
    h = x
    for L in layers:
        t = L["type"]
        if t == "Dense":
            h = h @ params[L["name"] + "/kernel"]
            if L["use_bias"]:
                h = h + params[L["name"] + "/bias"]
            h = ACT_FN[L["activation"]](h)
        elif t == "BatchNormalization":
            n = L["name"]
            gamma, beta = params[n + "/gamma"], params[n + "/beta"]
            mm, mv = params[n + "/moving_mean"], params[n + "/moving_variance"]
            eps, mom = L["epsilon"], L["momentum"]
            if training:
                mu = h.mean(dim=0)
                var = ((h - mu) ** 2).mean(dim=0)  # KERAS-FORMULA: biased (divide by N)
                h = gamma * (h - mu) / torch.sqrt(var + eps) + beta
                if moving_out is not None:
                    # KERAS-FORMULA: moving = momentum*moving + (1-momentum)*batch_stat,
                    # biased variance (torch: (1-m)*running + m*batch with *unbiased* var).
                    moving_out[n + "/moving_mean"] = (mom * mm + (1 - mom) * mu).detach()
                    moving_out[n + "/moving_variance"] = (mom * mv + (1 - mom) * var).detach()
            else:
                h = gamma * (h - mm) / torch.sqrt(mv + eps) + beta
        elif t == "Activation":
            h = ACT_FN[L["activation"]](h)
        elif t == "Dropout":
            pass  # identity (inference behaviour); see case notes
        else:
            raise KeyError(t)
        outs.append(h)
    return h, outs


def weight_specs(layers, n_in):
    """Keras getWeights() order: per layer kernel, bias / gamma, beta, moving_mean, moving_variance."""
    specs = []
    d = n_in
    for L in layers:
        n = L.get("name")
        if L["type"] == "Dense":
            specs.append((n + "/kernel", [d, L["units"]], True))
            if L["use_bias"]:
                specs.append((n + "/bias", [L["units"]], True))
            d = L["units"]
        elif L["type"] == "BatchNormalization":
            specs += [(n + "/gamma", [d], True), (n + "/beta", [d], True),
                      (n + "/moving_mean", [d], False), (n + "/moving_variance", [d], False)]
    return specs


def init_params(specs, gen, kernel_std=0.5):
    params = {}
    for name, shape, _ in specs:
        leaf = name.split("/")[1]
        if leaf == "kernel":
            v = kernel_std * torch.randn(shape, generator=gen)
        elif leaf == "bias":
            v = 0.1 * torch.randn(shape, generator=gen)
        elif leaf == "gamma":
            v = 1.0 + 0.2 * torch.randn(shape, generator=gen)
        elif leaf == "beta":
            v = 0.1 * torch.randn(shape, generator=gen)
        elif leaf == "moving_mean":
            v = 0.3 * torch.randn(shape, generator=gen)
        elif leaf == "moving_variance":
            v = 0.5 + torch.rand(shape, generator=gen)
        params[name] = quantize(v)
    return params


def build_case(name, description, layers, batch, n_in, seed, losses_spec, notes=None):
    """losses_spec: list of (loss_name, from_logits, target_kind) where target_kind is
    'sparse', 'onehot', 'soft', 'binary', 'real'."""
    gen = torch.Generator().manual_seed(seed)
    x = quantize(torch.randn(batch, n_in, generator=gen))
    specs = weight_specs(layers, n_in)
    params = init_params(specs, gen)
    n_out = [L for L in layers if L["type"] == "Dense"][-1]["units"]
    has_bn = any(L["type"] == "BatchNormalization" for L in layers)

    # forward (training mode = batch statistics for BN; identical to inference without BN)
    moving = {}
    out, outs = forward(layers, params, x, training=True, moving_out=moving)
    out_inf, _ = forward(layers, params, x, training=False)

    losses = []
    for loss_name, from_logits, kind in losses_spec:
        if kind == "sparse":
            y = torch.randint(0, n_out, (batch,), generator=gen)
            y_json = y.tolist()
        elif kind == "onehot":
            y = F.one_hot(torch.randint(0, n_out, (batch,), generator=gen), n_out).to(DT)
            y_json = tolist(y)
        elif kind == "soft":
            y = torch.softmax(quantize(torch.randn(batch, n_out, generator=gen)), dim=-1)
            y = quantize(y, 1024)
            y[:, -1] = 1.0 - y[:, :-1].sum(dim=1)  # rows sum to exactly 1, all multiples of 1/1024
            y_json = tolist(y)
        elif kind == "binary":
            y = torch.randint(0, 2, (batch, n_out), generator=gen).to(DT)
            y_json = tolist(y)
        elif kind == "soft_binary":
            y = quantize(torch.rand(batch, n_out, generator=gen), 16)
            y_json = tolist(y)
        elif kind == "real":
            y = quantize(torch.randn(batch, n_out, generator=gen))
            y_json = tolist(y)
        else:
            raise KeyError(kind)

        trainable = {n: params[n].clone().requires_grad_(True) for n, _, tr in specs if tr}
        p_all = dict(params)
        p_all.update(trainable)
        y_pred, _ = forward(layers, p_all, x, training=True)
        if not from_logits and loss_name != "mean_squared_error":
            # stay far from Keras's probability clip [1e-7, 1-1e-7] so clipping is irrelevant
            assert float(y_pred.min()) > 1e-4 and float(y_pred.max()) < 1 - 1e-4, (name, loss_name)
        loss = keras_loss(loss_name, from_logits, y, y_pred)
        assert_close(loss.detach(), torch_loss(loss_name, from_logits, y, y_pred.detach()), 1e-13,
                     "%s/%s loss vs torch built-in" % (name, loss_name))
        names = list(trainable)
        grads = torch.autograd.grad(loss, [trainable[n] for n in names])
        # cross-check the gradients with torch's built-in loss too
        grads2 = torch.autograd.grad(torch_loss(loss_name, from_logits, y,
                                                forward(layers, p_all, x, training=True)[0]),
                                     [trainable[n] for n in names])
        for n, g1, g2 in zip(names, grads, grads2):
            assert_close(g1, g2, 1e-12, "%s/%s grad %s vs torch loss" % (name, loss_name, n))
        entry = {"loss": loss_name, "from_logits": from_logits, "reduction": "sum_over_batch_size",
                 "y": y_json, "value": float(loss),
                 "grads": {n: tolist(g) for n, g in zip(names, grads)}}
        if has_bn:
            entry["value_inference"] = float(keras_loss(loss_name, from_logits, y, out_inf))
        losses.append(entry)

    case = {
        "name": name,
        "description": description,
        "input_shape": [n_in],
        "batch_size": batch,
        "layers": layers,
        "x": tolist(x),
        "weights": [{"name": n, "shape": s, "trainable": tr, "value": tolist(params[n])} for n, s, tr in specs],
        "output": tolist(out),
        "output_inference": tolist(out_inf),
        "layer_outputs": [tolist(o) for o in outs],
        "losses": losses,
    }
    if has_bn:
        case["moving_after"] = {k: tolist(v) for k, v in moving.items()}
    if notes:
        case["notes"] = notes
    return case, params


def torch_module_crosscheck(case, params):
    """Rebuild the main case with torch.nn modules (PyTorch layout/conventions) and
    check forward, loss, gradients and the BN running-mean update; show (assert) that
    torch's running_var differs from Keras's by the Bessel factor."""
    L = {l["name"]: l for l in case["layers"] if "name" in l}
    x = torch.tensor(case["x"])
    lin0 = torch.nn.Linear(6, 5)
    lin1 = torch.nn.Linear(5, 5, bias=False)
    bn = torch.nn.BatchNorm1d(5, eps=1e-3, momentum=0.01)  # torch momentum 0.01 == Keras 0.99
    lin2 = torch.nn.Linear(5, 4)
    with torch.no_grad():
        lin0.weight.copy_(params["dense/kernel"].T)  # torch layout (out, in)
        lin0.bias.copy_(params["dense/bias"])
        lin1.weight.copy_(params["dense_1/kernel"].T)
        bn.weight.copy_(params["batch_normalization/gamma"])
        bn.bias.copy_(params["batch_normalization/beta"])
        bn.running_mean.copy_(params["batch_normalization/moving_mean"])
        bn.running_var.copy_(params["batch_normalization/moving_variance"])
        lin2.weight.copy_(params["dense_2/kernel"].T)
        lin2.bias.copy_(params["dense_2/bias"])
    drop = torch.nn.Dropout(0.5)
    net = torch.nn.Sequential(lin0, torch.nn.ELU(), lin1, bn, torch.nn.SELU(), drop, lin2)
    net.train()
    drop.eval()  # dropout as identity, BN in training mode
    logits = net(x)
    y = torch.tensor(case["losses"][0]["y"])
    loss = F.cross_entropy(logits, y)
    loss.backward()
    assert_close(torch.softmax(logits.detach(), -1), case["output"], 1e-14, "torch.nn forward")
    assert_close(loss.detach(), case["losses"][0]["value"], 1e-14, "torch.nn loss")
    g = case["losses"][0]["grads"]
    assert_close(lin0.weight.grad.T, g["dense/kernel"], 1e-13, "torch.nn grad dense/kernel")
    assert_close(lin0.bias.grad, g["dense/bias"], 1e-13, "torch.nn grad dense/bias")
    assert_close(lin1.weight.grad.T, g["dense_1/kernel"], 1e-13, "torch.nn grad dense_1/kernel")
    assert_close(bn.weight.grad, g["batch_normalization/gamma"], 1e-13, "torch.nn grad gamma")
    assert_close(bn.bias.grad, g["batch_normalization/beta"], 1e-13, "torch.nn grad beta")
    assert_close(lin2.weight.grad.T, g["dense_2/kernel"], 1e-13, "torch.nn grad dense_2/kernel")
    assert_close(lin2.bias.grad, g["dense_2/bias"], 1e-13, "torch.nn grad dense_2/bias")
    mv = case["moving_after"]
    assert_close(bn.running_mean, mv["batch_normalization/moving_mean"], 1e-15, "torch running_mean")
    # running_var: torch uses the unbiased batch variance -> differs from Keras
    n = x.shape[0]
    h1 = torch.tensor(case["layer_outputs"][1])  # dense_1 output
    var_b = ((h1 - h1.mean(0)) ** 2).mean(0)
    mv0 = params["batch_normalization/moving_variance"]
    assert_close(bn.running_var, 0.99 * mv0 + 0.01 * var_b * n / (n - 1), 1e-15, "torch running_var (unbiased)")
    assert_close(mv["batch_normalization/moving_variance"], 0.99 * mv0 + 0.01 * var_b, 1e-15,
                 "keras moving_variance (biased)")
    assert float((bn.running_var - torch.tensor(mv["batch_normalization/moving_variance"])).abs().max()) > 1e-6
    # inference
    net.eval()
    with torch.no_grad():
        bn.running_mean.copy_(params["batch_normalization/moving_mean"])
        bn.running_var.copy_(params["batch_normalization/moving_variance"])
        assert_close(torch.softmax(net(x), -1), case["output_inference"], 1e-14, "torch.nn inference forward")


def make_models():
    cases = []
    main_layers = [
        {"type": "Dense", "name": "dense", "units": 5, "use_bias": True, "activation": "elu"},
        {"type": "Dense", "name": "dense_1", "units": 5, "use_bias": False, "activation": "linear"},
        {"type": "BatchNormalization", "name": "batch_normalization", "axis": -1, "momentum": 0.99,
         "epsilon": 0.001, "center": True, "scale": True},
        {"type": "Activation", "name": "activation", "activation": "selu"},
        {"type": "Dropout", "name": "dropout", "rate": 0.5},
        {"type": "Dense", "name": "dense_2", "units": 4, "use_bias": True, "activation": "softmax"},
    ]
    case, params = build_case(
        "dense_bn_selu_softmax",
        "Dense(5,elu) -> Dense(5,no bias) -> BatchNormalization -> Activation(selu) -> Dropout(0.5) -> "
        "Dense(4,softmax); sparse categorical cross-entropy on probabilities.",
        main_layers, 8, 6, 1234,
        [("sparse_categorical_crossentropy", False, "sparse")],
        notes=[
            "output, layer_outputs, losses[*].value and grads use BN in TRAINING mode (batch mean, biased "
            "batch variance, epsilon inside the sqrt) with Dropout as the IDENTITY (as if that one layer "
            "ran with training=false). A full Keras fit() step would also apply dropout.",
            "moving_after: BN moving statistics after that one training-mode forward pass, Keras rule "
            "moving = momentum*moving + (1-momentum)*batch_stat with the biased batch variance "
            "(PyTorch would store the unbiased variance; verified to differ).",
            "output_inference / losses[*].value_inference: inference mode with the ORIGINAL moving "
            "statistics from `weights` (not moving_after).",
            "grads cover trainable weights only (not moving_mean / moving_variance); kernels in Keras "
            "layout [in, out].",
        ])
    torch_module_crosscheck(case, params)
    cases.append(case)

    act_layers = [
        {"type": "Dense", "name": "dense", "units": 6, "use_bias": True, "activation": "tanh"},
        {"type": "Dense", "name": "dense_1", "units": 5, "use_bias": True, "activation": "softplus"},
        {"type": "Dense", "name": "dense_2", "units": 4, "use_bias": True, "activation": "gelu"},
        {"type": "Dense", "name": "dense_3", "units": 3, "use_bias": True, "activation": "sigmoid"},
    ]
    case, _ = build_case(
        "tanh_softplus_gelu_sigmoid",
        "Dense(6,tanh) -> Dense(5,softplus) -> Dense(4,gelu exact) -> Dense(3,sigmoid); "
        "binary cross-entropy (hard and soft targets) and mean squared error on the sigmoid output.",
        act_layers, 6, 4, 2024,
        [("binary_crossentropy", False, "binary"),
         ("binary_crossentropy", False, "soft_binary"),
         ("mean_squared_error", False, "real")])
    cases.append(case)

    sm_layers = [
        {"type": "Dense", "name": "dense", "units": 5, "use_bias": True, "activation": "gelu"},
        {"type": "Dense", "name": "dense_1", "units": 3, "use_bias": True, "activation": "softmax"},
    ]
    case, _ = build_case(
        "gelu_softmax_categorical",
        "Dense(5,gelu exact) -> Dense(3,softmax); categorical cross-entropy on probabilities "
        "(one-hot and soft targets).",
        sm_layers, 6, 4, 77,
        [("categorical_crossentropy", False, "onehot"),
         ("categorical_crossentropy", False, "soft")])
    cases.append(case)

    lg_layers = [
        {"type": "Dense", "name": "dense", "units": 5, "use_bias": True, "activation": "swish"},
        {"type": "Dense", "name": "dense_1", "units": 3, "use_bias": True, "activation": "linear"},
    ]
    case, _ = build_case(
        "swish_logits",
        "Dense(5,swish) -> Dense(3,linear) producing logits; losses with from_logits=true "
        "(categorical, sparse categorical, binary) and mean squared error on the raw output.",
        lg_layers, 6, 4, 99,
        [("categorical_crossentropy", True, "onehot"),
         ("sparse_categorical_crossentropy", True, "sparse"),
         ("binary_crossentropy", True, "binary"),
         ("mean_squared_error", False, "real")])
    cases.append(case)

    return {
        "description": ("Small deterministic Sequential networks in Keras layout (kernels [in, out], "
                        "getWeights order). Per case: inputs x, layer list, weights, forward output, "
                        "per-layer outputs, and for each loss its value and gradients w.r.t. every "
                        "trainable weight (torch autograd, float64). Inputs, weights and targets are "
                        "multiples of 1/1024 (soft binary targets 1/16): exactly representable in float32."),
        "generator": GENERATOR,
        "loss_definitions": {
            "reduction": "sum_over_batch_size: mean over the batch of the per-sample loss",
            "mean_squared_error": "per sample: mean over last axis of (y - p)^2",
            "binary_crossentropy": ("per sample: mean over last axis of -(y log p + (1-y) log(1-p)), "
                                    "p clipped to [1e-7, 1-1e-7]; from_logits: max(z,0) - z*y + log(1+exp(-|z|))"),
            "categorical_crossentropy": ("per sample: -sum(y * log(p / sum(p))), p clipped to [1e-7, 1-1e-7]; "
                                         "from_logits: -sum(y * log_softmax(z))"),
            "sparse_categorical_crossentropy": ("per sample: -log(p[y]) (y integer class index); "
                                                "from_logits: -log_softmax(z)[y]"),
        },
        "cases": cases,
    }


# --------------------------------------------------------------------------
# 3. optimizers (KERAS-FORMULA throughout; torch.optim used as cross-check)
# --------------------------------------------------------------------------

def clip_grads(grads, cfg):
    """Keras 3 BaseOptimizer clipping (semantics section 8.1)."""
    if cfg.get("clipnorm"):
        c = cfg["clipnorm"]  # per tensor
        return [g * c / torch.clamp(g.norm(), min=c) for g in grads]
    if cfg.get("global_clipnorm"):
        c = cfg["global_clipnorm"]  # joint over all tensors
        n = torch.sqrt(sum((g * g).sum() for g in grads))
        return [g * c / torch.clamp(n, min=c) for g in grads]
    if cfg.get("clipvalue"):
        v = cfg["clipvalue"]
        return [torch.clamp(g, -v, v) for g in grads]
    return list(grads)


class KerasOptimizer:
    """Keras 3 update rules, float64.  nadam_decay=1.0 gives Keras 3's 0.96^t schedule;
    0.004 gives the legacy tf.keras / PyTorch schedule 0.96^(0.004 t)."""

    def __init__(self, kind, cfg, nadam_decay=1.0, torch113_nadam_bug=False):
        self.kind, self.cfg = kind, cfg
        self.t = 0
        self.state = None
        self.u_product = 1.0
        self.nadam_decay = nadam_decay
        self.torch113_nadam_bug = torch113_nadam_bug

    def apply(self, grads, theta):
        grads = clip_grads(grads, self.cfg)
        c = self.cfg
        lr = c["learning_rate"]
        if self.state is None:
            self.state = [dict(m=torch.zeros_like(p), v=torch.zeros_like(p), vhat=torch.zeros_like(p),
                               gbar=torch.zeros_like(p), mom=torch.zeros_like(p)) for p in theta]
        self.t += 1
        t = self.t
        if self.kind == "Nadam":  # once per apply call, before the per-variable loop
            b1 = c["beta_1"]
            u_t = b1 * (1 - 0.5 * 0.96 ** (t * self.nadam_decay))
            u_t1 = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * self.nadam_decay))
            self.u_product *= u_t
        new = []
        for p, g, s in zip(theta, grads, self.state):
            if self.kind == "SGD":
                mu = c["momentum"]
                if mu == 0:
                    p = p - lr * g
                else:
                    s["mom"] = mu * s["mom"] - lr * g
                    p = p + (mu * s["mom"] - lr * g if c["nesterov"] else s["mom"])
            elif self.kind == "Adam":
                b1, b2, eps = c["beta_1"], c["beta_2"], c["epsilon"]
                s["m"] = s["m"] + (g - s["m"]) * (1 - b1)
                s["v"] = s["v"] + (g * g - s["v"]) * (1 - b2)
                alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                if c.get("amsgrad"):
                    s["vhat"] = torch.maximum(s["vhat"], s["v"])
                    denom = torch.sqrt(s["vhat"]) + eps
                else:
                    denom = torch.sqrt(s["v"]) + eps  # epsilon-hat: eps not bias-corrected
                p = p - alpha * s["m"] / denom
            elif self.kind == "Nadam":
                b1, b2, eps = c["beta_1"], c["beta_2"], c["epsilon"]
                up = self.u_product
                up1 = up * u_t1 if not self.torch113_nadam_bug else up * u_t * u_t1
                s["m"] = s["m"] + (g - s["m"]) * (1 - b1)
                s["v"] = s["v"] + (g * g - s["v"]) * (1 - b2)
                m_hat = u_t1 * s["m"] / (1 - up1) + (1 - u_t) * g / (1 - up)
                v_hat = s["v"] / (1 - b2 ** t)
                p = p - lr * m_hat / (torch.sqrt(v_hat) + eps)
            elif self.kind == "RMSprop":
                rho, eps, mu = c["rho"], c["epsilon"], c["momentum"]
                s["v"] = rho * s["v"] + (1 - rho) * g * g
                if c["centered"]:
                    s["gbar"] = rho * s["gbar"] + (1 - rho) * g
                    denom = s["v"] - s["gbar"] ** 2 + eps
                else:
                    denom = s["v"] + eps  # eps INSIDE the sqrt (torch: outside)
                inc = lr * g / torch.sqrt(denom)
                if mu > 0:
                    s["mom"] = mu * s["mom"] + inc
                    p = p - s["mom"]
                else:
                    p = p - inc
            else:
                raise KeyError(self.kind)
            new.append(p)
        return new


def run_keras(kind, cfg, theta0, grads_seq, **kw):
    opt = KerasOptimizer(kind, cfg, **kw)
    theta = [torch.tensor(t) for t in theta0]
    traj = []
    for gs in grads_seq:
        theta = opt.apply([torch.tensor(g) for g in gs], theta)
        traj.append([p.clone() for p in theta])
    return traj


def run_torch(make_opt, cfg, theta0, grads_seq):
    """torch.optim trajectory with the *Keras* clipping applied to the gradients first
    (torch.optim has no clipping of its own)."""
    params = [torch.tensor(t, requires_grad=True) for t in theta0]
    opt = make_opt(params)
    traj = []
    for gs in grads_seq:
        clipped = clip_grads([torch.tensor(g) for g in gs], cfg)
        for p, g in zip(params, clipped):
            p.grad = g.clone()
        opt.step()
        traj.append([p.detach().clone() for p in params])
    return traj


DOC_OPT_TABLE = [  # keras-semantics.md section 8.2, theta0 = [1,-2], lr 0.1
    ("SGD", {"momentum": 0.0, "nesterov": False}, {},
     [[0.95, -1.9], [0.94, -1.92], [0.97, -1.96]]),
    ("SGD", {"momentum": 0.9, "nesterov": False}, {},
     [[0.95, -1.9], [0.895, -1.83], [0.8755, -1.807]]),
    ("SGD", {"momentum": 0.9, "nesterov": True}, {},
     [[0.905, -1.81], [0.8455, -1.767], [0.85795, -1.7863]]),
    ("Adam", {}, {},
     [[0.9000006325, -1.9000003162], [0.8196970329, -1.8488978670], [0.7986258503, -1.8354739458]]),
    ("Nadam", {}, {},
     [[0.8937212409, -1.8937212303], [0.8666038573, -1.9066963936], [0.9128525733, -1.9402644358]]),
    ("Nadam", {}, {"nadam_decay": 0.004},
     [[0.8943548433, -1.8943548327], [0.8676667349, -1.9086739407], [0.9181317176, -1.9452401239]]),
    ("RMSprop", {}, {},
     [[0.6837728664, -1.6837723921], [0.6185401979, -1.7490051647], [0.7913135965, -1.8751184342]]),
    ("RMSprop", {"momentum": 0.9}, {},
     [[0.6837728664, -1.6837723921], [0.3339357777, -1.4644003176], [0.1918557965, -1.3930787201]]),
    ("RMSprop", {"centered": True}, {},
     [[0.6666674074, -1.6666668519], [0.5967819223, -1.7336693353], [0.7706552362, -1.8601154981]]),
]

KERAS_DEFAULTS = {
    "SGD": {"momentum": 0.0, "nesterov": False},
    "Adam": {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
    "Nadam": {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "RMSprop": {"rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False},
}


def make_optimizers():
    LR = 0.1
    # 1) reproduce the keras-semantics.md section 8.2 table
    doc_g = [[[0.5, -1.0]], [[0.1, 0.2]], [[-0.3, 0.4]]]
    for kind, over, kw, expect in DOC_OPT_TABLE:
        cfg = dict(KERAS_DEFAULTS[kind], learning_rate=LR, **over)
        traj = run_keras(kind, cfg, [[1.0, -2.0]], doc_g, **kw)
        for step, (got, exp) in enumerate(zip(traj, expect)):
            assert_close(got[0], exp, 6e-10, "doc table %s %s %s step %d" % (kind, over, kw, step + 1))

    # 2) the fixture problem: two variables of shape [2]
    theta0 = [[1.0, -2.0], [0.5, 0.25]]
    shapes = [[2], [2]]
    grads = [
        [[0.5, -1.0], [0.1, 0.2]],    # norms 1.118 | 0.224, global 1.140: clipnorm bites var 0 only
        [[0.1, 0.2], [1.5, -2.0]],    # norms 0.224 | 2.5,   global 2.510: clipnorm bites var 1 only
        [[-0.3, 0.4], [0.3, -0.1]],   # norms 0.5   | 0.316, global 0.592: no norm clipping
    ]
    # clipping sanity (semantics section 8.1 worked example)
    ex = [torch.tensor([3.0, 4.0]), torch.tensor([0.6, 0.8])]
    assert_close(torch.cat(clip_grads(ex, {"clipnorm": 1.0})), [0.6, 0.8, 0.6, 0.8], 1e-15, "clipnorm example")
    assert_close(torch.cat(clip_grads(ex, {"global_clipnorm": 1.0})),
                 [0.58834841, 0.78446454, 0.11766968, 0.15689291], 6e-9, "global_clipnorm example")
    assert_close(torch.cat(clip_grads(ex, {"clipvalue": 0.7})), [0.7, 0.7, 0.6, 0.7], 1e-15, "clipvalue example")
    # Keras clipvalue == torch clip_grad_value_; Keras global_clipnorm ~= torch clip_grad_norm_ (torch adds 1e-6)
    for gs in grads:
        ps = [torch.zeros(2, requires_grad=True) for _ in gs]
        for p, g in zip(ps, gs):
            p.grad = torch.tensor(g)
        torch.nn.utils.clip_grad_value_(ps, 0.5)
        assert_close(torch.cat([p.grad for p in ps]), torch.cat(clip_grads([torch.tensor(g) for g in gs],
                     {"clipvalue": 0.5})), 0, "clip_grad_value_")
        for p, g in zip(ps, gs):
            p.grad = torch.tensor(g)
        torch.nn.utils.clip_grad_norm_(ps, 1.0)
        assert_close(torch.cat([p.grad for p in ps]), torch.cat(clip_grads([torch.tensor(g) for g in gs],
                     {"global_clipnorm": 1.0})), 1e-6, "clip_grad_norm_ (differs by its +1e-6)")

    variants = [
        ("SGD", {}),
        ("SGD", {"momentum": 0.9}),
        ("SGD", {"momentum": 0.9, "nesterov": True}),
        ("Adam", {}),
        ("Adam", {"amsgrad": True}),
        ("Nadam", {}),
        ("RMSprop", {}),
        ("RMSprop", {"momentum": 0.9}),
        ("RMSprop", {"centered": True}),
    ]
    clips = [{}, {"clipnorm": 1.0}, {"clipvalue": 0.5}, {"global_clipnorm": 1.0}]
    cases = []
    for kind, over in variants:
        for clip in clips:
            cfg = dict(learning_rate=LR, **KERAS_DEFAULTS[kind])
            cfg.update(over)
            cfg.update(clip)
            traj = run_keras(kind, cfg, theta0, grads)
            # torch.optim cross-checks
            if kind == "SGD":
                # exact match: torch's v <- mu v + g, p -= lr v (and its Nesterov form) gives the same
                # trajectory as Keras's lr-folded velocity for constant lr.
                tt = run_torch(lambda ps: torch.optim.SGD(ps, lr=LR, momentum=cfg["momentum"],
                                                          nesterov=cfg["nesterov"]), cfg, theta0, grads)
                for a, b in zip(traj, tt):
                    assert_close(torch.cat(a), torch.cat(b), 1e-15, "SGD vs torch.optim.SGD %s" % cfg)
            elif kind == "Adam":
                # torch adds eps after the bias-corrected sqrt (Keras: epsilon-hat form), so compare
                # the eps = 0 versions, where the two are algebraically identical.
                c0 = dict(cfg, epsilon=0.0)
                k0 = run_keras(kind, c0, theta0, grads)
                tt = run_torch(lambda ps: torch.optim.Adam(ps, lr=LR, betas=(0.9, 0.999), eps=0.0,
                                                           amsgrad=cfg["amsgrad"]), cfg, theta0, grads)
                for a, b in zip(k0, tt):
                    assert_close(torch.cat(a), torch.cat(b), 1e-14, "Adam(eps=0) vs torch.optim.Adam %s" % cfg)
            elif kind == "Nadam":
                # torch 1.13 NAdam with momentum_decay=1.0 has Keras 3's 0.96^t schedule and the same eps
                # placement, but 1.13 computes mu_product_next = mu_product*mu*mu_next (an extra mu;
                # fixed in pytorch/pytorch#92699, torch 2.0).  Reproduce torch 1.13 by switching that
                # one term, which validates everything else in our Nadam.
                kb = run_keras(kind, cfg, theta0, grads, torch113_nadam_bug=True)
                tt = run_torch(lambda ps: torch.optim.NAdam(ps, lr=LR, betas=(0.9, 0.999), eps=1e-7,
                                                            momentum_decay=1.0), cfg, theta0, grads)
                for a, b in zip(kb, tt):
                    assert_close(torch.cat(a), torch.cat(b), 1e-14, "Nadam(torch1.13 bug) vs torch.optim.NAdam")
                assert float((torch.cat(kb[-1]) - torch.cat(traj[-1])).abs().max()) > 1e-4
            elif kind == "RMSprop":
                # torch adds eps outside the sqrt (Keras: inside); identical for eps = 0.
                c0 = dict(cfg, epsilon=0.0)
                k0 = run_keras(kind, c0, theta0, grads)
                tt = run_torch(lambda ps: torch.optim.RMSprop(ps, lr=LR, alpha=0.9, eps=0.0,
                                                              momentum=cfg["momentum"],
                                                              centered=cfg["centered"]), cfg, theta0, grads)
                for a, b in zip(k0, tt):
                    assert_close(torch.cat(a), torch.cat(b), 1e-13, "RMSprop(eps=0) vs torch.optim.RMSprop %s" % cfg)
            cases.append({"optimizer": kind, "config": cfg, "theta": [[tolist(p) for p in step] for step in traj]})

    # clipping must actually change the trajectories
    by = {(c["optimizer"], json.dumps({k: v for k, v in c["config"].items()
                                       if k not in ("clipnorm", "clipvalue", "global_clipnorm")}, sort_keys=True),
           next((k for k in ("clipnorm", "clipvalue", "global_clipnorm") if k in c["config"]), "none")):
          c["theta"] for c in cases}
    for key in list(by):
        if key[2] == "none":
            base = by[key]
            seen = []
            for clip in ("clipnorm", "clipvalue", "global_clipnorm"):
                other = by[(key[0], key[1], clip)]
                assert other != base, ("clipping had no effect", key, clip)
                assert other not in seen, ("two clip modes coincide", key, clip)
                seen.append(other)

    return {
        "description": ("Keras 3 optimizer trajectories (float64). theta0 = list of variables, grads[s] = the "
                        "raw (unclipped) gradients of step s+1 for each variable, cases[*].theta[s] = all "
                        "variables after step s+1. Clipping (at most one of clipnorm / clipvalue / "
                        "global_clipnorm) is applied to the raw gradients before the update: clipnorm per "
                        "tensor, global_clipnorm jointly over all tensors, clipvalue element-wise. "
                        "config uses Keras snake_case keys with all class-specific defaults spelled out."),
        "generator": GENERATOR,
        "theta0": theta0,
        "shapes": shapes,
        "grads": grads,
        "cases": cases,
    }


# --------------------------------------------------------------------------
# 4. initializers (closed forms, semantics section 1)
# --------------------------------------------------------------------------

def std_normal_pdf(z):
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def std_normal_cdf(z):
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def truncated_std_factor(k=2.0):
    """Std of a standard normal restricted to [-k, k]:
    Var = 1 - 2k phi(k) / (2 Phi(k) - 1)  (for k = 2: 1 - 4 phi(2)/(2 Phi(2) - 1))."""
    return math.sqrt(1 - 2 * k * std_normal_pdf(k) / (2 * std_normal_cdf(k) - 1))


def truncated_std_factor_numeric(k=2.0, n=200000):
    """Same quantity by direct numerical integration (Simpson) of z^2 phi(z) on [-k, k]."""
    h = 2 * k / n
    s0 = s2 = 0.0
    for i in range(n + 1):
        z = -k + i * h
        w = 1 if i in (0, n) else (4 if i % 2 else 2)
        p = std_normal_pdf(z)
        s0 += w * p
        s2 += w * z * z * p
    return math.sqrt(s2 / s0)


TRUNC = truncated_std_factor(2.0)


def compute_fans(shape):
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    r = 1
    for d in shape[:-2]:
        r *= d
    return shape[-2] * r, shape[-1] * r


def vs_stats(shape, scale, mode, distribution):
    fan_in, fan_out = compute_fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode]
    s = scale / max(1.0, n)
    d = {"fan_in": fan_in, "fan_out": fan_out}
    if distribution == "truncated_normal":
        sigma_pre = math.sqrt(s) / TRUNC
        d.update(kind="truncated_normal", mean=0.0, std=math.sqrt(s), std_pre_truncation=sigma_pre,
                 bound=2 * sigma_pre, min=-2 * sigma_pre, max=2 * sigma_pre)
    elif distribution == "untruncated_normal":
        d.update(kind="normal", mean=0.0, std=math.sqrt(s), bound=None, min=None, max=None)
    elif distribution == "uniform":
        L = math.sqrt(3 * s)
        d.update(kind="uniform", mean=0.0, std=L / math.sqrt(3), limit=L, bound=L, min=-L, max=L)
    else:
        raise KeyError(distribution)
    return d


def init_case(class_name, config, shape):
    rows, cols = shape[0], shape[-1]
    base = {"class_name": class_name, "config": config, "shape": shape}
    if class_name == "Zeros":
        st = dict(kind="constant", deterministic=True, mean=0.0, std=0.0, bound=0.0, min=0.0, max=0.0)
    elif class_name == "Ones":
        st = dict(kind="constant", deterministic=True, mean=1.0, std=0.0, bound=0.0, min=1.0, max=1.0)
    elif class_name == "Constant":
        v = config.get("value", 0.0)
        st = dict(kind="constant", deterministic=True, mean=v, std=0.0, bound=0.0, min=v, max=v)
    elif class_name == "RandomNormal":
        m, sd = config.get("mean", 0.0), config.get("stddev", 0.05)
        st = dict(kind="normal", mean=m, std=sd, bound=None, min=None, max=None)
    elif class_name == "RandomUniform":
        a, b = config.get("minval", -0.05), config.get("maxval", 0.05)
        st = dict(kind="uniform", mean=(a + b) / 2, std=(b - a) / math.sqrt(12), bound=(b - a) / 2, min=a, max=b)
    elif class_name == "TruncatedNormal":
        # KERAS-FORMULA: no variance correction -> realised std = 0.8796... * stddev
        m, sd = config.get("mean", 0.0), config.get("stddev", 0.05)
        st = dict(kind="truncated_normal", mean=m, std=sd * TRUNC, std_pre_truncation=sd,
                  bound=2 * sd, min=m - 2 * sd, max=m + 2 * sd)
    elif class_name == "VarianceScaling":
        st = vs_stats(shape, config.get("scale", 1.0), config.get("mode", "fan_in"),
                      config.get("distribution", "truncated_normal"))
    elif class_name in ("GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform"):
        scale = 2.0 if class_name.startswith("He") else 1.0
        mode = "fan_avg" if class_name.startswith("Glorot") else "fan_in"
        dist = "uniform" if class_name.endswith("Uniform") else "truncated_normal"
        st = vs_stats(shape, scale, mode, dist)
        st["equivalent"] = {"class_name": "VarianceScaling",
                            "config": {"scale": scale, "mode": mode, "distribution": dist}}
    elif class_name == "Orthogonal":
        gain = config.get("gain", 1.0)
        r = 1
        for dd in shape[:-1]:
            r *= dd
        c = shape[-1]
        ms = gain * gain / max(r, c)  # exact: sum of squares = gain^2 * min(r, c)
        # entries of an orthonormal column/row are bounded by 1 in magnitude -> |v| <= |gain| (loose)
        st = dict(kind="orthogonal", mean=0.0, std=math.sqrt(ms), mean_square=ms,
                  bound=abs(gain), min=-abs(gain), max=abs(gain),
                  gram=("M^T M = gain^2 I, M = W reshaped to flattened_shape (orthonormal columns)" if r >= c
                        else "M M^T = gain^2 I, M = W reshaped to flattened_shape (orthonormal rows)"),
                  flattened_shape=[r, c], gain=gain)
    elif class_name == "Identity":
        gain = config.get("gain", 1.0)
        k = min(rows, cols)
        mean = gain * k / (rows * cols)
        msq = gain * gain * k / (rows * cols)
        st = dict(kind="identity", deterministic=True, mean=mean, std=math.sqrt(msq - mean * mean),
                  bound=max(abs(gain - mean), abs(mean)), min=min(0.0, gain), max=max(0.0, gain),
                  values=("gain on the main diagonal [i][i] for i < min(rows, cols), 0 elsewhere "
                          "(Keras 3 allows rectangular; TF.js throws unless square)"))
    else:
        raise KeyError(class_name)
    st.setdefault("deterministic", False)
    base.update(st)
    return base


# keras-semantics.md 1.3 (7-8 significant digits): (shape) -> glorotU L, glorotN pre, final,
# heU L, heN pre, final, lecunU L, lecunN pre, final
DOC_INIT_TABLE = {
    (784, 300): [0.074397953, 0.04883177, 0.042953678, 0.087481777, 0.057419456, 0.050507627,
                 0.061858957, 0.040601687, 0.035714286],
    (300, 100): [0.12247449, 0.080387239, 0.070710678, 0.14142136, 0.092823188, 0.081649658,
                 0.1, 0.065635906, 0.057735027],
    (100, 10): [0.23354968, 0.15329245, 0.13483997, 0.24494897, 0.16077448, 0.14142136,
                0.17320508, 0.11368472, 0.1],
    (3, 3, 32, 64): [0.083333333, 0.054696588, 0.048112522, 0.14433757, 0.09473727, 0.083333333,
                     0.10206207, 0.066989366, 0.058925565],
}


def make_initializers():
    # where 0.87962566103423978 comes from
    numeric = truncated_std_factor_numeric(2.0)
    assert abs(TRUNC - 0.87962566103423978) < 1e-15, TRUNC
    assert abs(numeric - 0.87962566103423978) < 1e-12, numeric

    # doc table
    for shape, vals in DOC_INIT_TABLE.items():
        s = list(shape)
        got = [init_case("GlorotUniform", {}, s)["limit"],
               init_case("GlorotNormal", {}, s)["std_pre_truncation"], init_case("GlorotNormal", {}, s)["std"],
               init_case("HeUniform", {}, s)["limit"],
               init_case("HeNormal", {}, s)["std_pre_truncation"], init_case("HeNormal", {}, s)["std"],
               init_case("LecunUniform", {}, s)["limit"],
               init_case("LecunNormal", {}, s)["std_pre_truncation"], init_case("LecunNormal", {}, s)["std"]]
        assert_close(got, vals, 1.1e-7, "initializer doc table %s" % (shape,), rel=True)

    # statistical sanity of the truncation constant with torch's sampler (cut at +-2 sigma)
    gen = torch.Generator().manual_seed(7)
    t = torch.empty(1_000_000)
    torch.manual_seed(7)
    torch.nn.init.trunc_normal_(t, mean=0.0, std=1.0, a=-2.0, b=2.0)
    assert abs(float(t.std()) / TRUNC - 1) < 0.005, float(t.std())
    # Orthogonal property with the Keras algorithm (QR of the tall matrix, sign fix)
    a = torch.randn(784, 300, generator=gen)
    q, r = torch.linalg.qr(a)
    q = q * torch.sign(torch.diagonal(r))
    assert_close(q.T @ q, torch.eye(300), 1e-12, "orthogonal Q^T Q")
    assert abs(float((q * q).mean()) - 1 / 784) < 1e-15

    shapes = [[784, 300], [300, 100], [100, 10]]
    specs = [
        ("Constant", {"value": 0.0}), ("Constant", {"value": 0.5}),
        ("GlorotNormal", {}), ("GlorotUniform", {}),
        ("HeNormal", {}), ("HeUniform", {}),
        ("Identity", {"gain": 1.0}), ("Identity", {"gain": 2.0}),
        ("LecunNormal", {}), ("LecunUniform", {}),
        ("Ones", {}),
        ("Orthogonal", {"gain": 1.0}), ("Orthogonal", {"gain": 2.0}),
        ("RandomNormal", {"mean": 0.0, "stddev": 0.05}), ("RandomNormal", {"mean": 1.0, "stddev": 2.0}),
        ("RandomUniform", {"minval": -0.05, "maxval": 0.05}), ("RandomUniform", {"minval": 0.0, "maxval": 3.0}),
        ("TruncatedNormal", {"mean": 0.0, "stddev": 0.05}), ("TruncatedNormal", {"mean": 1.0, "stddev": 0.5}),
        ("VarianceScaling", {}),
    ]
    for mode in ("fan_in", "fan_out", "fan_avg"):
        for dist in ("truncated_normal", "untruncated_normal", "uniform"):
            specs.append(("VarianceScaling", {"scale": 2.0, "mode": mode, "distribution": dist}))
    specs.append(("Zeros", {}))
    cases = [init_case(cn, cfg, s) for cn, cfg in specs for s in shapes]
    # rank-4 (conv) fans for the VarianceScaling family
    for cn in ("GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform"):
        cases.append(init_case(cn, {}, [3, 3, 32, 64]))
    for mode in ("fan_in", "fan_out", "fan_avg"):
        config = {"scale": 2.0, "mode": mode, "distribution": "uniform"}
        cases.append(init_case("VarianceScaling", config, [3, 3, 32, 64]))
    # square and wide (rows < cols) shapes for Identity / Orthogonal, and a rank-3 Orthogonal
    for s in ([64, 64], [10, 100]):
        cases.append(init_case("Identity", {"gain": 1.0}, s))
        cases.append(init_case("Orthogonal", {"gain": 1.0}, s))
    cases.append(init_case("Orthogonal", {"gain": 1.0}, [4, 5, 30]))
    assert len({c["class_name"] for c in cases}) == 15

    return {
        "description": ("Closed-form statistics of Keras 3 initializers (semantics section 1). Per case: "
                        "class_name + config (Keras snake_case; omitted keys take Keras defaults, seed "
                        "irrelevant), shape, fan_in/fan_out where applicable, kind, expected mean and std of "
                        "the elements, bound = guaranteed max |v - mean| (null if unbounded), min/max = "
                        "guaranteed range (null if unbounded). deterministic=true means mean/std are the "
                        "exact statistics of the produced tensor; otherwise they are the distribution's "
                        "expectations (compare with a sample tolerance). truncated_normal: "
                        "std_pre_truncation = sigma of the normal before cutting at +-2 sigma; the realised "
                        "std is sigma * truncated_std_factor. Orthogonal: mean_square is exact."),
        "generator": GENERATOR,
        "truncated_std_factor": TRUNC,
        "truncated_std_factor_formula": "sqrt(1 - 4 phi(2) / (2 Phi(2) - 1)), std of N(0,1) restricted to [-2, 2]",
        "truncated_std_factor_numeric_integration": numeric,
        "cases": cases,
    }


# --------------------------------------------------------------------------

def main():
    total = 0
    total += write_json("activations.json", make_activations())
    total += write_json("model.json", make_models())
    total += write_json("optimizers.json", make_optimizers())
    total += write_json("initializers.json", make_initializers())
    print("total %d bytes; all cross-checks passed" % total)
    assert total < 200_000


if __name__ == "__main__":
    sys.exit(main())
