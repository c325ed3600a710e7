"""Rebuild a Keel model exported as .safetensors as a torch.nn.Module, and write one back.

Only torch and numpy are needed: the safetensors file is read by hand (8-byte little-endian header length,
a JSON header, raw little-endian data), so Debian's python3-torch suffices (no `safetensors` package).

The module keeps Keras's tensor layout at its boundary and between layers (channels last: images NHWC,
sequences NLC), so Flatten, Reshape and Concatenate see exactly what Keel's layers see; a convolution or
pooling transposes to NCHW for torch and back. Weights are converted as follows:

  Dense               kernel [in, out] -> Linear.weight [out, in] (transposed)
  Conv2D / Conv1D     kernel [kh, kw, in, out] -> [out, in, kh, kw]; Keras 'same' padding may be asymmetric
                      (the extra row/column at the end), so it is applied with F.pad; 'causal' pads on the left
  BatchNormalization  momentum 1 - 0.99 = 0.01 in torch's convention, eps 1e-3 (Keras defaults, from the config)
  LSTM                gates i, f, c, o in both; kernel/recurrent kernel transposed; bias -> bias_ih (bias_hh = 0)
  GRU (reset_after)   Keras gates z, r, h; torch r, z, n: blocks reordered; bias [2, 3u] -> bias_ih, bias_hh
  SimpleRNN           tanh or relu; bias -> bias_ih

Covered: InputLayer, Dense, BatchNormalization, LayerNormalization, Dropout, SpatialDropout2D, AlphaDropout,
GaussianNoise, Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax, Conv1D, Conv2D, MaxPooling2D,
AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, Embedding, SimpleRNN, LSTM,
GRU (reset_after=True, forward only) and the merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum,
Concatenate), in Sequential and functional models (one call per layer). Not covered: go_backwards, stateful or
return_state recurrent layers, masking (mask_zero), noise_shape, regularizers and constraints (torch applies
none), data_format='channels_first', and custom layers. Training continues in torch's semantics: BatchNorm's
running variance uses the unbiased batch variance (Keras: biased), and the optimizer starts afresh (a
.safetensors file carries no optimizer state; use .keras with Keras 3 for that).
"""

import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------------------------------------- safetensors


def read_safetensors(path):
    """(tensors: {name: np.ndarray float32}, metadata: {str: str}) of a .safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} runs past the end of the file ({len(data)} bytes)")
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", None) or {}
    tensors = {}
    for name, spec in header.items():
        if spec["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {spec['dtype']}; expected F32")
        begin, end = spec["data_offsets"]
        count = int(np.prod(spec["shape"], dtype=np.int64))
        if end - begin != 4 * count or 8 + n + end > len(data):
            raise ValueError(f"{path}: tensor {name}: data_offsets {begin, end} do not fit its shape or the file")
        tensors[name] = np.frombuffer(data, "<f4", count, 8 + n + begin).reshape(spec["shape"]).copy()
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    """Writes {name: array} as float32 with string metadata (names in the given order)."""
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


# ---------------------------------------------------------------------------------------------- layers


def _hard_sigmoid(x):
    return F.relu6(x + 3.0) / 6.0


ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": F.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softmax": lambda x: F.softmax(x, dim=-1),
    "elu": F.elu,
    "selu": F.selu,
    "softplus": F.softplus,
    "softsign": F.softsign,
    "swish": F.silu,
    "silu": F.silu,
    "gelu": F.gelu,
    "gelu_approximate": lambda x: F.gelu(x, approximate="tanh"),
    "exponential": torch.exp,
    "hard_sigmoid": _hard_sigmoid,
    "hard_sigmoid_keras2": lambda x: torch.clamp(0.2 * x + 0.5, 0.0, 1.0),  # tf.keras 2 / TF.js hard_sigmoid
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
}


def activation(name):
    if name is None:
        return ACTIVATIONS["linear"]
    if name not in ACTIVATIONS:
        raise ValueError(f"activation {name!r} is not covered by this example")
    return ACTIVATIONS[name]


def _param(array):
    return nn.Parameter(torch.from_numpy(np.ascontiguousarray(array)))


def _same_padding(size, kernel, stride, dilation):
    """Keras 'same': total padding so that out = ceil(size / stride); the odd pixel goes at the end."""
    effective = (kernel - 1) * dilation + 1
    total = max((math.ceil(size / stride) - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class Dense(nn.Module):
    def __init__(self, cfg, w):
        super().__init__()
        kernel = w["kernel"]
        self.linear = nn.Linear(kernel.shape[0], kernel.shape[1], bias="bias" in w)
        self.linear.weight = _param(kernel.T)
        if "bias" in w:
            self.linear.bias = _param(w["bias"])
        self.act = activation(cfg.get("activation"))

    def forward(self, x):
        return self.act(self.linear(x))

    def keras_weights(self):
        out = {"kernel": self.linear.weight.detach().numpy().T}
        if self.linear.bias is not None:
            out["bias"] = self.linear.bias.detach().numpy()
        return out


class BatchNormalization(nn.Module):
    """Keras BN over the last axis: torch momentum = 1 - Keras momentum, the same epsilon."""

    def __init__(self, cfg, w):
        super().__init__()
        if cfg.get("axis", -1) not in (-1, [-1]):
            raise ValueError("BatchNormalization: only axis=-1 (channels last) is covered")
        c = w["moving_mean"].shape[0]
        self.center, self.scale = cfg.get("center", True), cfg.get("scale", True)
        self.bn = nn.BatchNorm1d(c, eps=cfg.get("epsilon", 1e-3), momentum=1.0 - cfg.get("momentum", 0.99))
        self.bn.weight = _param(w["gamma"]) if self.scale else nn.Parameter(torch.ones(c), requires_grad=False)
        self.bn.bias = _param(w["beta"]) if self.center else nn.Parameter(torch.zeros(c), requires_grad=False)
        self.bn.running_mean.copy_(torch.from_numpy(w["moving_mean"]))
        self.bn.running_var.copy_(torch.from_numpy(w["moving_variance"]))

    def forward(self, x):
        shape = x.shape
        return self.bn(x.reshape(-1, shape[-1])).reshape(shape)

    def keras_weights(self):
        out = {}
        if self.scale:
            out["gamma"] = self.bn.weight.detach().numpy()
        if self.center:
            out["beta"] = self.bn.bias.detach().numpy()
        out["moving_mean"] = self.bn.running_mean.numpy()
        out["moving_variance"] = self.bn.running_var.numpy()
        return out


class LayerNormalization(nn.Module):
    def __init__(self, cfg, w):
        super().__init__()
        if cfg.get("axis", -1) not in (-1, [-1]) or cfg.get("rms_scaling"):
            raise ValueError("LayerNormalization: only axis=-1 without rms_scaling is covered")
        self.eps = cfg.get("epsilon", 1e-3)
        self.gamma = _param(w["gamma"]) if "gamma" in w else None
        self.beta = _param(w["beta"]) if "beta" in w else None

    def forward(self, x):
        return F.layer_norm(x, x.shape[-1:], self.gamma, self.beta, self.eps)

    def keras_weights(self):
        out = {}
        if self.gamma is not None:
            out["gamma"] = self.gamma.detach().numpy()
        if self.beta is not None:
            out["beta"] = self.beta.detach().numpy()
        return out


class Conv(nn.Module):
    """Conv1D/Conv2D on channels-last input."""

    def __init__(self, cfg, w, rank):
        super().__init__()
        if cfg.get("data_format", "channels_last") != "channels_last":
            raise ValueError("Conv: only channels_last is covered")
        self.rank = rank
        kernel = w["kernel"]
        perm = (3, 2, 0, 1) if rank == 2 else (2, 1, 0)
        self.weight = _param(kernel.transpose(perm))
        self.bias = _param(w["bias"]) if "bias" in w else None
        self.kernel_size = list(kernel.shape[:rank])
        self.strides = list(cfg.get("strides", [1] * rank))
        self.dilation = list(cfg.get("dilation_rate", [1] * rank))
        self.groups = cfg.get("groups", 1)
        self.padding = cfg.get("padding", "valid")
        self.act = activation(cfg.get("activation"))

    def forward(self, x):
        x = x.permute(0, 3, 1, 2) if self.rank == 2 else x.permute(0, 2, 1)
        if self.padding == "same":
            pads = []
            for axis in reversed(range(self.rank)):
                size = x.shape[2 + axis]
                pads += _same_padding(size, self.kernel_size[axis], self.strides[axis], self.dilation[axis])
            x = F.pad(x, pads)
        elif self.padding == "causal":
            x = F.pad(x, ((self.kernel_size[0] - 1) * self.dilation[0], 0))
        conv = F.conv2d if self.rank == 2 else F.conv1d
        y = conv(x, self.weight, self.bias, self.strides, 0, self.dilation, self.groups)
        y = y.permute(0, 2, 3, 1) if self.rank == 2 else y.permute(0, 2, 1)
        return self.act(y)

    def keras_weights(self):
        perm = (2, 3, 1, 0) if self.rank == 2 else (2, 1, 0)
        out = {"kernel": self.weight.detach().numpy().transpose(perm)}
        if self.bias is not None:
            out["bias"] = self.bias.detach().numpy()
        return out


class Pooling2D(nn.Module):
    def __init__(self, cfg, kind):
        super().__init__()
        self.kind = kind
        self.pool = list(cfg["pool_size"])
        self.strides = list(cfg.get("strides") or self.pool)
        self.padding = cfg.get("padding", "valid")

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        if self.padding == "same":
            pads = []
            for axis in (1, 0):
                pads += _same_padding(x.shape[2 + axis], self.pool[axis], self.strides[axis], 1)
            if self.kind == "max":
                y = F.max_pool2d(F.pad(x, pads, value=-math.inf), self.pool, self.strides)
            else:  # Keras averages over the window's real pixels only
                ones = torch.ones_like(x[:, :1])
                total = F.avg_pool2d(F.pad(x, pads), self.pool, self.strides)
                y = total / F.avg_pool2d(F.pad(ones, pads), self.pool, self.strides)
        else:
            pool = F.max_pool2d if self.kind == "max" else F.avg_pool2d
            y = pool(x, self.pool, self.strides)
        return y.permute(0, 2, 3, 1)


class PReLU(nn.Module):
    def __init__(self, cfg, w):
        super().__init__()
        self.alpha = _param(w["alpha"])

    def forward(self, x):
        return torch.where(x >= 0, x, self.alpha * x)

    def keras_weights(self):
        return {"alpha": self.alpha.detach().numpy()}


class GaussianNoise(nn.Module):
    def __init__(self, stddev):
        super().__init__()
        self.stddev = stddev

    def forward(self, x):
        return x + self.stddev * torch.randn_like(x) if self.training else x


class SpatialDropout2D(nn.Module):
    def __init__(self, rate):
        super().__init__()
        self.drop = nn.Dropout2d(rate)

    def forward(self, x):
        return self.drop(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)


class Embedding(nn.Module):
    def __init__(self, cfg, w):
        super().__init__()
        if cfg.get("mask_zero"):
            raise ValueError("Embedding: mask_zero is not covered")
        self.embeddings = _param(w["embeddings"])

    def forward(self, x):
        return F.embedding(x.long(), self.embeddings)

    def keras_weights(self):
        return {"embeddings": self.embeddings.detach().numpy()}


class Recurrent(nn.Module):
    """SimpleRNN / LSTM / GRU (batch-first, channels last) with Keras's weights."""

    def __init__(self, cfg, w, kind):
        super().__init__()
        for key in ("go_backwards", "stateful", "return_state"):
            if cfg.get(key):
                raise ValueError(f"{kind}: {key}=True is not covered")
        if cfg.get("activation", "tanh") != "tanh" and not (kind == "SimpleRNN" and cfg["activation"] == "relu"):
            raise ValueError(f"{kind}: activation {cfg.get('activation')!r} is not covered")
        if kind != "SimpleRNN" and cfg.get("recurrent_activation", "sigmoid") != "sigmoid":
            raise ValueError(f"{kind}: recurrent_activation must be sigmoid")
        if kind == "GRU" and not cfg.get("reset_after", True):
            raise ValueError("GRU: only reset_after=True is covered (torch's formulation)")
        self.kind, self.units = kind, cfg["units"]
        self.return_sequences = cfg.get("return_sequences", False)
        kernel, recurrent = w["kernel"], w["recurrent_kernel"]
        bias = w.get("bias")
        u = self.units
        if kind == "SimpleRNN":
            self.rnn = nn.RNN(kernel.shape[0], u, nonlinearity=cfg.get("activation", "tanh"), batch_first=True)
        elif kind == "LSTM":
            self.rnn = nn.LSTM(kernel.shape[0], u, batch_first=True)
        else:
            self.rnn = nn.GRU(kernel.shape[0], u, batch_first=True)
        if kind == "GRU":  # Keras z, r, h -> torch r, z, n
            self.order = np.concatenate([np.arange(u, 2 * u), np.arange(0, u), np.arange(2 * u, 3 * u)])
        else:
            self.order = np.arange(kernel.shape[1])
        self.rnn.weight_ih_l0 = _param(kernel[:, self.order].T)
        self.rnn.weight_hh_l0 = _param(recurrent[:, self.order].T)
        if kind == "GRU":
            b = bias if bias is not None else np.zeros((2, 3 * u), np.float32)
            self.rnn.bias_ih_l0 = _param(b[0][self.order])
            self.rnn.bias_hh_l0 = _param(b[1][self.order])
        else:
            b = bias if bias is not None else np.zeros(kernel.shape[1], np.float32)
            self.rnn.bias_ih_l0 = _param(b[self.order])
            self.rnn.bias_hh_l0 = nn.Parameter(torch.zeros(kernel.shape[1]), requires_grad=False)
        self.has_bias = bias is not None

    def forward(self, x):
        y, _ = self.rnn(x)
        return y if self.return_sequences else y[:, -1]

    def keras_weights(self):
        back = np.argsort(self.order)
        out = {
            "kernel": self.rnn.weight_ih_l0.detach().numpy().T[:, back],
            "recurrent_kernel": self.rnn.weight_hh_l0.detach().numpy().T[:, back],
        }
        if self.has_bias:
            ih = self.rnn.bias_ih_l0.detach().numpy()[back]
            if self.kind == "GRU":
                out["bias"] = np.stack([ih, self.rnn.bias_hh_l0.detach().numpy()[back]])
            else:  # bias_hh stays 0 (frozen), so the sum is Keras's one bias
                out["bias"] = ih
        return out


def _merge(kind, axis=-1):
    ops = {
        "Add": lambda xs: sum(xs[1:], xs[0]),
        "Subtract": lambda xs: xs[0] - xs[1],
        "Multiply": lambda xs: math.prod(xs[1:], start=xs[0]),
        "Average": lambda xs: sum(xs[1:], xs[0]) / len(xs),
        "Maximum": lambda xs: torch.stack(xs).amax(0),
        "Minimum": lambda xs: torch.stack(xs).amin(0),
        "Concatenate": lambda xs: torch.cat(xs, dim=axis),
    }
    return ops[kind]


def build_layer(class_name, cfg, w):
    """(module, is_merge) for one Keras layer config and its weights by short name."""
    act = cfg.get("activation")
    simple = {
        "Dropout": lambda: nn.Dropout(cfg["rate"]),
        "AlphaDropout": lambda: nn.AlphaDropout(cfg["rate"]),
        "SpatialDropout2D": lambda: SpatialDropout2D(cfg["rate"]),
        "GaussianNoise": lambda: GaussianNoise(cfg["stddev"]),
        "Activation": lambda: Lambda(activation(act)),
        "LeakyReLU": lambda: Lambda(lambda x: F.leaky_relu(x, cfg.get("negative_slope", 0.3))),
        "ELU": lambda: Lambda(lambda x: F.elu(x, cfg.get("alpha", 1.0))),
        "ReLU": lambda: Lambda(F.relu),
        "Softmax": lambda: Lambda(lambda x: F.softmax(x, dim=cfg.get("axis", -1))),
        "Flatten": lambda: Lambda(lambda x: x.reshape(x.shape[0], -1)),
        "Reshape": lambda: Lambda(lambda x: x.reshape(x.shape[0], *cfg["target_shape"])),
        "GlobalAveragePooling2D": lambda: Lambda(lambda x: x.mean(dim=(1, 2), keepdim=cfg.get("keepdims", False))),
        "GlobalMaxPooling2D": lambda: Lambda(lambda x: x.amax(dim=(1, 2), keepdim=cfg.get("keepdims", False))),
        "MaxPooling2D": lambda: Pooling2D(cfg, "max"),
        "AveragePooling2D": lambda: Pooling2D(cfg, "avg"),
        "Dense": lambda: Dense(cfg, w),
        "BatchNormalization": lambda: BatchNormalization(cfg, w),
        "LayerNormalization": lambda: LayerNormalization(cfg, w),
        "Conv2D": lambda: Conv(cfg, w, 2),
        "Conv1D": lambda: Conv(cfg, w, 1),
        "PReLU": lambda: PReLU(cfg, w),
        "Embedding": lambda: Embedding(cfg, w),
        "SimpleRNN": lambda: Recurrent(cfg, w, "SimpleRNN"),
        "LSTM": lambda: Recurrent(cfg, w, "LSTM"),
        "GRU": lambda: Recurrent(cfg, w, "GRU"),
    }
    if class_name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"):
        return Lambda(_merge(class_name, cfg.get("axis", -1))), True
    if class_name == "ReLU" and (cfg.get("max_value") is not None or cfg.get("negative_slope") or cfg.get("threshold")):
        raise ValueError("ReLU: only the plain ReLU is covered")
    if class_name not in simple:
        raise ValueError(f"layer class {class_name!r} is not covered by this example")
    return simple[class_name](), False


# ---------------------------------------------------------------------------------------------- the model


class KeelModel(nn.Module):
    """A Keel/Keras Sequential or functional model (one call per layer) as a torch module."""

    def __init__(self, keras_config, tensors):
        super().__init__()
        config = keras_config["config"]
        self.sequential = keras_config["class_name"] == "Sequential"
        self.layers = nn.ModuleDict()
        self.names, self.inbound, self.merge = [], {}, {}
        self.inputs, previous = [], None
        for entry in config["layers"]:
            cfg, cls = entry["config"], entry["class_name"]
            name = cfg["name"]
            if cls == "InputLayer":
                self.inputs.append(name)
                previous = name
                continue
            prefix = f"{name}/"
            w = {k[len(prefix) :]: v for k, v in tensors.items() if k.startswith(prefix)}
            module, is_merge = build_layer(cls, cfg, w)
            self.layers[name] = module
            self.names.append(name)
            self.merge[name] = is_merge
            if self.sequential:
                self.inbound[name] = [previous] if previous is not None else []
                previous = name
            else:
                nodes = entry.get("inbound_nodes", [])
                if len(nodes) != 1:
                    raise ValueError(f"layer {name}: only layers called once are covered")
                args = nodes[0]["args"][0]
                refs = args if isinstance(args, list) else [args]
                self.inbound[name] = [r["config"]["keras_history"][0] for r in refs]
        if self.sequential:
            self.outputs = [self.names[-1]]
        else:
            out = config["output_layers"]
            self.outputs = [o[0] for o in (out if isinstance(out[0], list) else [out])]
            ins = config["input_layers"]
            self.inputs = [i[0] for i in (ins if isinstance(ins[0], list) else [ins])]

    def forward(self, x):
        values = {self.inputs[0] if self.inputs else None: x}
        for name in self.names:
            args = [values[i] for i in self.inbound[name]] if self.inbound[name] else [x]
            values[name] = self.layers[name](args if self.merge[name] else args[0])
        return values[self.outputs[0]]

    def keras_tensors(self, names):
        """The current weights under the file's tensor names (in Keras layout)."""
        out = {}
        for name in self.names:
            module = self.layers[name]
            if hasattr(module, "keras_weights"):
                for short, value in module.keras_weights().items():
                    out[f"{name}/{short}"] = value
        return {n: out[n] for n in names}


def load(path):
    """(model, metadata, tensor names in file order) from a Keel .safetensors export."""
    tensors, metadata = read_safetensors(path)
    if "keras_config" not in metadata:
        raise ValueError(f"{path}: no keras_config in the header's __metadata__ (not a Keel export)")
    model = KeelModel(json.loads(metadata["keras_config"]), tensors)
    return model, metadata, list(tensors)


def save(model, metadata, names, path):
    """Writes the model back in Keel's layout: `keel export` or loadModel reads it."""
    write_safetensors(path, model.keras_tensors(names), metadata)


# ---------------------------------------------------------------------------------------------- losses

EPSILON = 1e-7  # Keras's backend epsilon, used to clip probabilities in the cross-entropies


def keras_loss(name):
    """Keras's loss on the model's outputs (probabilities for the cross-entropies), mean over the batch."""

    def sparse_ce(p, y):
        p = p.clamp(EPSILON, 1 - EPSILON)
        return -torch.log(p.gather(1, y.long().reshape(-1, 1))).mean()

    def ce(p, y):
        p = p / p.sum(-1, keepdim=True)
        return -(y * torch.log(p.clamp(EPSILON, 1 - EPSILON))).sum(-1).mean()

    def bce(p, y):
        p = p.clamp(EPSILON, 1 - EPSILON)
        y = y.reshape(p.shape)
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()

    losses = {
        "sparse_categorical_crossentropy": sparse_ce,
        "categorical_crossentropy": ce,
        "binary_crossentropy": bce,
        "mean_squared_error": lambda p, y: ((p - y.reshape(p.shape)) ** 2).mean(),
        "mse": lambda p, y: ((p - y.reshape(p.shape)) ** 2).mean(),
        "mean_absolute_error": lambda p, y: (p - y.reshape(p.shape)).abs().mean(),
        "mae": lambda p, y: (p - y.reshape(p.shape)).abs().mean(),
    }
    if name not in losses:
        raise ValueError(f"loss {name!r} is not covered by this example")
    return losses[name]
