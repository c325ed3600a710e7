/**
 * Every initializer against the closed-form statistics in
 * test/fixtures/initializers.json: empirical mean/std on ≥ 2·10⁵ draws (several
 * seeded draws for small shapes), hard bounds, truncation, exact values of the
 * deterministic ones, and Orthogonal's Gram matrix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initializers } from '../../src/index.js';

interface InitCase {
  class_name: string;
  config: Record<string, unknown>;
  shape: number[];
  kind: string;
  deterministic: boolean;
  mean: number;
  std: number;
  bound: number | null;
  min: number | null;
  max: number | null;
  std_pre_truncation?: number;
  limit?: number;
  mean_square?: number;
  flattened_shape?: [number, number];
  gain?: number;
  equivalent?: { class_name: string; config: Record<string, unknown> };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/initializers.json', import.meta.url), 'utf8')) as {
  cases: InitCase[];
  truncated_std_factor: number;
};

const TARGET_SAMPLES = 200_000;

test('the truncation constant matches the fixture', () => {
  assert.ok(Math.abs(initializers.TRUNCATION_STD - fixture.truncated_std_factor) < 1e-15);
});

fixture.cases.forEach((c, index) => {
  const label = `${c.class_name}(${JSON.stringify(c.config)}) ${JSON.stringify(c.shape)}`;
  test(label, () => {
    const size = c.shape.reduce((p, d) => p * d, 1);
    const draws = c.deterministic ? 1 : Math.max(1, Math.ceil(TARGET_SAMPLES / size));
    const values = new Float64Array(size * draws);
    for (let d = 0; d < draws; d++) {
      const config = c.deterministic ? c.config : { ...c.config, seed: 1000 * index + d };
      const init = initializers.get({ class_name: c.class_name, config });
      assert.equal(init.className, c.class_name);
      const t = init.sample(c.shape);
      assert.deepEqual(t.shape, c.shape);
      values.set(t.data, d * size);
      if (c.kind === 'orthogonal' && d < 3) checkGram(t.data, c);
    }
    const n = values.length;
    let sum = 0;
    for (const v of values) sum += v;
    const mean = sum / n;
    let sq = 0,
      maxDev = 0,
      lo = Infinity,
      hi = -Infinity,
      beyond2 = 0;
    for (const v of values) {
      sq += (v - mean) ** 2;
      maxDev = Math.max(maxDev, Math.abs(v - c.mean));
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      if (Math.abs(v - c.mean) > 2 * c.std) beyond2++;
    }
    const std = Math.sqrt(sq / n);
    if (c.deterministic) {
      assert.ok(
        Math.abs(mean - c.mean) < 1e-6 && Math.abs(std - c.std) < 1e-6,
        `${label}: mean ${mean}, std ${std}; expected ${c.mean}, ${c.std}`,
      );
      if (c.kind === 'identity') checkIdentity(values, c);
      else for (const v of values) assert.equal(v, Math.fround(c.mean));
      return;
    }
    // 5 standard errors: mean ± 5σ/√n; std ± 5σ/√(2n) (an upper bound for these light-tailed laws).
    assert.ok(
      Math.abs(mean - c.mean) <= (5 * c.std) / Math.sqrt(n) + 1e-7,
      `${label}: mean ${mean}, expected ${c.mean} ± ${(5 * c.std) / Math.sqrt(n)} (n = ${n})`,
    );
    assert.ok(
      Math.abs(std - c.std) <= (5 * c.std) / Math.sqrt(2 * n),
      `${label}: std ${std}, expected ${c.std} ± ${(5 * c.std) / Math.sqrt(2 * n)} (n = ${n})`,
    );
    if (c.bound !== null) {
      const slack = 1e-6 * Math.max(1, Math.abs(c.mean) + c.bound);
      assert.ok(maxDev <= c.bound + slack, `${label}: max |v − mean| ${maxDev} exceeds the bound ${c.bound}`);
      assert.ok(
        lo >= c.min! - slack && hi <= c.max! + slack,
        `${label}: range [${lo}, ${hi}] outside [${c.min}, ${c.max}]`,
      );
      // The bound is nearly reached: the cut is at 2σ_pre (or ±limit), not tighter.
      if (c.kind !== 'orthogonal')
        assert.ok(
          maxDev >= 0.97 * c.bound,
          `${label}: max |v − mean| ${maxDev} never approaches the bound ` + `${c.bound}`,
        );
    }
    if (c.kind === 'normal') {
      // An untruncated normal puts 4.55% of its mass beyond 2σ (a truncated one puts none).
      const frac = beyond2 / n;
      assert.ok(Math.abs(frac - 0.0455) < 0.004, `${label}: ${frac} of the draws lie beyond 2σ, expected 0.0455`);
    }
    if (c.equivalent !== undefined) {
      const eq = initializers.get(c.equivalent) as initializers.VarianceScaling;
      assert.ok(
        Math.abs(Math.sqrt(eq.variance(c.shape)) - c.std) < 1e-9 * c.std,
        `${label}: equivalent VarianceScaling has std ${Math.sqrt(eq.variance(c.shape))}`,
      );
    }
  });
});

function checkGram(w: Float32Array, c: InitCase): void {
  const [rows, cols] = c.flattened_shape!;
  const gain2 = (c.gain ?? 1) ** 2;
  const tall = rows >= cols;
  const k = tall ? cols : rows,
    len = tall ? rows : cols;
  // Vectors: the columns (rows ≥ cols) or the rows of the flattened matrix.
  const at = (v: number, i: number): number => (tall ? w[i * cols + v]! : w[v * cols + i]!);
  let worst = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += at(a, i) * at(b, i);
      worst = Math.max(worst, Math.abs(dot - (a === b ? gain2 : 0)));
    }
  }
  assert.ok(
    worst < 1e-4 * gain2,
    `Orthogonal ${JSON.stringify(c.shape)} gain ${c.gain}: Gram matrix off gain²·I by ${worst}`,
  );
  let ms = 0;
  for (const v of w) ms += v * v;
  ms /= w.length;
  assert.ok(
    Math.abs(ms - c.mean_square!) < 1e-5 * c.mean_square!,
    `Orthogonal mean square ${ms}, expected ${c.mean_square}`,
  );
}

function checkIdentity(values: Float64Array, c: InitCase): void {
  const [rows, cols] = c.shape as [number, number];
  const gain = (c.config.gain as number | undefined) ?? 1;
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) assert.equal(values[r * cols + q], r === q ? gain : 0);
}

test('seeded initializers are reproducible and unseeded ones differ per instance', () => {
  const a = initializers.get({ class_name: 'HeNormal', config: { seed: 5 } }).sample([20, 10]);
  const b = initializers.get({ class_name: 'HeNormal', config: { seed: 5 } }).sample([20, 10]);
  assert.deepEqual(a.data, b.data);
  const u = initializers.get('he_normal');
  assert.deepEqual(
    u.sample([20, 10]).data,
    u.sample([20, 10]).data,
    'the same instance gives the same values (Keras 3)',
  );
  assert.notDeepEqual(
    initializers.get('he_normal').sample([20, 10]).data,
    initializers.get('he_normal').sample([20, 10]).data,
  );
});

test('unknown initializer names suggest the closest one', () => {
  assert.throws(() => initializers.get('he_normall'), /Did you mean 'HeNormal'|Did you mean 'he_normal'/);
});
