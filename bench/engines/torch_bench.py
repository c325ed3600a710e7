#!/usr/bin/env python3
"""PyTorch CPU reference for `npm run bench`: the same workloads, 2 threads, float32.
Prints one JSON line like the other engine scripts; with --serve, answers paired timing requests instead.
Usage: /usr/bin/python3 bench/engines/torch_bench.py [--quick] [--serve]
"""
import json
import sys
import time

import torch

QUICK = "--quick" in sys.argv
RUNS = 2 if QUICK else 5
torch.set_num_threads(2)  # defaults to 1 here; both cores, like Keel
torch.manual_seed(0)

WORKLOADS = [
    # key, input, hidden, outputs, activation, batchnorm, dropout, batch, steps
    ("W1", 784, [100] * 20, 10, "elu", False, 0.0, 32, 200),
    ("W1b", 784, [100] * 20, 10, "elu", True, 0.2, 32, 200),
    ("W2", 784, [1024, 1024], 10, "relu", False, 0.0, 256, 12),
]


def timed(what, fn):
    """Runs one part and prints a progress line to stderr (run.ts shows it live)."""
    t0 = time.perf_counter()
    r = fn()
    print(f"    pytorch: {what} in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return r


def build(inp, hidden, outputs, act, bn, dropout):
    layers, prev = [], inp
    for units in hidden:
        layers.append(torch.nn.Linear(prev, units, bias=not bn))
        torch.nn.init.kaiming_normal_(layers[-1].weight)
        if bn:
            layers.append(torch.nn.BatchNorm1d(units, eps=1e-3, momentum=0.01))
        layers.append(torch.nn.ELU() if act == "elu" else torch.nn.ReLU())
        if dropout > 0:
            layers.append(torch.nn.Dropout(dropout))
        prev = units
    layers.append(torch.nn.Linear(prev, outputs))
    return torch.nn.Sequential(*layers)


def trainer(w):
    """The workload's model and data, warmed up by one epoch: returns (epoch, steps), epoch() training one pass."""
    key, inp, hidden, outputs, act, bn, dropout, batch, steps = w
    if QUICK:
        steps = max(3, steps // 4)
    model = build(inp, hidden, outputs, act, bn, dropout)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax output fused into the loss, as Keel and Keras do
    x = torch.randn(steps * batch, inp)
    y = torch.arange(steps * batch) % outputs

    def epoch():
        perm = torch.randperm(steps * batch)
        for s in range(steps):
            idx = perm[s * batch:(s + 1) * batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

    model.train()
    epoch()  # warm-up
    return epoch, steps


def time_epoch(epoch, steps):
    t0 = time.perf_counter()
    epoch()
    return (time.perf_counter() - t0) * 1000 / steps


def time_training(w):
    epoch, steps = trainer(w)
    return w[0], [time_epoch(epoch, steps) for _ in range(RUNS)]


PAIRED_MATMUL = (1024, 1024, 1024)
PAIRED_MATMUL_REPS = 8  # as bench/workloads.ts


def serve():
    """Paired timing (bench/paired.ts): builds every MLP workload and the 1024³ matmul, says `ready`, then answers
    each stdin line `run KEY` with the ms per step of one epoch of KEY (W1, W1b, W2), or the ms per product of
    PAIRED_MATMUL_REPS products (KEY 1024x1024x1024), until stdin closes."""
    turns = {w[0]: (lambda t=trainer(w): time_epoch(*t)) for w in WORKLOADS}
    a, b = torch.randn(*PAIRED_MATMUL[:2]), torch.randn(*PAIRED_MATMUL[1:])
    a @ b

    def matmul():
        t0 = time.perf_counter()
        for _ in range(PAIRED_MATMUL_REPS):
            a @ b
        return (time.perf_counter() - t0) * 1000 / PAIRED_MATMUL_REPS

    turns["x".join(map(str, PAIRED_MATMUL))] = matmul
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if len(words) != 2 or words[0] != "run" or words[1] not in turns:
            print(f"error: expected `run KEY` with KEY one of {', '.join(turns)}; received {line.strip()!r}",
                  flush=True)
            continue
        print(f"{turns[words[1]]():.6f}", flush=True)


def time_cnn():
    """The small CNN of bench/cnn.ts, Adam 1e-3, batch 64: ms per training step."""
    import torch.nn.functional as F

    steps = 10 if QUICK else 40
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(800, 10),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    x = torch.rand(steps * 64, 1, 28, 28)
    y = torch.arange(steps * 64) % 10

    def epoch():
        perm = torch.randperm(steps * 64)
        for s in range(steps):
            idx = perm[s * 64:(s + 1) * 64]
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()

    epoch()
    out = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        epoch()
        out.append((time.perf_counter() - t0) * 1000 / steps)
    return out


def time_conv():
    """Conv forward GFLOP/s: 3x3 'same', 64 -> 64 channels, 32x32, batch 8."""
    import torch.nn.functional as F

    x, w = torch.randn(8, 64, 32, 32), torch.randn(64, 64, 3, 3)
    flops = 2 * 8 * 32 * 32 * 9 * 64 * 64
    F.conv2d(x, w, padding=1)
    out = []
    with torch.no_grad():
        for _ in range(RUNS):
            t0 = time.perf_counter()
            for _ in range(5):
                F.conv2d(x, w, padding=1)
            out.append(flops * 5 / (time.perf_counter() - t0) / 1e9)
    return out


def time_recurrent(threads):
    """R1: LSTM(64) over [64, 28, 28] -> Linear(10), Adam 1e-3, ms/step (bench/workloads.ts)."""
    torch.set_num_threads(threads)
    steps, batch = (5 if QUICK else 30), 64
    lstm, dense = torch.nn.LSTM(28, 64, batch_first=True), torch.nn.Linear(64, 10)
    params = list(lstm.parameters()) + list(dense.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.rand(steps * batch, 28, 28)
    y = torch.arange(steps * batch) % 10

    def epoch():
        perm = torch.randperm(steps * batch)
        for s in range(steps):
            idx = perm[s * batch:(s + 1) * batch]
            opt.zero_grad()
            seq, _ = lstm(x[idx])
            torch.nn.functional.cross_entropy(dense(seq[:, -1, :]), y[idx]).backward()
            opt.step()

    epoch()
    out = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        epoch()
        out.append((time.perf_counter() - t0) * 1000 / steps)
    torch.set_num_threads(2)
    return out


def time_matmul(m, k, n):
    a, b = torch.randn(m, k), torch.randn(k, n)
    reps = max(1, round(2e8 / (m * k * n)))
    a @ b
    out = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        for _ in range(reps):
            a @ b
        out.append(2 * m * k * n * reps / (time.perf_counter() - t0) / 1e9)
    return out


def time_inference():
    model = build(784, [100] * 20, 10, "elu", False, 0.0).eval()
    x = torch.randn(10000, 784)
    out = []
    with torch.no_grad():
        for _ in range(RUNS + 1):
            t0 = time.perf_counter()
            for s in range(0, 10000, 32):
                torch.softmax(model(x[s:s + 32]), dim=1)
            out.append((time.perf_counter() - t0) * 1000)
    return out[1:]


if "--serve" in sys.argv:
    serve()
    sys.exit(0)

result = {"engine": "pytorch", "backend": f"torch {torch.__version__}", "threads": torch.get_num_threads(),
          "train": {}, "matmul": {}, "inference": [], "extra": {}}
for w in WORKLOADS:
    key, times = timed(w[0], lambda: time_training(w))
    result["train"][key] = times
result["train"]["CNN"] = timed("CNN", time_cnn)
result["conv"] = timed("conv", time_conv)
result["train"]["R1"] = timed("R1", lambda: time_recurrent(2))
result["extra"]["R1_one_thread"] = timed("R1 on 1 thread", lambda: time_recurrent(1))
for m, k, n in [(32, 100, 100), (256, 1024, 1024), (1024, 1024, 1024)]:
    result["matmul"][f"{m}x{k}x{n}"] = timed(f"matmul {m}×{k}×{n}", lambda: time_matmul(m, k, n))
result["inference"] = timed("inference", time_inference)
print(json.dumps(result))
