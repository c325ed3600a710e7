"""Writes the diagnostician case set's CSV data (seeded, numpy only): run from this folder.

houses.csv   regression: 8 features on very different scales (floor area ~1e3, rooms ~3, age ~30, distance ~1e4 m,
             ...), target a price in thousands (hundreds to ~1000), nonlinear in the features plus noise.
wine.csv     classification, 3 classes: 10 features of mean ~0, unit-ish scale, classes separable nonlinearly.
wine-raw.csv the same examples with features on their raw laboratory scales (some ×1000, some ×0.001, offsets).
"""
import numpy as np

rng = np.random.default_rng(7)


def write(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(f"{v:.6g}" for v in r) + "\n")


n = 1500
area = rng.normal(1500, 500, n).clip(300, 4000)
rooms = np.round(area / 500 + rng.normal(0, 0.7, n)).clip(1, 9)
age = rng.uniform(0, 80, n)
dist = rng.gamma(2.0, 5000, n)
lot = area * rng.uniform(1.5, 4, n)
quality = rng.integers(1, 11, n).astype(float)
lat = rng.uniform(0.0, 0.05, n)
noise_col = rng.normal(0, 1, n)
price = (
    0.12 * area
    + 15 * quality
    + 8 * rooms
    - 1.2 * age
    + 60 * np.exp(-dist / 6000)
    + 0.004 * lot
    + 800 * lat
    + 0.00003 * (area - 1500) ** 2
    + rng.normal(0, 20, n)
)
cols = ["area", "rooms", "age", "distance", "lot", "quality", "lat", "x8", "price"]
write("data/houses.csv", cols, np.stack([area, rooms, age, dist, lot, quality, lat, noise_col, price], 1))

m = 1500
z = rng.normal(0, 1, (m, 10))
score = np.stack(
    [z[:, 0] + z[:, 1] * z[:, 2], -z[:, 0] + np.sin(2 * z[:, 3]) + 0.5 * z[:, 4], 0.8 * z[:, 5] ** 2 - 0.8], 1
) + rng.normal(0, 0.3, (m, 3))
label = score.argmax(1)
cols = [f"f{i}" for i in range(10)] + ["label"]
write("data/wine.csv", cols, np.concatenate([z, label[:, None]], 1))
scale = np.array([1000, 1, 0.001, 50, 1, 2000, 0.01, 1, 300, 5])
offset = np.array([5000, 0, 0.1, 200, 0, 10000, 0, 3, 0, 20])
write("data/wine-raw.csv", cols, np.concatenate([z * scale + offset, label[:, None]], 1))
# Moderately unscaled (root mean square ~15, no feature far off): what saturating first layers choke on.
write("data/wine-x15.csv", cols, np.concatenate([z * 15 + 4, label[:, None]], 1))
