#!/usr/bin/env python3
"""Generate test/fixtures/schedules.json and test/fixtures/optimizers-keras3.json.

Run from anywhere:   /usr/bin/python3 test/reference/make_optimizer_fixtures.py
Requires: the Python 3 standard library only (no numpy, no torch, no Keras).

This script is a plain-Python float64 transcription of Keras 3's update rules and learning-rate
schedules, written from keras/src/optimizers/schedules/learning_rate_schedule.py and
keras/src/optimizers/{base_optimizer,sgd,adam,adamw,adamax,adagrad,adadelta,lion}.py:

  * the six schedules' __call__ (ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay,
    InverseTimeDecay, CosineDecay with warmup_target/warmup_steps, CosineDecayRestarts);
  * the base optimizer's apply: clip the gradients (clipnorm per tensor, global_clipnorm jointly,
    clipvalue element-wise), then weight decay  v <- v - v * weight_decay * lr  on every variable not
    excluded by exclude_from_weight_decay, then update_step(g, v, lr) per variable, then iterations += 1,
    where lr is the schedule called with the iteration count *before* the update (self.iterations);
  * update_step of SGD, Adam (AdamW is Adam with weight_decay 0.004), Adamax, Adagrad, Adadelta, Lion;
  * use_ema: the moving average of every variable after its update (momentum 0 on the first step), written
    into the variables every ema_overwrite_frequency steps and by finalize_variable_values at the end of fit.

Keras computes in float32; this script computes in float64, so Keel (float32) is compared within a
relative tolerance of about 1e-6. Gradients and starting values are multiples of 1/64, exact in float32.
No value here comes from Keel. The script checks itself (asserts) and is deterministic: re-running it
rewrites the same JSON byte for byte.
"""

import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "fixtures"))
GENERATOR = "test/reference/make_optimizer_fixtures.py (plain Python float64 transcription of Keras 3)"


# --------------------------------------------------------------------------
# schedules (Keras 3 learning_rate_schedule.py, __call__)
# --------------------------------------------------------------------------

def exponential_decay(c, step):
    p = step / c["decay_steps"]
    if c["staircase"]:
        p = math.floor(p)
    return c["initial_learning_rate"] * c["decay_rate"] ** p


def piecewise_constant_decay(c, step):
    b, v = c["boundaries"], c["values"]
    result = 0.0
    result += (1.0 if step <= b[0] else 0.0) * v[0]
    result += (1.0 if step > b[-1] else 0.0) * v[-1]
    for low, high, value in zip(b[:-1], b[1:], v[1:-1]):
        result += (1.0 if (step > low and step <= high) else 0.0) * value
    return result


def polynomial_decay(c, step):
    s = float(step)
    d = float(c["decay_steps"])
    if c["cycle"]:
        multiplier = 1.0 if s == 0 else math.ceil(s / c["decay_steps"])
        d = d * multiplier
    else:
        s = min(s, d)
    p = s / d
    return (c["initial_learning_rate"] - c["end_learning_rate"]) * (1 - p) ** c["power"] + c["end_learning_rate"]


def inverse_time_decay(c, step):
    p = step / c["decay_steps"]
    if c["staircase"]:
        p = math.floor(p)
    return c["initial_learning_rate"] / (1 + c["decay_rate"] * p)


def _cosine_decay_function(c, step, decay_steps, decay_from_lr):
    completed_fraction = step / decay_steps
    cosine_decayed = 0.5 * (1.0 + math.cos(math.pi * completed_fraction))
    decayed = (1 - c["alpha"]) * cosine_decayed + c["alpha"]
    return decay_from_lr * decayed


def cosine_decay(c, step):
    decay_steps = float(c["decay_steps"])
    s = float(step)
    if c["warmup_target"] is None:
        s = min(s, decay_steps)
        return _cosine_decay_function(c, s, decay_steps, c["initial_learning_rate"])
    warmup_target = c["warmup_target"]
    warmup_steps = float(c["warmup_steps"])
    s = min(s, decay_steps + warmup_steps)
    if s < warmup_steps:
        completed_fraction = s / warmup_steps
        total_step_delta = warmup_target - c["initial_learning_rate"]
        return total_step_delta * completed_fraction + c["initial_learning_rate"]
    return _cosine_decay_function(c, s - warmup_steps, decay_steps, warmup_target)


def cosine_decay_restarts(c, step):
    t_mul, m_mul, alpha = c["t_mul"], c["m_mul"], c["alpha"]
    completed_fraction = step / c["first_decay_steps"]
    if t_mul == 1.0:
        i_restart = math.floor(completed_fraction)
        completed_fraction -= i_restart
    else:
        i_restart = math.floor(math.log(1.0 - completed_fraction * (1.0 - t_mul)) / math.log(t_mul))
        sum_r = (1.0 - t_mul ** i_restart) / (1.0 - t_mul)
        completed_fraction = (completed_fraction - sum_r) / t_mul ** i_restart
    m_fac = m_mul ** i_restart
    cosine_decayed = 0.5 * m_fac * (1.0 + math.cos(math.pi * completed_fraction))
    decayed = (1 - alpha) * cosine_decayed + alpha
    return c["initial_learning_rate"] * decayed


SCHEDULES = {
    "ExponentialDecay": exponential_decay,
    "PiecewiseConstantDecay": piecewise_constant_decay,
    "PolynomialDecay": polynomial_decay,
    "InverseTimeDecay": inverse_time_decay,
    "CosineDecay": cosine_decay,
    "CosineDecayRestarts": cosine_decay_restarts,
}


def restart_index_exact(c, step):
    """The restart period a step is in, by adding up period lengths (a check of Keras's log formula)."""
    start, length, i = 0.0, float(c["first_decay_steps"]), 0
    while step >= start + length:
        start += length
        length *= c["t_mul"]
        i += 1
    return i


def schedule_case(class_name, config, steps, note):
    fn = SCHEDULES[class_name]
    rates = [fn(config, s) for s in steps]
    for r in rates:
        assert math.isfinite(r) and r >= 0, (class_name, config, r)
    return {"class_name": class_name, "config": config, "note": note, "steps": steps, "rates": rates}


def make_schedules():
    cases = []
    exp = {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": False,
           "name": "ExponentialDecay"}
    cases.append(schedule_case("ExponentialDecay", exp, list(range(31)), "continuous decay, halving every 10 steps"))
    cases.append(schedule_case("ExponentialDecay", dict(exp, staircase=True), list(range(31)),
                               "staircase: constant on [0, 9], [10, 19], [20, 29]"))
    pw = {"boundaries": [5, 10], "values": [1.0, 0.5, 0.1], "name": "PiecewiseConstant"}
    c = schedule_case("PiecewiseConstantDecay", pw, list(range(16)),
                      "values[0] for step <= 5, values[1] for 5 < step <= 10")
    assert c["rates"][5] == 1.0 and c["rates"][6] == 0.5 and c["rates"][10] == 0.5 and c["rates"][11] == 0.1
    cases.append(c)
    poly = {"initial_learning_rate": 0.1, "decay_steps": 10, "end_learning_rate": 0.01, "power": 0.5,
            "cycle": False, "name": "PolynomialDecay"}
    cases.append(schedule_case("PolynomialDecay", poly, list(range(26)), "square-root decay, constant after step 10"))
    cases.append(schedule_case("PolynomialDecay", dict(poly, power=2.0, cycle=True), list(range(26)),
                               "cycle: decay_steps grows to 10*ceil(step/10)"))
    inv = {"initial_learning_rate": 0.1, "decay_steps": 5, "decay_rate": 0.5, "staircase": False,
           "name": "InverseTimeDecay"}
    cases.append(schedule_case("InverseTimeDecay", inv, list(range(21)), "1/t decay"))
    cases.append(schedule_case("InverseTimeDecay", dict(inv, staircase=True), list(range(21)), "staircase 1/t"))
    cos = {"initial_learning_rate": 0.1, "decay_steps": 20, "alpha": 0.1, "name": "CosineDecay",
           "warmup_target": None, "warmup_steps": 0}
    c = schedule_case("CosineDecay", cos, list(range(26)), "no warm-up; alpha*initial after step 20")
    assert abs(c["rates"][20] - 0.01) < 1e-15 and c["rates"][25] == c["rates"][20]
    cases.append(c)
    warm = dict(cos, initial_learning_rate=0.0, alpha=0.0, warmup_target=0.1, warmup_steps=5)
    c = schedule_case("CosineDecay", warm, list(range(31)),
                      "warm-up from 0 to 0.1 over 5 steps (step 5 starts the cosine at 0.1), then 20 decay steps")
    assert c["rates"][0] == 0.0 and abs(c["rates"][4] - 0.08) < 1e-15 and c["rates"][5] == 0.1
    assert c["rates"][30] == c["rates"][25]
    cases.append(c)
    cases.append(schedule_case("CosineDecay", dict(warm, initial_learning_rate=0.02, alpha=0.2, warmup_steps=4),
                               list(range(31)), "warm-up from 0.02 to 0.1 over 4 steps, decay to 0.2*0.1"))
    cases.append(schedule_case("CosineDecay", dict(cos, warmup_target=0.05, warmup_steps=0), list(range(26)),
                               "warmup_target with warmup_steps 0: the decay starts from warmup_target"))
    rst = {"initial_learning_rate": 0.1, "first_decay_steps": 5, "t_mul": 2.0, "m_mul": 0.5, "alpha": 0.1,
           "name": "SGDRDecay"}
    for config, steps, note in [
        (rst, list(range(41)), "periods of 5, 10, 20 steps (restarts at 5, 15, 35), each starting at half the last"),
        (dict(rst, t_mul=1.0, m_mul=0.9, alpha=0.0), list(range(21)), "t_mul 1: restarts every 5 steps"),
        (dict(rst, t_mul=3.0, m_mul=1.0, alpha=0.0), list(range(71)), "t_mul 3: restarts at 5, 20, 65"),
    ]:
        for s in steps:
            fraction = s / config["first_decay_steps"]
            if config["t_mul"] == 1.0:
                keras_i = math.floor(fraction)
            else:
                keras_i = math.floor(math.log(1.0 - fraction * (1.0 - config["t_mul"])) / math.log(config["t_mul"]))
            assert keras_i == restart_index_exact(config, s), ("restart index", config, s)
        cases.append(schedule_case("CosineDecayRestarts", config, steps, note))
    c = cases[-3]  # restart k starts at 0.1 * ((1 - alpha) * 0.5**k + alpha)
    for step, k in [(0, 0), (5, 1), (15, 2), (35, 3)]:
        assert abs(c["rates"][step] - 0.1 * (0.9 * 0.5 ** k + 0.1)) < 1e-15, (step, c["rates"][step])
    return {
        "description": ("Keras 3 learning-rate schedules (float64): cases[*].rates[i] is the rate at "
                        "cases[*].steps[i] for the schedule {class_name, config} (Keras snake_case config)."),
        "generator": GENERATOR,
        "cases": cases,
    }


# --------------------------------------------------------------------------
# optimizers (Keras 3 base_optimizer.apply + update_step)
# --------------------------------------------------------------------------

BASE = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None}
DEFAULTS = {
    "SGD": {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    "Adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
    "AdamW": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False,
              "weight_decay": 0.004},
    "Adamax": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "Adagrad": {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
    "Adadelta": {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7},
    "Lion": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.99},
}
SLOTS = {
    "SGD": lambda c: ["momentum"] if c["momentum"] != 0 else [],
    "Adam": lambda c: ["momentum", "velocity"] + (["velocity_hat"] if c["amsgrad"] else []),
    "Adamax": lambda c: ["momentum", "norm"],
    "Adagrad": lambda c: ["accumulator"],
    "Adadelta": lambda c: ["accumulated_grad", "accumulated_delta_var"],
    "Lion": lambda c: ["momentum"],
}
SLOTS["AdamW"] = SLOTS["Adam"]


def sign(x):
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0


def update_step(kind, c, g, w, lr, s, t):
    """One Keras 3 update_step on lists w (variable) and s (slot name -> list); t = iterations + 1."""
    n = len(w)
    if kind == "SGD":
        if c["momentum"] == 0:
            for i in range(n):
                w[i] -= g[i] * lr
            return
        m = s["momentum"]
        for i in range(n):
            m[i] = m[i] * c["momentum"] - g[i] * lr
            w[i] += (m[i] * c["momentum"] - g[i] * lr) if c["nesterov"] else m[i]
    elif kind in ("Adam", "AdamW"):
        b1, b2 = c["beta_1"], c["beta_2"]
        alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        m, v = s["momentum"], s["velocity"]
        for i in range(n):
            m[i] += (g[i] - m[i]) * (1 - b1)
            v[i] += (g[i] * g[i] - v[i]) * (1 - b2)
            vv = v[i]
            if c["amsgrad"]:
                s["velocity_hat"][i] = max(s["velocity_hat"][i], v[i])
                vv = s["velocity_hat"][i]
            w[i] -= (m[i] * alpha) / (math.sqrt(vv) + c["epsilon"])
    elif kind == "Adamax":
        b1, b2 = c["beta_1"], c["beta_2"]
        m, u = s["momentum"], s["norm"]
        for i in range(n):
            m[i] += (g[i] - m[i]) * (1 - b1)
            u[i] = max(b2 * u[i], abs(g[i]))
            w[i] -= (lr * m[i]) / ((1 - b1 ** t) * (u[i] + c["epsilon"]))
    elif kind == "Adagrad":
        a = s["accumulator"]
        for i in range(n):
            a[i] += g[i] * g[i]
            w[i] -= (lr * g[i]) / math.sqrt(a[i] + c["epsilon"])
    elif kind == "Adadelta":
        rho, eps = c["rho"], c["epsilon"]
        ag, ad = s["accumulated_grad"], s["accumulated_delta_var"]
        for i in range(n):
            ag[i] = rho * ag[i] + (1 - rho) * g[i] * g[i]
            delta = -(math.sqrt(ad[i] + eps) * g[i]) / math.sqrt(ag[i] + eps)
            ad[i] = rho * ad[i] + (1 - rho) * delta * delta
            w[i] += lr * delta
    elif kind == "Lion":
        b1, b2 = c["beta_1"], c["beta_2"]
        m = s["momentum"]
        for i in range(n):
            w[i] -= lr * sign(m[i] * b1 + g[i] * (1.0 - b1))
            m[i] = m[i] * b2 + g[i] * (1.0 - b2)
    else:
        raise ValueError(kind)


def l2(v):
    return math.sqrt(sum(x * x for x in v))


def clip(grads, c):
    if c["clipnorm"]:
        cn = c["clipnorm"]
        return [[x * cn / max(l2(g), cn) for x in g] for g in grads]
    if c["global_clipnorm"]:
        cn = c["global_clipnorm"]
        norm = math.sqrt(sum(l2(g) ** 2 for g in grads))
        return [[x * cn / max(norm, cn) for x in g] for g in grads]
    if c["clipvalue"]:
        cv = c["clipvalue"]
        return [[min(max(x, -cv), cv) for x in g] for g in grads]
    return grads


def learning_rate(c, step):
    lr = c["learning_rate"]
    if isinstance(lr, dict):
        return SCHEDULES[lr["class_name"]](lr["config"], step)
    return lr


def run(kind, c, names, theta0, grads, exclude_names):
    ws = [list(t) for t in theta0]
    init = c.get("initial_accumulator_value", 0.0)
    ema = c.get("use_ema", False)
    names_of_slots = SLOTS[kind](c) + (["average"] if ema else [])
    slots = [{name: [init if name == "accumulator" else 0.0] * len(w) for name in names_of_slots} for w in ws]
    traj, rates = [], []
    for it, gs in enumerate(grads):
        gs = clip(gs, c)
        lr = learning_rate(c, it)  # the schedule sees self.iterations before the update
        rates.append(lr)
        if c["weight_decay"] is not None:
            for name, w in zip(names, ws):
                if any(x in name for x in exclude_names):
                    continue
                for i in range(len(w)):
                    w[i] = w[i] - w[i] * c["weight_decay"] * lr
        for g, w, s in zip(gs, ws, slots):
            update_step(kind, c, g, w, lr, s, it + 1)
        if ema:
            # base_optimizer._update_model_variables_moving_average: momentum 0 while iterations == 0, then
            # the overwrite every ema_overwrite_frequency steps ((iterations + 1) % f == 0), before += 1.
            m = 0.0 if it == 0 else c["ema_momentum"]
            for w, s in zip(ws, slots):
                s["average"] = [m * a + (1 - m) * x for a, x in zip(s["average"], w)]
            f = c.get("ema_overwrite_frequency")
            if f and (it + 1) % f == 0:
                for w, s in zip(ws, slots):
                    w[:] = list(s["average"])
        traj.append([list(w) for w in ws])
    return traj, rates, slots


def make_optimizers():
    names = ["dense/kernel", "dense/bias"]
    theta0 = [[1.0, -2.0, 0.5], [0.25, -0.75]]
    # Multiples of 1/64 (exact in float32); sign changes, a zero element (Lion's sign(0) = 0), a large step.
    raw = [
        [[32, -64, 8], [4, 16]],
        [[8, 16, -24], [96, -128]],
        [[-16, 24, 0], [16, -8]],
        [[40, -8, 12], [-4, 12]],
        [[-72, 56, 4], [0, 20]],
        [[12, 12, -12], [24, -36]],
        [[0, -20, 28], [-48, 8]],
        [[20, 4, -6], [10, 10]],
        [[-6, 30, 18], [-22, 2]],
        [[14, -10, -2], [6, -14]],
    ]
    grads = [[[x / 64 for x in g] for g in step] for step in raw]
    exp = {"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay",
           "config": {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5, "staircase": False,
                      "name": "ExponentialDecay"}, "registered_name": None}
    warm = {"module": "keras.optimizers.schedules", "class_name": "CosineDecay",
            "config": {"initial_learning_rate": 0.0, "decay_steps": 6, "alpha": 0.1, "name": "CosineDecay",
                       "warmup_target": 0.1, "warmup_steps": 4}, "registered_name": None}
    pw = {"module": "keras.optimizers.schedules", "class_name": "PiecewiseConstantDecay",
          "config": {"boundaries": [2, 5], "values": [0.1, 0.05, 0.01], "name": "PiecewiseConstant"},
          "registered_name": None}
    variants = [
        ("AdamW", {"learning_rate": 0.1}, [], "Keras defaults (weight_decay 0.004)"),
        ("AdamW", {"learning_rate": 0.1, "weight_decay": 0.1, "amsgrad": True}, [], "amsgrad, strong decay"),
        ("AdamW", {"learning_rate": 0.1, "weight_decay": 0.1}, ["bias"],
         "exclude_from_weight_decay(var_names=['bias'])"),
        ("AdamW", {"learning_rate": warm, "weight_decay": 0.1}, [], "cosine schedule with warm-up"),
        ("Adamax", {"learning_rate": 0.1}, [], ""),
        ("Adamax", {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9, "clipnorm": 1.0}, [], "clipnorm"),
        ("Adagrad", {"learning_rate": 0.1}, [], ""),
        ("Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.0, "global_clipnorm": 1.0}, [],
         "accumulators from 0, global_clipnorm"),
        ("Adagrad", {"learning_rate": pw, "weight_decay": 0.05}, [], "piecewise schedule and weight decay"),
        ("Adadelta", {"learning_rate": 1.0}, [], "lr 1.0 as in Zeiler's paper"),
        ("Adadelta", {"learning_rate": 1.0, "rho": 0.9, "weight_decay": 0.01, "clipvalue": 0.5}, [], "clipvalue"),
        ("Lion", {"learning_rate": 0.05}, [], ""),
        ("Lion", {"learning_rate": 0.05, "weight_decay": 0.5, "beta_1": 0.5}, [], "weight decay"),
        ("SGD", {"learning_rate": 0.1, "weight_decay": 0.1}, [], "plain SGD with weight decay"),
        ("SGD", {"learning_rate": exp, "momentum": 0.9, "weight_decay": 0.1}, [],
         "momentum, weight decay and an exponential schedule"),
        ("Adam", {"learning_rate": 0.1, "weight_decay": 0.1}, ["bias"], "Adam with weight decay = AdamW"),
        ("Adam", {"learning_rate": exp}, [], "exponential schedule"),
        ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "use_ema": True, "ema_momentum": 0.9,
                 "ema_overwrite_frequency": None}, [], "use_ema (finalize_variable_values at the end)"),
        ("Adam", {"learning_rate": 0.1, "use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 3}, [],
         "use_ema, averages written into the weights every 3 steps"),
    ]
    cases = []
    for kind, over, exclude, note in variants:
        cfg = dict(BASE)
        cfg.update(DEFAULTS[kind])
        cfg.update(over)
        traj, rates, slots = run(kind, cfg, names, theta0, grads, exclude)
        case = {"optimizer": kind, "config": cfg, "exclude_from_weight_decay": exclude, "note": note,
                "learning_rates": rates, "theta": traj, "slots": [{k: v for k, v in s.items()} for s in slots]}
        if cfg.get("use_ema"):
            # finalize_variable_values: fit ends by writing the averages into the weights.
            case["finalized"] = [list(s["average"]) for s in slots]
        cases.append(case)
    # self-checks: Adam with weight decay is AdamW; decay and exclusion change the trajectories.
    by = {(c["optimizer"], json.dumps(c["config"], sort_keys=True), tuple(c["exclude_from_weight_decay"])): c
          for c in cases}
    adam_wd = next(c for c in cases if c["optimizer"] == "Adam" and c["config"]["weight_decay"] == 0.1)
    cfg = dict(adam_wd["config"])
    cfg["weight_decay"] = 0.1
    again, _, _ = run("AdamW", cfg, names, theta0, grads, ["bias"])
    assert again == adam_wd["theta"]
    no_wd, _, _ = run("AdamW", dict(cfg, weight_decay=0.0), names, theta0, grads, [])
    assert no_wd[-1][0] != adam_wd["theta"][-1][0] and no_wd[-1][1] == adam_wd["theta"][-1][1]
    assert len(by) == len(cases)
    lion = next(c for c in cases if c["optimizer"] == "Lion")
    for step in lion["theta"]:
        for w, w0 in zip(step, theta0):
            for x, x0 in zip(w, w0):
                k = (x0 - x) / 0.05
                assert abs(k - round(k)) < 1e-9, "Lion moves by whole multiples of lr"
    return {
        "description": ("Keras 3 optimizer trajectories (float64). variables = names and theta0; grads[s] = the raw "
                        "(unclipped) gradients of step s+1; cases[*].theta[s] = every variable after step s+1; "
                        "learning_rates[s] = the rate step s+1 used (a schedule called with iterations = s); "
                        "slots = the optimizer variables after the last step, by Keras name. config spells out "
                        "every key (snake_case); a schedule is {module, class_name, config, registered_name}. "
                        "exclude_from_weight_decay lists var_names (substrings of the variable names)."),
        "generator": GENERATOR,
        "names": names,
        "theta0": theta0,
        "grads": grads,
        "cases": cases,
    }


def write_json(name, data):
    path = os.path.join(OUT_DIR, name)
    text = json.dumps(data, indent=1, sort_keys=False) + "\n"
    with open(path, "w") as f:
        f.write(text)
    print("wrote %s (%d bytes)" % (os.path.relpath(path), len(text)))


if __name__ == "__main__":
    write_json("schedules.json", make_schedules())
    write_json("optimizers-keras3.json", make_optimizers())
