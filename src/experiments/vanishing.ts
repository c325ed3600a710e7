/**
 * The seed's setup (Géron ch. 11, "Vanishing & Exploding Gradient"): a deep
 * sigmoid network with N(0, 1) weights saturates and its gradients vanish
 * toward the input; Glorot, He and SELU (LeCun-normal, standardized inputs) fix it.
 * Network: the demo's 784 → 20×Dense(100) → Dense(10, softmax) on Fashion-MNIST.
 */
import { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../tensor/rng.js';
import { valueAndGrads } from '../autograd/value-and-grads.js';
import { RandomNormal } from '../nn/initializers/index.js';
import { SGD } from '../nn/optimizers/index.js';
import { get as getLoss } from '../nn/losses.js';
import type { Sequential } from '../nn/model.js';
import { mlp, denseBlock, hiddenDense, type Kernel } from './lib/mlp.js';
import { fashionData, type FashionData } from './lib/fashion.js';
import { compileClassifier, fitEpochs } from './lib/fit.js';
import { saturatedFraction, type SaturatingActivation } from './lib/saturation.js';
import { l2, mean } from './lib/stats.js';
import { pct, sci, table, seconds } from './lib/format.js';
import { barChart } from './lib/text-chart.js';
import type { Experiment, ExperimentOptions } from './types.js';

export interface VanishingVariant {
  key: string;
  label: string;
  activation: SaturatingActivation;
  kernel: () => Kernel;
  standardize: boolean;
}

export const VARIANTS: readonly VanishingVariant[] = [
  {
    key: 'sigmoid-normal1',
    label: 'sigmoid + N(0,1) (the seed)',
    activation: 'sigmoid',
    kernel: () => new RandomNormal({ stddev: 1 }),
    standardize: false,
  },
  {
    key: 'sigmoid-glorot',
    label: 'sigmoid + glorot_uniform',
    activation: 'sigmoid',
    kernel: () => 'glorot_uniform',
    standardize: false,
  },
  {
    key: 'tanh-glorot',
    label: 'tanh + glorot_uniform (Glorot)',
    activation: 'tanh',
    kernel: () => 'glorot_uniform',
    standardize: false,
  },
  { key: 'elu-he', label: 'elu + he_normal (He)', activation: 'elu', kernel: () => 'he_normal', standardize: false },
  {
    key: 'selu-lecun',
    label: 'selu + lecun_normal, standardized (SELU)',
    activation: 'selu',
    kernel: () => 'lecun_normal',
    standardize: true,
  },
];

export interface VanishingRow {
  key: string;
  label: string;
  /** Kernel-gradient L2 norm of each hidden layer at initialization (layer 1 first). */
  gradNorms: number[];
  /** Fraction of each hidden layer's units with f′(z) < 0.01 at initialization. */
  saturation: number[];
  /** ‖∇W₁‖ / ‖∇W₂₀‖. */
  firstOverLast: number;
  meanSaturation: number;
  /** After training (full form only). */
  testAccuracy: number | null;
}

const DEPTH = 20,
  WIDTH = 100;

function measureAtInit(
  model: Sequential,
  activation: SaturatingActivation,
  x: Tensor,
  y: Tensor,
): { gradNorms: number[]; saturation: number[] } {
  const kernels = hiddenDense(model).map((d) => d.kernelWeight!);
  const loss = getLoss('sparse_categorical_crossentropy');
  const hiddenNames = new Set(hiddenDense(model).map((d) => d.name));
  const saturation: number[] = [];
  const { grads } = valueAndGrads(
    () =>
      loss(
        y,
        model.apply(x, {
          training: true,
          observe: (layer, out) => {
            if (hiddenNames.has(layer.name)) saturation.push(saturatedFraction(activation, out.data));
          },
        }),
      ),
    kernels,
  );
  return { gradNorms: grads.map((g) => l2(g.data)), saturation };
}

/** n images spread over the class-sorted training subset (so every class is present). */
function spread(d: FashionData, n: number): [Tensor, Tensor] {
  const step = Math.floor(d.train.y.size / n);
  const x = new Float32Array(n * 784),
    y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x.set(d.train.x.data.subarray(i * step * 784, (i * step + 1) * 784), i * 784);
    y[i] = d.train.y.data[i * step]!;
  }
  return [new Tensor(x, [n, 784]), new Tensor(y, [n])];
}

export async function runVanishing(opts: ExperimentOptions): Promise<{ markdown: string; results: VanishingRow[] }> {
  const started = Date.now();
  const scale = opts.quick
    ? { train: 2000, heldOut: 1000, probe: 256, epochs: 1 }
    : { train: 10000, heldOut: 5000, probe: 512, epochs: 3 };
  const raw = fashionData({ train: scale.train, heldOut: scale.heldOut, standardize: false });
  const std = fashionData({ train: scale.train, heldOut: scale.heldOut, standardize: true });
  const rows: VanishingRow[] = [];
  for (const v of VARIANTS) {
    const t0 = Date.now();
    const data = v.standardize ? std : raw;
    setSeed(42);
    const model = mlp({ inputDim: 784, depth: DEPTH, block: denseBlock(WIDTH, v.activation, v.kernel()), classes: 10 });
    compileClassifier(model, new SGD({ learningRate: 0.01 }));
    const [px, py] = spread(data, scale.probe);
    const { gradNorms, saturation } = measureAtInit(model, v.activation, px, py);
    let testAccuracy: number | null = null;
    if (scale.epochs > 0) {
      const run = await fitEpochs(model, data.train, data.validation, { epochs: scale.epochs, batchSize: 32 });
      testAccuracy = run.diverged ? NaN : model.evaluate(data.test.x, data.test.y, { batchSize: 500 }).accuracy!;
    }
    const row: VanishingRow = {
      key: v.key,
      label: v.label,
      gradNorms,
      saturation,
      firstOverLast: gradNorms[0]! / gradNorms[DEPTH - 1]!,
      meanSaturation: mean(saturation),
      testAccuracy,
    };
    rows.push(row);
    opts.log(
      `vanishing ${v.key}: ‖∇W1‖/‖∇W20‖ ${sci(row.firstOverLast)}, saturated ${pct(row.meanSaturation)}` +
        `${testAccuracy !== null ? `, test acc ${pct(testAccuracy)}` : ''} (${seconds(t0)})`,
    );
  }
  return { markdown: report(rows, scale, opts.quick, seconds(started)), results: rows };
}

function report(
  rows: VanishingRow[],
  scale: { train: number; heldOut: number; probe: number; epochs: number },
  quick: boolean,
  took: string,
): string {
  const seedRow = rows.find((r) => r.key === 'sigmoid-normal1')!;
  const cures = rows.filter((r) => ['tanh-glorot', 'elu-he', 'selu-lecun'].includes(r.key));
  const balanced = (r: VanishingRow) => r.firstOverLast > 0.1 && r.firstOverLast < 10;
  const verdictLines = [
    `* Seed setup (sigmoid + N(0,1)): ${pct(seedRow.meanSaturation)} of hidden units saturated (f′ < 0.01); ` +
      `first/last kernel-gradient norm ${sci(seedRow.firstOverLast)}.`,
    ...cures.map(
      (r) =>
        `* ${r.label}: ${pct(r.meanSaturation)} saturated; first/last ${sci(r.firstOverLast)} (` +
        `${balanced(r) ? 'within 10×: gradients flow' : 'outside 10×'}).`,
    ),
  ];
  const saturationReproduced = seedRow.meanSaturation > 0.3;
  const seedVanishes = seedRow.firstOverLast < 0.1;
  const curesWork = cures.every((r) => r.meanSaturation < 0.05 && balanced(r));
  const supported = saturationReproduced && curesWork;
  const nuance = seedVanishes
    ? `* The seed's gradient vanishes toward the input, as claimed.`
    : `* **Contradiction, in part:** with N(0,1) weights the *norm* of the gradient does not vanish toward the ` +
      `input at initialization (first/last ${sci(seedRow.firstOverLast)}). The saturation is real, but the ` +
      `large weights compensate: per layer the gradient variance is multiplied by ` +
      `n·Var(W)·E[σ′(z)²] ≈ 100 × 1 × E[σ′(z)²] with z ~ N(0, ≈40), and ` +
      `E[σ′(z)²] ≈ (∫σ′²dz)·φ(0)/std(z) = (1/6)·0.40/6.3 ≈ 0.011, a factor ` +
      `≈ 1.1. The network learns slowly because half its units sit where σ′ ≈ 0 and the sigmoid's outputs are ` +
      `not zero-centred, not because of an exponential decay with depth. The exponential decay shows up instead ` +
      `with sigmoid + glorot_uniform.`;
  const headers = [
    'variant',
    'saturated (mean over layers)',
    '‖∇W‖ layer 1',
    'layer 10',
    'layer 20',
    'layer 1 / layer 20',
    ...(scale.epochs > 0 ? [`test acc after ${scale.epochs} epochs`] : []),
  ];
  const body = rows.map((r) => [
    r.label,
    pct(r.meanSaturation),
    sci(r.gradNorms[0]!),
    sci(r.gradNorms[9]!),
    sci(r.gradNorms[19]!),
    sci(r.firstOverLast),
    ...(r.testAccuracy !== null ? [pct(r.testAccuracy)] : []),
  ]);
  const perLayer = rows
    .map(
      (r) =>
        `**${r.label}**\n\n${barChart(
          r.gradNorms.map((g, i) => ({ label: `layer ${String(i + 1).padStart(2)}`, value: g })),
          { log: true, width: 36, format: (v) => sci(v) },
        )}`,
    )
    .join('\n\n');
  const satTable = table(
    ['layer', ...rows.map((r) => r.key)],
    Array.from({ length: DEPTH }, (_, i) => [String(i + 1), ...rows.map((r) => pct(r.saturation[i]!))]),
  );
  const quickNote = quick
    ? '> **Quick form** (test scale): numbers are from a small run; see `keel experiment vanishing` for the ' +
      'full table.\n\n'
    : '';
  const trainSetup =
    scale.epochs > 0
      ? `* Then SGD(lr 0.01), batch 32, ${scale.epochs} epochs on a stratified ${scale.train}-image subset; ` +
        `test accuracy on ${scale.heldOut} held-out test images.\n`
      : '';
  const sg = rows.find((r) => r.key === 'sigmoid-glorot');
  const sigmoidGlorot = sg
    ? `* sigmoid + glorot_uniform barely saturates (${pct(sg.meanSaturation)}), yet its gradient still vanishes ` +
      `(first/last ${sci(sg.firstOverLast)}): Glorot's derivation assumes f′(0) = 1, and σ′(0) = 1/4, so every ` +
      'layer shrinks the gradient. Glorot init is for tanh/softsign, not sigmoid.\n'
    : '';
  const trained =
    scale.epochs > 0
      ? `* After training: ${rows.map((r) => `${r.key} ${pct(r.testAccuracy ?? NaN)}`).join(', ')}.\n`
      : '';
  return (
    `# Vanishing gradients in the seed's setup

${quickNote}## Claim

The seed note (after Géron, *Hands-On Machine Learning*, ch. 11): with sigmoid activations and weights drawn from the
standard normal N(0, 1), each layer's output variance exceeds its input variance, the sigmoid saturates (its derivative
tends to 0 for large |z|), and the back-propagated gradient shrinks toward the input layers — lower layers ` +
    `barely learn.
Glorot initialization (for tanh/sigmoid-like activations), He initialization (ReLU family) and SELU with LeCun-normal
weights and standardized inputs keep the gradient flowing.

## Source

\`docs/seed-note-vanishing-exploding-gradients.txt\` (the seed); Glorot & Bengio 2010; He et al. 2015; ` +
    `Klambauer et al. 2017.
No published number for this exact network; the seed makes a qualitative claim.

## Setup

* Fashion-MNIST, pixels / 255 (SELU: standardized per pixel on the training subset).
* 784 → ${DEPTH} × Dense(${WIDTH}) → Dense(10, softmax, glorot_uniform); zero biases; seed 42.
* At initialization: one training-mode forward/backward pass of sparse categorical cross-entropy on ${scale.probe}` +
    ` training images
  (every class); kernel-gradient L2 norm of each hidden layer; saturation = fraction of hidden units with f′(z) < 0.01
  (sigmoid a(1−a), tanh 1−a², ELU a+1 and SELU a+λα for a < 0).
${trainSetup}* Scale-down vs. the seed: the seed trains on the full data set; here a subset` +
    `${scale.epochs > 0 ? ` and ${scale.epochs} epochs` : ''}.

## Results

${table(headers, body)}

Kernel-gradient norm per hidden layer at initialization:

${perLayer}

<details><summary>Saturated fraction per layer</summary>

${satTable}

</details>

## Verdict

**${supported ? 'Reproduced' : 'Not fully reproduced'}.**

${verdictLines.join('\n')}
${nuance}
${sigmoidGlorot}${trained}
Run time: ${took}. Reproduce: \`keel experiment vanishing${quick ? ' --quick' : ''}\`.
`
  );
}

export const vanishing: Experiment<VanishingRow[]> = {
  name: 'vanishing',
  title: "The seed's vanishing gradients: sigmoid + N(0,1) vs Glorot, He, SELU",
  run: runVanishing,
};
