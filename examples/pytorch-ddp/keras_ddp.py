"""Continue training a Keel model in Keras 3, data-parallel over every local device (JAX backend):

    keel export model-dir model.keras            # or: keel train config.json --out run/model.keras
    KERAS_BACKEND=jax python3 examples/pytorch-ddp/keras_ddp.py model.keras data.npz --epochs 3

data.npz holds arrays x and y. keras.distribution.DataParallel splits each batch over the devices
(GPUs or TPU cores; on one CPU it runs on one device); the model is compiled as it was in Keel (the archive's
compile_config), with its optimizer state, so Adam continues where Keel stopped. The trained model is written
back as .keras, which `loadModel` in Keel reads.

Requires Keras 3 (pip install keras jax); not run in Keel's CI, where Keras is not installable.
"""

import argparse

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="a .keras archive written by Keel")
    parser.add_argument("data", help="an .npz file with arrays x and y")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32, help="global batch, split over the devices")
    parser.add_argument("--out", default="trained.keras")
    args = parser.parse_args()

    import keras

    devices = keras.distribution.list_devices()
    keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
    model = keras.saving.load_model(args.model)  # compiled, with the optimizer's variables restored
    data = np.load(args.data)
    x, y = data["x"].astype("float32"), data["y"]
    before = model.evaluate(x, y, verbose=0, return_dict=True)
    model.fit(x, y, epochs=args.epochs, batch_size=args.batch_size, verbose=2)
    after = model.evaluate(x, y, verbose=0, return_dict=True)
    print({"devices": len(devices), "before": before, "after": after})
    model.save(args.out)


if __name__ == "__main__":
    main()
