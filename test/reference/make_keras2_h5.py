#!/usr/bin/env python3
"""Write a legacy Keras 2 model file (tf.keras 2 `model.save('m.h5')` layout) and the predictions it makes.

Run from anywhere:   /usr/bin/python3 test/reference/make_keras2_h5.py
Requires: numpy and h5py (Debian: python3-numpy python3-h5py). No TensorFlow: the file is laid out as
tf.keras 2.x's `save_model_to_hdf5` writes it, and the predictions are computed here in float64 numpy with
Keras's inference formulas (Dense: x @ kernel + bias; BatchNormalization: (x - moving_mean) /
sqrt(moving_variance + epsilon) * gamma + beta; Dropout: identity at inference).

Written:
  test/fixtures/keras2-dense-bn-dropout.h5   Sequential: Dense(6, relu) -> BatchNormalization -> Dropout(0.5)
                                            -> Dense(3, softmax), input [4]
  test/fixtures/keras2-h5.json               the inputs and the predictions (float64)

Layout (attributes are what tf.keras 2.x writes: bytes strings from json.dumps(...).encode('utf8')):
  /                      keras_version, backend, model_config, training_config
  /model_weights         layer_names (fixed-length bytes), backend, keras_version
  /model_weights/<layer> weight_names, e.g. [b'dense/kernel:0', b'dense/bias:0'] (empty for Dropout)
  /model_weights/<layer>/<layer>/<weight>:0   the float32 datasets
"""

import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")


def initializer(name):
    return {"class_name": name, "config": {"seed": None} if name == "GlorotUniform" else {}}


def dense_config(name, units, activation, batch_input_shape=None):
    config = {"name": name, "trainable": True, "dtype": "float32"}
    if batch_input_shape is not None:
        config["batch_input_shape"] = batch_input_shape
    config.update(
        {
            "units": units,
            "activation": activation,
            "use_bias": True,
            "kernel_initializer": initializer("GlorotUniform"),
            "bias_initializer": initializer("Zeros"),
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        }
    )
    return {"class_name": "Dense", "config": config}


MODEL_CONFIG = {
    "class_name": "Sequential",
    "config": {
        "name": "sequential",
        "layers": [
            {
                "class_name": "InputLayer",
                "config": {
                    "batch_input_shape": [None, 4],
                    "dtype": "float32",
                    "sparse": False,
                    "ragged": False,
                    "name": "dense_input",
                },
            },
            dense_config("dense", 6, "relu", [None, 4]),
            {
                "class_name": "BatchNormalization",
                "config": {
                    "name": "batch_normalization",
                    "trainable": True,
                    "dtype": "float32",
                    "axis": [1],
                    "momentum": 0.99,
                    "epsilon": 0.001,
                    "center": True,
                    "scale": True,
                    "beta_initializer": initializer("Zeros"),
                    "gamma_initializer": initializer("Ones"),
                    "moving_mean_initializer": initializer("Zeros"),
                    "moving_variance_initializer": initializer("Ones"),
                    "beta_regularizer": None,
                    "gamma_regularizer": None,
                    "beta_constraint": None,
                    "gamma_constraint": None,
                },
            },
            {
                "class_name": "Dropout",
                "config": {"name": "dropout", "trainable": True, "dtype": "float32", "rate": 0.5,
                           "noise_shape": None, "seed": None},
            },
            dense_config("dense_1", 3, "softmax"),
        ],
    },
}

TRAINING_CONFIG = {
    "loss": "sparse_categorical_crossentropy",
    "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32"}}]],
    "weighted_metrics": None,
    "loss_weights": None,
    "optimizer_config": {
        "class_name": "Adam",
        "config": {"name": "Adam", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
                   "epsilon": 1e-07, "amsgrad": False},
    },
}


def main():
    rng = np.random.default_rng(20261130)
    f32 = np.float32
    weights = {
        "dense": {"kernel": rng.normal(0, 0.6, (4, 6)).astype(f32), "bias": rng.normal(0, 0.1, 6).astype(f32)},
        "batch_normalization": {
            "gamma": rng.uniform(0.5, 1.5, 6).astype(f32),
            "beta": rng.normal(0, 0.2, 6).astype(f32),
            "moving_mean": rng.uniform(0.0, 0.8, 6).astype(f32),
            "moving_variance": rng.uniform(0.3, 2.0, 6).astype(f32),
        },
        "dropout": {},
        "dense_1": {"kernel": rng.normal(0, 0.6, (6, 3)).astype(f32), "bias": rng.normal(0, 0.1, 3).astype(f32)},
    }
    x = rng.normal(0, 1, (5, 4)).astype(f32)

    # Keras inference in float64 from the float32 values stored.
    w = {k: {n: v.astype(np.float64) for n, v in d.items()} for k, d in weights.items()}
    h = np.maximum(x.astype(np.float64) @ w["dense"]["kernel"] + w["dense"]["bias"], 0.0)
    bn = w["batch_normalization"]
    h = (h - bn["moving_mean"]) / np.sqrt(bn["moving_variance"] + 0.001) * bn["gamma"] + bn["beta"]
    logits = h @ w["dense_1"]["kernel"] + w["dense_1"]["bias"]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)

    path = os.path.join(FIXTURES, "keras2-dense-bn-dropout.h5")
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.12.0"
        f.attrs["model_config"] = json.dumps(MODEL_CONFIG).encode("utf8")
        f.attrs["training_config"] = json.dumps(TRAINING_CONFIG).encode("utf8")
        mw = f.create_group("model_weights")
        mw.attrs["backend"] = "tensorflow"
        mw.attrs["keras_version"] = "2.12.0"
        mw.attrs["layer_names"] = np.array([name.encode("utf8") for name in weights])
        order = {"dense": ["kernel", "bias"], "dense_1": ["kernel", "bias"], "dropout": [],
                 "batch_normalization": ["gamma", "beta", "moving_mean", "moving_variance"]}
        for layer, names in order.items():
            g = mw.create_group(layer)
            weight_names = [f"{layer}/{n}:0".encode("utf8") for n in names]
            g.attrs["weight_names"] = np.array(weight_names) if weight_names else np.asarray([])
            for n, full in zip(names, weight_names):
                g.create_dataset(full.decode("utf8"), data=weights[layer][n])

    with open(os.path.join(FIXTURES, "keras2-h5.json"), "w") as f:
        json.dump({"file": "keras2-dense-bn-dropout.h5", "x": x.astype(np.float64).tolist(), "y": y.tolist()}, f,
                  indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
