"""Writes the diagnostician case set (one run config per case) and expected.json's designed labels.

Ground truth (full-budget training, test data) is measured by `node --import tsx scripts/doctor-eval.ts
--ground-truth` and written into expected.json next to each label; run this first, then that.
"""
import json
import os

D = lambda units, act="relu", **kw: {"type": "Dense", "units": units, "activation": act, **kw}
TEACHER = {"dataset": "teacher"}
SPIRALS = {"dataset": "spirals", "n": 1500, "noise": 0.1}
CIRCLES = {"dataset": "circles", "n": 1200}
BLOBS = {"dataset": "blobs", "n": 1200}
HOUSES = {"csv": "data/houses.csv", "label_column": "price", "task": "regression"}
HOUSES_STD = {**HOUSES, "standardize": True, "standardize_targets": True}
WINE = {"csv": "data/wine.csv", "label_column": "label"}
WINE_RAW = {"csv": "data/wine-raw.csv", "label_column": "label"}
WINE_X15 = {"csv": "data/wine-x15.csv", "label_column": "label"}
SCCE = "sparse_categorical_crossentropy"


def opt(name, lr, **kw):
    return {"class_name": name, "config": {"learning_rate": lr, **kw}}


def case(name, desc, data, model, optimizer, loss=SCCE, epochs=10, batch=32, metrics=None, **compile_extra):
    c = {"name": name, "description": desc, "seed": 3, "data": data, "model": model,
         "compile": {"optimizer": optimizer, "loss": loss, "metrics": metrics if metrics is not None else
                     (["accuracy"] if loss != "mse" else []), **compile_extra},
         "fit": {"epochs": epochs, "batch_size": batch}}
    return name, c


def rep(n, *layers):
    return {"repeat": n, "layers": list(layers)}


CASES = [
    # ---- healthy -------------------------------------------------------------------------------------------------
    ("healthy", case("h-teacher-relu-adam", "ReLU + He, Adam 1e-3 on the teacher task.", TEACHER,
                     [rep(3, D(64, kernel_initializer="he_normal")), D(4, "softmax")], opt("Adam", 1e-3), epochs=5)),
    ("healthy", case("h-teacher-tanh-sgdm", "tanh + Glorot, SGD momentum 0.9.", TEACHER,
                     [rep(3, D(64, "tanh")), D(4, "softmax")], opt("SGD", 0.01, momentum=0.9), epochs=5)),
    ("healthy", case("h-teacher-elu-rmsprop", "ELU + He, RMSprop 1e-3.", TEACHER,
                     [rep(4, D(64, "elu", kernel_initializer="he_normal")), D(4, "softmax")], opt("RMSprop", 1e-3),
                     epochs=5)),
    ("healthy", case("h-teacher-dropout-adam", "Dropout 0.2 after 128-wide ReLU layers, Adam.", TEACHER,
                     [rep(2, D(128, kernel_initializer="he_normal"), {"type": "Dropout", "rate": 0.2}),
                      D(4, "softmax")], opt("Adam", 1e-3), epochs=5)),
    ("healthy", case("h-teacher-logits-adam", "Linear output with from_logits, Adam.", TEACHER,
                     [rep(3, D(64, kernel_initializer="he_normal")), D(4, "linear")], opt("Adam", 1e-3), epochs=5,
                     from_logits=True)),
    ("healthy", case("h-teacher-selu-nadam", "SELU + lecun_normal, Nadam.", TEACHER,
                     [rep(4, D(64, "selu", kernel_initializer="lecun_normal")), D(4, "softmax")], opt("Nadam", 1e-3),
                     epochs=5)),
    ("healthy", case("h-spirals-relu-adam", "ReLU MLP on spirals, Adam 3e-3.", SPIRALS,
                     [rep(3, D(64, kernel_initializer="he_normal")), D(3, "softmax")], opt("Adam", 3e-3), epochs=30)),
    ("healthy", case("h-spirals-batch1-adam", "Batch size 1, ReLU, Adam 1e-3 (dead-unit statistics at batch 1).",
                     SPIRALS, [rep(2, D(32, kernel_initializer="he_normal")), D(3, "softmax")], opt("Adam", 1e-3),
                     epochs=2, batch=1)),
    ("healthy", case("h-circles-tanh-sgd", "tanh MLP on circles, SGD 0.1.", CIRCLES,
                     [rep(2, D(32, "tanh")), D(2, "softmax")], opt("SGD", 0.1), epochs=30)),
    ("healthy", case("h-circles-binary-adam", "One sigmoid unit with binary_crossentropy, Adam.", CIRCLES,
                     [rep(2, D(32, kernel_initializer="he_normal")), D(1, "sigmoid")], opt("Adam", 3e-3),
                     loss="binary_crossentropy", epochs=20)),
    ("healthy", case("h-circles-bn16", "BatchNormalization with batch size 16, SGD momentum.", CIRCLES,
                     [rep(2, D(32, "linear", use_bias=False), {"type": "BatchNormalization"},
                          {"type": "Activation", "activation": "relu"}), D(2, "softmax")],
                     opt("SGD", 0.05, momentum=0.9), epochs=15, batch=16)),
    ("healthy", case("h-blobs-small-adam", "One hidden layer on blobs, Adam.", BLOBS,
                     [D(16, kernel_initializer="he_normal"), D(3, "softmax")], opt("Adam", 1e-2), epochs=10)),
    ("healthy", case("h-houses-std-adam", "Standardized houses regression (inputs and targets), Adam.", HOUSES_STD,
                     [rep(2, D(64, kernel_initializer="he_normal")), D(1, "linear")], opt("Adam", 1e-3), loss="mse",
                     epochs=30)),
    ("healthy", case("h-houses-std-sgdm", "Standardized houses regression, SGD momentum 0.9.", HOUSES_STD,
                     [rep(2, D(64, "tanh")), D(1, "linear")], opt("SGD", 0.01, momentum=0.9), loss="mse", epochs=30)),
    ("healthy", case("h-wine-relu-adamw", "Wine classification, ReLU, AdamW.", WINE,
                     [rep(2, D(64, kernel_initializer="he_normal")), D(3, "softmax")], opt("AdamW", 2e-3),
                     epochs=20)),
    ("healthy", case("h-wine-bn-sgd", "Wine, BatchNormalization between Dense and ReLU, SGD 0.05.", WINE,
                     [rep(3, D(64, "linear", use_bias=False), {"type": "BatchNormalization"},
                          {"type": "Activation", "activation": "relu"}), D(3, "softmax")], opt("SGD", 0.05),
                     epochs=20)),
    ("healthy", case("h-wine-raw-standardized", "Raw-scale wine features standardized by the data spec, Adam.",
                     {**WINE_RAW, "standardize": True},
                     [rep(2, D(64, kernel_initializer="he_normal")), D(3, "softmax")], opt("Adam", 2e-3),
                     epochs=20)),
    ("healthy", case("h-wine-leaky-adagrad", "Wine, leaky_relu, Adagrad 0.05.", WINE,
                     [rep(2, D(64, "leaky_relu", kernel_initializer="he_normal")), D(3, "softmax")],
                     opt("Adagrad", 0.05), epochs=20)),
    # ---- output layer vs loss -----------------------------------------------------------------------------------
    ("output_loss_mismatch", case("b-circles-softmax-one-unit", "softmax over one unit with binary_crossentropy.",
                                  CIRCLES, [rep(2, D(32, kernel_initializer="he_normal")), D(1, "softmax")],
                                  opt("Adam", 3e-3), loss="binary_crossentropy", epochs=20)),
    ("output_loss_mismatch", case("b-teacher-tanh-output", "tanh output with sparse categorical cross-entropy.",
                                  TEACHER, [rep(3, D(64, kernel_initializer="he_normal")), D(4, "tanh")],
                                  opt("Adam", 1e-3), epochs=5)),
    ("output_loss_mismatch", case("b-spirals-relu-output", "relu output with sparse categorical cross-entropy.",
                                  SPIRALS, [rep(3, D(64, kernel_initializer="he_normal")), D(3, "relu")],
                                  opt("SGD", 0.05), epochs=30)),
    ("output_loss_mismatch", case("b-teacher-softmax-hidden", "softmax in every hidden layer.", TEACHER,
                                  [rep(4, D(64, "softmax")), D(4, "softmax")], opt("SGD", 0.05), epochs=5)),
    ("output_loss_mismatch", case("b-teacher-sigmoid-categorical", "sigmoid output with categorical "
                                  "cross-entropy and SGD.", TEACHER, [rep(3, D(64, "tanh")), D(4, "sigmoid")],
                                  opt("SGD", 0.01), epochs=5)),
    # ---- BatchNormalization --------------------------------------------------------------------------------------
    ("batch_norm_misuse", case("b-teacher-bn-after-output", "BatchNormalization after the softmax output.", TEACHER,
                               [rep(3, D(64, kernel_initializer="he_normal")), D(4, "softmax"),
                                {"type": "BatchNormalization"}], opt("Adam", 1e-3), epochs=5)),
    ("batch_norm_misuse", case("b-wine-bn-batch1", "BatchNormalization trained with batch size 1.", WINE,
                               [rep(2, D(32, "linear", use_bias=False), {"type": "BatchNormalization"},
                                    {"type": "Activation", "activation": "relu"}), D(3, "softmax")],
                               opt("SGD", 0.01), epochs=2, batch=1)),
    ("batch_norm_misuse", case("b-circles-bn-batch2", "BatchNormalization with batch size 2.", CIRCLES,
                               [rep(2, D(32, "linear", use_bias=False), {"type": "BatchNormalization"},
                                    {"type": "Activation", "activation": "relu"}), D(2, "softmax")],
                               opt("SGD", 0.05), epochs=3, batch=2)),
    # ---- dropout -------------------------------------------------------------------------------------------------
    ("excessive_dropout", case("b-teacher-dropout-0.9", "Dropout 0.9 after 16-unit layers.", TEACHER,
                               [rep(3, D(16, kernel_initializer="he_normal"), {"type": "Dropout", "rate": 0.9}),
                                D(4, "softmax")], opt("Adam", 1e-3), epochs=5)),
    ("excessive_dropout", case("b-spirals-dropout-0.8-narrow", "Dropout 0.8 after 8-unit layers.", SPIRALS,
                               [rep(3, D(8, kernel_initializer="he_normal"), {"type": "Dropout", "rate": 0.8}),
                                D(3, "softmax")], opt("Adam", 3e-3), epochs=30)),
    # ---- data ----------------------------------------------------------------------------------------------------
    ("unscaled_data", case("b-houses-raw-targets-sgd", "Standardized inputs, prices in the hundreds, SGD.",
                           {**HOUSES, "standardize": True},
                           [rep(2, D(64, kernel_initializer="he_normal")), D(1, "linear")], opt("SGD", 0.01),
                           loss="mse", epochs=30)),
    ("unscaled_data", case("b-houses-raw-targets-adam", "Standardized inputs, prices in the hundreds, Adam 1e-3.",
                           {**HOUSES, "standardize": True},
                           [rep(2, D(64, kernel_initializer="he_normal")), D(1, "linear")], opt("Adam", 1e-3),
                           loss="mse", epochs=4)),
    ("unscaled_data", case("b-houses-raw-inputs", "Raw-scale inputs (area ~1e3, distance ~1e4), standardized "
                           "targets, SGD.", {**HOUSES, "standardize_targets": True},
                           [rep(2, D(64, kernel_initializer="he_normal")), D(1, "linear")], opt("SGD", 0.01),
                           loss="mse", epochs=30)),
    ("unscaled_data", case("b-wine-raw-sgd", "Raw laboratory scales (×1000 to ×0.001), SGD.", WINE_RAW,
                           [rep(2, D(64, kernel_initializer="he_normal")), D(3, "softmax")], opt("SGD", 0.01),
                           epochs=20)),
    ("unscaled_data", case("b-wine-x15-tanh", "Inputs of scale ~15 into tanh units, SGD momentum 0.9.", WINE_X15,
                           [rep(2, D(64, "tanh")), D(3, "softmax")], opt("SGD", 0.01, momentum=0.9), epochs=20)),
    # ---- learning rate and optimizer ----------------------------------------------------------------------------
    (["nan_or_inf", "exploding_gradient", "oscillating_loss", "loss_not_decreasing"],
     case("b-teacher-adam-lr1", "Adam with learning rate 1.0.", TEACHER,
          [rep(3, D(64, kernel_initializer="he_normal")), D(4, "softmax")], opt("Adam", 1.0), epochs=5)),
    (["nan_or_inf", "exploding_gradient", "oscillating_loss"],
     case("b-wine-rmsprop-lr05", "RMSprop with learning rate 0.5.", WINE,
          [rep(2, D(64, kernel_initializer="he_normal")), D(3, "softmax")], opt("RMSprop", 0.5), epochs=20)),
    ("oscillating_loss", case("b-spirals-momentum-batch1", "SGD lr 0.1, momentum 0.9 at batch size 1.", SPIRALS,
                              [rep(2, D(32, "tanh")), D(3, "softmax")], opt("SGD", 0.1, momentum=0.9), epochs=2,
                              batch=1)),
    ("loss_not_decreasing", case("b-spirals-sgd-tiny-lr", "SGD learning rate 1e-6.", SPIRALS,
                                 [rep(3, D(64, kernel_initializer="he_normal")), D(3, "softmax")], opt("SGD", 1e-6),
                                 epochs=30)),
    ("loss_not_decreasing", case("b-wine-adagrad-tiny-lr", "Adagrad learning rate 1e-5.", WINE,
                                 [rep(2, D(64, kernel_initializer="he_normal")), D(3, "softmax")],
                                 opt("Adagrad", 1e-5), epochs=20)),
    # ---- initialization ------------------------------------------------------------------------------------------
    ("dying_relu", case("b-wine-negative-bias", "ReLU layers with bias −1.5.", WINE,
                        [rep(4, D(64, kernel_initializer="he_normal",
                                  bias_initializer={"class_name": "Constant", "config": {"value": -1.5}})),
                         D(3, "softmax")], opt("SGD", 0.05), epochs=20)),
    ("exploding_gradient", case("b-teacher-unit-normal-relu", "RandomNormal(stddev 1) on 128-wide ReLU layers.",
                                TEACHER, [rep(5, D(128, kernel_initializer={"class_name": "RandomNormal",
                                                                            "config": {"stddev": 1.0}})),
                                          D(4, "softmax")], opt("SGD", 0.01), epochs=5)),
    ("vanishing_gradient", case("b-spirals-tanh-tiny-init", "tanh with RandomNormal(stddev 0.01), 8 layers.",
                                SPIRALS, [rep(8, D(64, "tanh", kernel_initializer={"class_name": "RandomNormal",
                                                                                  "config": {"stddev": 0.01}})),
                                          D(3, "softmax")], opt("SGD", 0.05), epochs=30)),
    ("vanishing_gradient", case("b-circles-sigmoid-deep", "8 sigmoid layers, SGD.", CIRCLES,
                                [rep(8, D(32, "sigmoid")), D(2, "softmax")], opt("SGD", 0.1), epochs=30)),
    ("broken_self_normalization", case("b-teacher-selu-he-dropout", "SELU with he_uniform and plain Dropout 0.3.",
                                       TEACHER, [rep(6, D(64, "selu", kernel_initializer={
                                           "class_name": "RandomNormal", "config": {"stddev": 0.5}}),
                                                      {"type": "Dropout", "rate": 0.3}), D(4, "softmax")],
                                       opt("SGD", 0.01), epochs=5)),
]

expected = {}
for label, (name, c) in CASES:
    with open(f"{name}.json", "w") as f:
        json.dump(c, f, indent=2)
        f.write("\n")
    expected[f"{name}.json"] = {"expected": label}
old = {}
if os.path.exists("expected.json"):
    old = json.load(open("expected.json"))
for k, v in expected.items():
    if k in old and "groundTruth" in old[k]:
        v["groundTruth"] = old[k]["groundTruth"]
with open("expected.json", "w") as f:
    json.dump(expected, f, indent=2)
    f.write("\n")
print(len(CASES), "cases,", sum(1 for l, _ in CASES if l == "healthy"), "healthy")
