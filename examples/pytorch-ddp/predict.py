"""Predict with a Keel .safetensors export in PyTorch (inference mode):

    python3 examples/pytorch-ddp/predict.py model.safetensors inputs.safetensors predictions.safetensors

inputs.safetensors holds an F32 tensor x; predictions.safetensors gets the F32 tensor y (float64 math is
not used: the model runs in float32, as in Keel).
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keel_torch  # noqa: E402


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    model, _, _ = keel_torch.load(sys.argv[1])
    model.eval()
    data, _ = keel_torch.read_safetensors(sys.argv[2])
    with torch.no_grad():
        y = model(torch.from_numpy(data["x"]))
    keel_torch.write_safetensors(sys.argv[3], {"y": y.numpy()}, {"format": "keel-predictions"})


if __name__ == "__main__":
    main()
