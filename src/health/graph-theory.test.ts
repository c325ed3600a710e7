/**
 * The doctor on graphs: the variance theory through Add, Concatenate and residual blocks against what the
 * model really computes; a plain 50-block stack gets the vanishing finding (with residual connections offered)
 * and its residual twin none, as the gradients measured by a real backward pass say; the SELU rule "no skip
 * connections" fires on a real residual SELU model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model, Random, Tensor, input, layers, losses, setSeed, valueAndGrads } from '../index.js';
import { predictVariances } from './theory.js';
import { theoryFindings } from './theory-findings.js';
import { lintModel } from './lint.js';
import type { SymbolicTensor } from '../nn/graph/symbolic.js';

function gaussian(rows: number, width: number, seed: number): Tensor {
  const rng = new Random(seed);
  return new Tensor(
    Float32Array.from({ length: rows * width }, () => rng.normal()),
    [rows, width],
  );
}

function pooled(t: Tensor): { mean: number; variance: number } {
  let s = 0,
    s2 = 0;
  for (const v of t.data) {
    s += v;
    s2 += v * v;
  }
  const mean = s / t.size;
  return { mean, variance: s2 / t.size - mean * mean };
}

/** Predicted vs measured pooled variance of every layer call (averaged over several weight draws). */
function compare(
  make: () => Model,
  width: number,
  draws = 6,
): { layer: string; predicted: number; measured: number }[] {
  const sums = new Map<string, { predicted: number; measured: number }>();
  for (let d = 0; d < draws; d++) {
    setSeed(100 + d);
    const model = make();
    const theory = predictVariances(model, { mean: 0, secondMoment: 1 }, { batchSize: 64 });
    const seen: Tensor[] = [];
    model.run([gaussian(2000, width, d)], { observe: (_l, out) => seen.push(out) });
    theory.layers.forEach((p, i) => {
      const key = `${i}:${p.layer.replace(/_\d+$/, '')}`;
      const acc = sums.get(key) ?? { predicted: 0, measured: 0 };
      acc.predicted += p.outputVariance / draws;
      acc.measured += pooled(seen[i]!).variance / draws;
      sums.set(key, acc);
    });
  }
  return [...sums].map(([layer, v]) => ({ layer, ...v }));
}

test('theory through Add and Concatenate: the residual sum of variances and the width-weighted concat match', () => {
  const rows = compare(() => {
    const x = input({ shape: [64] });
    const f = new layers.Dense(64, { activation: 'relu', kernelInitializer: 'he_normal' }).apply(x);
    const g = new layers.Dense(64, { kernelInitializer: 'he_normal' }).apply(f);
    const r = new layers.Add().apply([x, g]); // x + F(x): correlated branches, F ends in a zero-mean kernel
    const side = new layers.Dense(32, { activation: 'tanh' }).apply(x);
    const cat = new layers.Concatenate().apply([r, side]);
    const out = new layers.Dense(64, { activation: 'elu' }).apply(cat);
    return new Model({ inputs: x, outputs: out });
  }, 64);
  assert.deepEqual(
    rows.map((r) => r.layer),
    ['0:dense', '1:dense', '2:add', '3:dense', '4:concatenate', '5:dense'],
  );
  for (const r of rows) {
    console.log(`  ${r.layer}: predicted variance ${r.predicted.toFixed(4)}, measured ${r.measured.toFixed(4)}`);
    const rel = Math.abs(r.predicted - r.measured) / r.measured;
    assert.ok(rel < 0.1, `${r.layer}: predicted ${r.predicted.toFixed(3)}, measured ${r.measured.toFixed(3)}`);
  }
  // The Add's variance is Var[x] + Var[F(x)] ≈ 1 + 2 (He: Var[F] ≈ 2·Var[x] for relu then linear he_normal).
  assert.ok(Math.abs(rows[2]!.predicted - 3) < 0.2, `add variance ${rows[2]!.predicted}`);
});

/** 50 blocks of Dense(32, sigmoid), plain or each wrapped in a skip connection h = h + Dense(h). */
function deepMlp(residual: boolean, blocks = 50): Model {
  const x = input({ shape: [32] });
  let h: SymbolicTensor = new layers.Dense(32, { activation: 'sigmoid', name: 'first' }).apply(x);
  for (let i = 0; i < blocks; i++) {
    const f = new layers.Dense(32, { activation: 'sigmoid' }).apply(h);
    h = residual ? new layers.Add().apply([h, f]) : f;
  }
  const out = new layers.Dense(10, { activation: 'softmax', name: 'last' }).apply(h);
  return new Model({ inputs: x, outputs: out });
}

/** ‖∇W_first‖ / ‖∇W_last‖ from a real backward pass at initialization. */
function measuredRatio(model: Model): number {
  const x = gaussian(64, 32, 7);
  const y = new Tensor(
    Float32Array.from({ length: 64 }, (_v, i) => i % 10),
    [64],
  );
  const kernels = model.layers.map((l) => l.kernelWeight).filter((k) => k !== null);
  const { grads } = valueAndGrads(
    () => losses.sparseCategoricalCrossentropy(y, model.run([x], { training: true })[0]!),
    kernels,
  );
  const norm = (g: Tensor) => Math.sqrt(g.data.reduce((s, v) => s + v * v, 0));
  return norm(grads[0]!) / norm(grads.at(-1)!);
}

test('plain 50-block sigmoid stack: vanishing finding and residual connections; its residual twin: none', () => {
  setSeed(1);
  const plain = deepMlp(false);
  setSeed(1);
  const residual = deepMlp(true);
  const tp = predictVariances(plain, { mean: 0, secondMoment: 1 }, { batchSize: 64 });
  const tr = predictVariances(residual, { mean: 0, secondMoment: 1 }, { batchSize: 64 });
  const mp = measuredRatio(plain);
  const mr = measuredRatio(residual);
  console.log(
    `  first/last gradient ratio: plain predicted ${tp.firstLastGradRatio!.toExponential(2)}, measured ` +
      `${mp.toExponential(2)}; residual predicted ${tr.firstLastGradRatio!.toExponential(2)}, ` +
      `measured ${mr.toExponential(2)}`,
  );
  // The theory and a real backward pass agree on the order of magnitude.
  assert.ok(tp.firstLastGradRatio! < 1e-6 && mp < 1e-6, `plain: predicted ${tp.firstLastGradRatio}, measured ${mp}`);
  // Residual: no vanishing (the ratio stays above AUTOTRAINER's 1e-3; it is below 1 only because the identity
  // path lets the activations' scale grow with depth, which enlarges the last kernel's gradient).
  assert.ok(tr.firstLastGradRatio! > 1e-3 && mr > 1e-3, `residual: predicted ${tr.firstLastGradRatio}, measured ${mr}`);
  assert.ok(mr / mp > 1e4 && tr.firstLastGradRatio! / tp.firstLastGradRatio! > 1e4);
  assert.ok(
    Math.abs(Math.log10(tr.firstLastGradRatio! / mr)) < 1,
    `residual: within 10× (${tr.firstLastGradRatio}, ${mr})`,
  );
  const fp = theoryFindings(tp).filter((f) => f.kind === 'vanishing_gradient');
  assert.deepEqual(
    fp.map((f) => f.code),
    ['T-VANISH'],
  );
  assert.ok(fp[0]!.remedies.some((r) => r.id === 'residual_connections'));
  assert.deepEqual(
    theoryFindings(tr).filter((f) => f.kind === 'vanishing_gradient'),
    [],
  );
  assert.equal(tr.skipConnections.length, 50);
  // A shallow plain stack that vanishes is not told to add skip connections (depth is not its problem).
  setSeed(1);
  const shallow = theoryFindings(predictVariances(deepMlp(false, 12), { mean: 0, secondMoment: 1 }, { batchSize: 64 }));
  const vanish = shallow.find((f) => f.code === 'T-VANISH');
  assert.ok(vanish === undefined || !vanish.remedies.some((r) => r.id === 'residual_connections'));
});

test("the SELU rule 'no skip connections' fires on a real residual SELU model, not on its plain twin", () => {
  const build = (skip: boolean) => {
    const x = input({ shape: [16] });
    let h = new layers.Dense(32, { activation: 'selu', kernelInitializer: 'lecun_normal' }).apply(x);
    for (let i = 0; i < 3; i++) {
      const f = new layers.Dense(32, { activation: 'selu', kernelInitializer: 'lecun_normal' }).apply(h);
      h = skip ? new layers.Add({ name: `skip_${i}` }).apply([h, f]) : f;
    }
    return new Model({ inputs: x, outputs: new layers.Dense(4, { activation: 'softmax' }).apply(h) });
  };
  const codes = (m: Model) => lintModel(m, { dataset: 'teacher' }).map((f) => f.code);
  const withSkip = lintModel(build(true), { dataset: 'teacher' });
  const rule = withSkip.find((f) => f.code === 'L-SELU-NO-SKIP');
  assert.ok(rule !== undefined, `findings: ${withSkip.map((f) => f.code).join(', ')}`);
  assert.deepEqual(rule.layers, ['skip_0', 'skip_1', 'skip_2']);
  assert.ok(!codes(build(true)).includes('L-SELU-DENSE-ONLY'), 'merge layers are not "not fully connected"');
  assert.deepEqual(codes(build(false)), []);
});
