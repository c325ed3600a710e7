#!/usr/bin/env python3
"""PyTorch side of bench/cnn-accuracy.ts: the same small CNN and data, Keras's initializers and Adam epsilon.
Usage: /usr/bin/python3 bench/cnn_accuracy_torch.py DIR SEEDS   (DIR holds x_train.f32 ... written by the TS script)
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
DIR, SEEDS = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]


def load(name, shape):
    with open(os.path.join(DIR, name), "rb") as f:
        data = bytearray(f.read())
    return torch.frombuffer(data, dtype=torch.float32).reshape(shape).clone()


x_train = load("x_train.f32", (-1, 28, 28, 1)).permute(0, 3, 1, 2).contiguous()
y_train = load("y_train.f32", (-1,)).long()
x_test = load("x_test.f32", (-1, 28, 28, 1)).permute(0, 3, 1, 2).contiguous()
y_test = load("y_test.f32", (-1,)).long()


def he_normal_(w):
    """Keras he_normal: truncated normal (±2σ) with std sqrt(2/fan_in)/0.87962566."""
    fan_in = w[0].numel()
    std = math.sqrt(2.0 / fan_in) / 0.87962566103423978
    torch.nn.init.trunc_normal_(w, 0.0, std, -2 * std, 2 * std)


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 16, 3)
        self.c2 = torch.nn.Conv2d(16, 32, 3)
        self.d = torch.nn.Linear(800, 10)
        he_normal_(self.c1.weight)
        torch.nn.init.xavier_uniform_(self.c2.weight)
        torch.nn.init.xavier_uniform_(self.d.weight)
        for m in (self.c1, self.c2, self.d):
            torch.nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.d(x.permute(0, 2, 3, 1).reshape(x.shape[0], -1))  # channels-last flatten, as Keras


accuracy = []
for seed in SEEDS:
    torch.manual_seed(seed)
    model = Cnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)  # Keras's epsilon
    perm = torch.randperm(len(y_train))
    model.train()
    for s in range(0, len(perm), 64):
        idx = perm[s : s + 64]
        opt.zero_grad()
        F.cross_entropy(model(x_train[idx]), y_train[idx]).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(x_test).argmax(1) == y_test).double().mean().item()
    print("pytorch seed %d: test accuracy %.2f%%" % (seed, acc * 100), file=sys.stderr)
    accuracy.append(acc)
print(json.dumps({"accuracy": accuracy}))
