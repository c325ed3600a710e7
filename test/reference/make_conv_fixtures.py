#!/usr/bin/env python3
"""Generate test/fixtures/conv.json: convolution, pooling, flatten and rank-4 batch-norm references.

Run from anywhere:   /usr/bin/python3 test/reference/make_conv_fixtures.py
Requires: PyTorch (torch 1.13), float64 throughout.  Deterministic.

Each case is a small Keras model (layers as Keras {class_name, config}, channels-last) with inputs and
weights that are multiples of 1/1024 (exact in float32), its training-mode output, and the gradients of
L = sum(output * upstream) with respect to the input and every trainable weight (Keras weight order and
layout: Conv kernels [kh, kw, cin, cout] / [k, cin, cout]).

Keras semantics implemented in torch, where PyTorch differs (KERAS-FORMULA):
  * 'same' padding: total = max((ceil(n/s) - 1)*s + (k-1)*d + 1 - n, 0), the extra row/column goes at the
    bottom/right (PyTorch pads symmetrically), so inputs are padded explicitly with F.pad before a 'valid' op;
  * 'causal' Conv1D: (k-1)*d zeros on the left only;
  * 'same' max pooling pads with -inf; 'same' average pooling divides by the count of valid inputs only;
  * Flatten reads channels-last (h, w, c) order;
  * BatchNormalization on rank 4: per channel over batch and space, biased batch variance, epsilon 1e-3, moving
    statistics updated with the biased variance and momentum 0.99.
"""

import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "conv.json"))
GEN = torch.Generator().manual_seed(1234)


def grid(*shape, scale=1.0):
    """Normal draws rounded to multiples of 1/1024 (exact in float32)."""
    return torch.round(torch.randn(*shape, generator=GEN) * scale * 1024) / 1024


def distinct(*shape):
    """Distinct multiples of 1/64 in random order (max pooling without ties)."""
    n = 1
    for d in shape:
        n *= d
    perm = torch.randperm(n, generator=GEN).to(torch.float64)
    return ((perm - n / 2) / 64).reshape(*shape)


def same_pads(n, k, s, d):
    out = math.ceil(n / s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def pad_nhwc(x, kh, kw, s, d, padding, value=0.0):
    """x NCHW; Keras padding as an explicit F.pad (KERAS-FORMULA)."""
    if padding == "valid":
        return x
    if padding == "causal":
        return F.pad(x, ((kw - 1) * d[1], 0, 0, 0), value=value)
    top, bottom = same_pads(x.shape[2], kh, s[0], d[0])
    left, right = same_pads(x.shape[3], kw, s[1], d[1])
    return F.pad(x, (left, right, top, bottom), value=value)


ACT = {"linear": lambda z: z, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "elu": F.elu, "relu": F.relu}


def conv2d(x, w, b, strides, dilation, padding, act):
    """x NHWC, w [kh, kw, cin, cout]."""
    kh, kw = w.shape[0], w.shape[1]
    xn = pad_nhwc(x.permute(0, 3, 1, 2), kh, kw, strides, dilation, padding)
    y = F.conv2d(xn, w.permute(3, 2, 0, 1), b, stride=strides, dilation=dilation)
    return ACT[act](y.permute(0, 2, 3, 1))


def pool(x, size, strides, padding, mode):
    xn = x.permute(0, 3, 1, 2)
    if mode == "max":
        y = F.max_pool2d(pad_nhwc(xn, size[0], size[1], strides, (1, 1), padding, -math.inf), size, strides)
    else:
        total = F.avg_pool2d(pad_nhwc(xn, size[0], size[1], strides, (1, 1), padding), size, strides) * (
            size[0] * size[1]
        )
        ones = torch.ones_like(xn[:, :1])
        count = F.avg_pool2d(pad_nhwc(ones, size[0], size[1], strides, (1, 1), padding), size, strides) * (
            size[0] * size[1]
        )
        y = total / count
    return y.permute(0, 2, 3, 1)


def cfg(class_name, **config):
    return {"class_name": class_name, "config": config}


CASES = []


def add_case(name, description, layers, x, weights, forward, moving=None):
    """weights: list of (name, tensor, trainable); forward(x, *weights) -> (y, extra)."""
    xs = x.clone().requires_grad_(True)
    ws = [w.clone().requires_grad_(t) for (_, w, t) in weights]
    y, extra = forward(xs, *ws)
    up = grid(*y.shape)
    (y * up).sum().backward()
    case = {
        "name": name,
        "description": description,
        "layers": layers,
        "input_shape": list(x.shape[1:]),
        "x": x.tolist(),
        "weights": [{"name": n, "shape": list(w.shape), "trainable": t, "value": w.tolist()} for (n, w, t) in weights],
        "output": y.detach().tolist(),
        "upstream": up.tolist(),
        "grad_x": xs.grad.tolist(),
        "grads": {n: w.grad.tolist() for (n, _, t), w in zip(weights, ws) if t},
    }
    if extra:
        case.update(extra)
    CASES.append(case)


# Conv2D 'same' with stride 2 on 6 columns: total pad 1, all of it at the right (PyTorch would split it).
x = grid(2, 5, 6, 3)
w = grid(3, 3, 3, 4, scale=0.4)
b = grid(4, scale=0.1)
add_case(
    "conv2d_same_stride2",
    "Conv2D 4 3x3 strides 2 'same' tanh on 5x6x3: rows pad 1/1, columns pad 0 left / 1 right",
    [cfg("Conv2D", name="c", filters=4, kernel_size=[3, 3], strides=[2, 2], padding="same", activation="tanh")],
    x,
    [("c/kernel", w, True), ("c/bias", b, True)],
    lambda x, w, b: (conv2d(x, w, b, (2, 2), (1, 1), "same", "tanh"), None),
)

# Conv2D 'same' 4x4 stride 1: total pad 3 = 1 top + 2 bottom.
x = grid(2, 5, 5, 2)
w = grid(4, 4, 2, 3, scale=0.3)
b = grid(3, scale=0.1)
add_case(
    "conv2d_same_even_kernel",
    "Conv2D 3 4x4 'same' linear: pad 1 top/left, 2 bottom/right",
    [cfg("Conv2D", name="c", filters=3, kernel_size=[4, 4], padding="same")],
    x,
    [("c/kernel", w, True), ("c/bias", b, True)],
    lambda x, w, b: (conv2d(x, w, b, (1, 1), (1, 1), "same", "linear"), None),
)

# Conv2D with dilation 2, 'valid', no bias, sigmoid.
x = grid(2, 7, 6, 2)
w = grid(3, 2, 2, 3, scale=0.5)
add_case(
    "conv2d_dilation2_valid",
    "Conv2D 3 3x2 dilation 2 'valid' sigmoid, no bias",
    [
        cfg(
            "Conv2D",
            name="c",
            filters=3,
            kernel_size=[3, 2],
            dilation_rate=[2, 2],
            padding="valid",
            activation="sigmoid",
            use_bias=False,
        )
    ],
    x,
    [("c/kernel", w, True)],
    lambda x, w: (conv2d(x, w, None, (1, 1), (2, 2), "valid", "sigmoid"), None),
)

# Conv2D 'same' with dilation 2 (pad (k-1)*d = 4 split 2/2) and elu.
x = grid(1, 5, 4, 2)
w = grid(3, 3, 2, 2, scale=0.5)
b = grid(2, scale=0.1)
add_case(
    "conv2d_dilation2_same",
    "Conv2D 2 3x3 dilation 2 'same' elu",
    [cfg("Conv2D", name="c", filters=2, kernel_size=3, dilation_rate=2, padding="same", activation="elu")],
    x,
    [("c/kernel", w, True), ("c/bias", b, True)],
    lambda x, w, b: (conv2d(x, w, b, (1, 1), (2, 2), "same", "elu"), None),
)


def conv1d(x, w, b, stride, dilation, padding, act):
    """x [N, L, C], w [k, cin, cout] as a height-1 Conv2D."""
    y = conv2d(x.unsqueeze(1), w.unsqueeze(0), b, (1, stride), (1, dilation), padding, act)
    return y.squeeze(1)


x = grid(2, 7, 2)
w = grid(3, 2, 3, scale=0.5)
b = grid(3, scale=0.1)
add_case(
    "conv1d_causal_dilation2",
    "Conv1D 3 k=3 dilation 2 'causal' tanh: 4 zeros on the left only",
    [cfg("Conv1D", name="c", filters=3, kernel_size=3, dilation_rate=2, padding="causal", activation="tanh")],
    x,
    [("c/kernel", w, True), ("c/bias", b, True)],
    lambda x, w, b: (conv1d(x, w, b, 1, 2, "causal", "tanh"), None),
)
# Causality check on the reference itself: output t does not depend on inputs after t.
x2 = x.clone()
x2[:, 4:, :] += 1
assert torch.allclose(conv1d(x, w, b, 1, 2, "causal", "tanh")[:, :4], conv1d(x2, w, b, 1, 2, "causal", "tanh")[:, :4])

x = grid(2, 9, 3)
w = grid(4, 3, 2, scale=0.5)
b = grid(2, scale=0.1)
add_case(
    "conv1d_same_stride2",
    "Conv1D 2 k=4 strides 2 'same' linear on 9 steps: pad 1 left, 2 right",
    [cfg("Conv1D", name="c", filters=2, kernel_size=4, strides=2, padding="same")],
    x,
    [("c/kernel", w, True), ("c/bias", b, True)],
    lambda x, w, b: (conv1d(x, w, b, 2, 1, "same", "linear"), None),
)

x = distinct(2, 5, 6, 2)
add_case(
    "maxpool_same",
    "MaxPooling2D 3x3 strides 2 'same': -inf padding (all-negative inputs near the border still win)",
    [cfg("MaxPooling2D", name="p", pool_size=[3, 3], strides=[2, 2], padding="same")],
    x - 3,
    [],
    lambda x: (pool(x, (3, 3), (2, 2), "same", "max"), None),
)

x = distinct(2, 4, 4, 3)
add_case(
    "maxpool_valid",
    "MaxPooling2D 2x2 (strides = pool size) 'valid'",
    [cfg("MaxPooling2D", name="p", pool_size=[2, 2], padding="valid")],
    x,
    [],
    lambda x: (pool(x, (2, 2), (2, 2), "valid", "max"), None),
)

x = grid(2, 5, 4, 2)
add_case(
    "avgpool_same",
    "AveragePooling2D 3x3 strides 1 'same': border windows divide by their valid count",
    [cfg("AveragePooling2D", name="p", pool_size=[3, 3], strides=[1, 1], padding="same")],
    x,
    [],
    lambda x: (pool(x, (3, 3), (1, 1), "same", "average"), None),
)
# Cross-check against PyTorch's own count_include_pad=False where its symmetric padding equals Keras's.
ref = F.avg_pool2d(x.permute(0, 3, 1, 2), 3, 1, padding=1, count_include_pad=False).permute(0, 2, 3, 1)
assert torch.allclose(ref, pool(x, (3, 3), (1, 1), "same", "average"))

x = grid(2, 6, 5, 2)
add_case(
    "avgpool_same_stride2_asymmetric",
    "AveragePooling2D 2x2 strides 2 'same' on 6x5: one extra column at the right, counted as invalid",
    [cfg("AveragePooling2D", name="p", pool_size=[2, 2], strides=[2, 2], padding="same")],
    x,
    [],
    lambda x: (pool(x, (2, 2), (2, 2), "same", "average"), None),
)

x = grid(3, 3, 4, 2)
add_case(
    "global_average_pooling",
    "GlobalAveragePooling2D",
    [cfg("GlobalAveragePooling2D", name="g")],
    x,
    [],
    lambda x: (x.mean(dim=(1, 2)), None),
)
x = distinct(3, 3, 4, 2)
add_case(
    "global_max_pooling",
    "GlobalMaxPooling2D",
    [cfg("GlobalMaxPooling2D", name="g")],
    x,
    [],
    lambda x: (x.amax(dim=(1, 2)), None),
)

# Conv2D -> Flatten -> Dense: Flatten must read channels-last (h, w, c) order.
x = grid(2, 4, 4, 1)
w = grid(3, 3, 1, 2, scale=0.5)
b = grid(2, scale=0.1)
wd = grid(8, 3, scale=0.3)
bd = grid(3, scale=0.1)


def conv_flatten_dense(x, w, b, wd, bd):
    y = conv2d(x, w, b, (1, 1), (1, 1), "valid", "relu")
    return y.reshape(y.shape[0], -1) @ wd + bd, None  # y is NHWC: flattened in (h, w, c) order


add_case(
    "conv_flatten_dense",
    "Conv2D 2 3x3 relu -> Flatten (h, w, c order) -> Dense 3",
    [
        cfg("Conv2D", name="c", filters=2, kernel_size=3, activation="relu"),
        cfg("Flatten", name="f"),
        cfg("Dense", name="d", units=3),
    ],
    x,
    [("c/kernel", w, True), ("c/bias", b, True), ("d/kernel", wd, True), ("d/bias", bd, True)],
    conv_flatten_dense,
)

# BatchNormalization on rank 4 (training mode): per channel over batch, height and width.
x = grid(4, 3, 3, 2, scale=2) + 1
gamma = 1 + grid(2, scale=0.2)
beta = grid(2, scale=0.2)
mm = grid(2, scale=0.1)
mv = 1 + torch.abs(grid(2, scale=0.1))


def bn4(x, gamma, beta, mm, mv):
    mean = x.mean(dim=(0, 1, 2))
    var = ((x - mean) ** 2).mean(dim=(0, 1, 2))  # KERAS-FORMULA: biased
    y = gamma * (x - mean) / torch.sqrt(var + 1e-3) + beta
    ref = F.batch_norm(x.permute(0, 3, 1, 2), None, None, gamma, beta, True, 0.0, 1e-3).permute(0, 2, 3, 1)
    assert torch.allclose(ref, y)
    moving = {
        "bn/moving_mean": (0.99 * mm + 0.01 * mean).tolist(),
        "bn/moving_variance": (0.99 * mv + 0.01 * var).tolist(),
    }
    return y, {"moving_after": {k: [float(v) for v in vals] for k, vals in moving.items()}}


add_case(
    "batchnorm_rank4",
    "BatchNormalization on [4, 3, 3, 2]: per channel over batch and space, biased variance, epsilon 1e-3",
    [cfg("BatchNormalization", name="bn")],
    x,
    [
        ("bn/gamma", gamma, True),
        ("bn/beta", beta, True),
        ("bn/moving_mean", mm, False),
        ("bn/moving_variance", mv, False),
    ],
    bn4,
)

with open(OUT, "w") as f:
    json.dump({"generator": "test/reference/make_conv_fixtures.py (torch %s, float64)" % torch.__version__,
               "cases": CASES}, f)
    f.write("\n")
print("wrote", OUT, len(CASES), "cases")
