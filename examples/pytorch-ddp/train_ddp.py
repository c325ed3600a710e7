"""Continue training a Keel model under torch.distributed DistributedDataParallel.

    keel export model.keras model.safetensors
    torchrun --nproc_per_node=2 examples/pytorch-ddp/train_ddp.py model.safetensors data.safetensors \
        --epochs 3 --batch-size 32 --lr 0.001 --out trained.safetensors

data.safetensors holds two F32 tensors, x [n, ...] and y [n] or [n, k]: write them from Keel with
`encodeSafetensors([{ name: 'x', shape, data }, ...])`, or from numpy with keel_torch.write_safetensors.
The loss is the one the model was compiled with in Keel (`compile_config` in the header; --loss overrides).
Gloo on CPU, NCCL on GPUs.

Rank 0 prints one JSON line: the loss on the whole data before and after (inference mode), the number of
processes, and each replica's SHA-256 of its parameters and buffers (all equal when DDP kept them in step),
and writes the trained model back in Keel's layout: `loadModel('trained.safetensors')` reads it.
"""

import argparse
import hashlib
import json
import os
import sys

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keel_torch  # noqa: E402


def digest(model):
    h = hashlib.sha256()
    for _, t in sorted(model.state_dict().items()):
        h.update(t.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


def full_loss(model, loss_fn, x, y):
    model.eval()
    with torch.no_grad():
        value = float(loss_fn(model(x), y))
    model.train()
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="a Keel .safetensors export")
    parser.add_argument("data", help="a .safetensors file with tensors x and y")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32, help="per process")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--loss", default=None, help="a Keras loss name (default: the compiled one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=None, help="where rank 0 writes the trained model (.safetensors)")
    parser.add_argument("--report", default=None, help="rank 0 also writes its JSON line to this file")
    args = parser.parse_args()

    gpu = torch.cuda.is_available()
    dist.init_process_group("nccl" if gpu else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if gpu else "cpu")
    torch.manual_seed(args.seed)  # the same initial draws on every replica (DDP also broadcasts rank 0's state)

    model, metadata, names = keel_torch.load(args.model)
    model.to(device)
    compiled = json.loads(metadata["keras_config"]).get("compile_config") or {}
    loss_name = args.loss or compiled.get("loss")
    if not isinstance(loss_name, str):
        raise SystemExit("no loss: compile the model in Keel before exporting, or pass --loss")
    loss_fn = keel_torch.keras_loss(loss_name)

    data, _ = keel_torch.read_safetensors(args.data)
    x, y = torch.from_numpy(data["x"]).to(device), torch.from_numpy(data["y"]).to(device)
    before = full_loss(model, loss_fn, x, y)

    ddp = DistributedDataParallel(model, device_ids=[device.index] if gpu else None)
    sampler = DistributedSampler(TensorDataset(x, y), num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(TensorDataset(x, y), batch_size=args.batch_size, sampler=sampler)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=args.lr, eps=1e-7)  # Keras's Adam epsilon
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(ddp(xb), yb)
            loss.backward()
            optimizer.step()
    # DDP broadcasts rank 0's buffers (BatchNorm's moving statistics) before each forward pass; do it once
    # more so that the statistics of the last step agree too.
    for buffer in model.buffers():
        dist.broadcast(buffer, 0)

    after = full_loss(model, loss_fn, x, y)
    digests = [None] * world
    dist.all_gather_object(digests, digest(model))
    if rank == 0:
        if args.out:
            keel_torch.save(model.cpu(), metadata, names, args.out)
        line = json.dumps({"world_size": world, "loss_before": before, "loss_after": after, "replicas": digests})
        print(line, flush=True)
        if args.report:
            with open(args.report, "w") as f:
                f.write(line + "\n")
    dist.barrier()
    dist.destroy_process_group()
    # With torch 1.13 a worker could hang after this, in the destructors of the DDP / gloo objects that run when
    # main returns (about one run in eight here; faulthandler showed both ranks past destroy_process_group).
    # Every file is written and closed, so leave without running them.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
