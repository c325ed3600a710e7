/**
 * Goyal et al. (2017), "Accurate, Large Minibatch SGD": when the minibatch grows k-fold, multiply the learning
 * rate by k (linear scaling), and ramp the rate up from the small-batch rate over the first epochs (gradual
 * warm-up); without the warm-up the early steps of large-batch training are unstable. Here: a deep ReLU MLP on
 * Fashion-MNIST, batch 32 at lr 0.01 against batch 512 at lr 0.16 with and without warm-up (a Keras 3
 * CosineDecay with warmup_target and alpha 1: a linear ramp, then a constant rate), and batch 512 at lr 0.01
 * (no scaling: what "use a smaller learning rate" gives).
 */
import { SGD } from '../nn/optimizers/index.js';
import { CosineDecay } from '../nn/optimizers/schedules/index.js';
import { setSeed } from '../tensor/rng.js';
import { mlp, denseBlock } from './lib/mlp.js';
import { fashionData } from './lib/fashion.js';
import { compileClassifier, fitEpochs } from './lib/fit.js';
import { fixed, pct, range, seconds, table } from './lib/format.js';
import { linePlot } from './lib/text-chart.js';
import type { Experiment, ExperimentOptions } from './types.js';

export type WarmupVariant =
  'small batch' | 'large batch, no warm-up' | 'large batch, warm-up' | 'large batch, small lr';

interface VariantSpec {
  key: WarmupVariant;
  batch: 'small' | 'large';
  lr: 'base' | 'scaled';
  warmup: boolean;
}
const VARIANTS: readonly VariantSpec[] = [
  { key: 'small batch', batch: 'small', lr: 'base', warmup: false },
  { key: 'large batch, no warm-up', batch: 'large', lr: 'scaled', warmup: false },
  { key: 'large batch, warm-up', batch: 'large', lr: 'scaled', warmup: true },
  { key: 'large batch, small lr', batch: 'large', lr: 'base', warmup: false },
];

export interface WarmupRow {
  variant: WarmupVariant;
  seed: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  /** Whether training stopped on a NaN/Inf loss. */
  diverged: boolean;
  /** Validation accuracy per finished epoch (empty when the first epoch diverged). */
  valAccuracy: number[];
  /** Test accuracy of the final model (NaN when it diverged). */
  testAccuracy: number;
}

export interface WarmupResults {
  rows: WarmupRow[];
  setup: Scale;
}

interface Scale {
  train: number;
  heldOut: number;
  depth: number;
  width: number;
  epochs: number;
  smallBatch: number;
  largeBatch: number;
  baseLr: number;
  warmupSteps: number;
  seeds: number[];
  variants: WarmupVariant[];
}

const FULL: Scale = {
  train: 10000,
  heldOut: 2000,
  depth: 8,
  width: 256,
  epochs: 12,
  smallBatch: 32,
  largeBatch: 512,
  baseLr: 0.005,
  // Goyal et al. warm up over 5 epochs; 10,000 / 512 ≈ 20 steps per epoch.
  warmupSteps: 100,
  seeds: [1, 2, 3],
  variants: VARIANTS.map((v) => v.key),
};
const QUICK: Scale = {
  ...FULL,
  heldOut: 1000,
  epochs: 3,
  seeds: [2],
  variants: ['large batch, no warm-up', 'large batch, warm-up'],
};

const QUICK_NOTE = '> **Quick form** (test scale): 3 epochs, one seed, the two large-batch runs.\n\n';

export async function runGoyal2017(opts: ExperimentOptions): Promise<{ markdown: string; results: WarmupResults }> {
  const started = Date.now();
  const s = opts.quick ? QUICK : FULL;
  const data = fashionData({ train: s.train, heldOut: s.heldOut, standardize: false });
  const k = s.largeBatch / s.smallBatch;
  const rows: WarmupRow[] = [];
  for (const spec of VARIANTS.filter((v) => s.variants.includes(v.key))) {
    for (const seed of s.seeds) {
      const t0 = Date.now();
      setSeed(seed);
      const batchSize = spec.batch === 'small' ? s.smallBatch : s.largeBatch;
      const learningRate = spec.lr === 'scaled' ? s.baseLr * k : s.baseLr;
      // The ramp starts at the small-batch rate (Goyal et al. §2.2: from η to kη).
      const rate = spec.warmup
        ? new CosineDecay({
            initialLearningRate: s.baseLr,
            decaySteps: 1,
            alpha: 1,
            warmupTarget: learningRate,
            warmupSteps: s.warmupSteps,
          })
        : learningRate;
      const model = compileClassifier(
        mlp({ inputDim: 784, depth: s.depth, block: denseBlock(s.width, 'relu', 'he_normal'), classes: 10 }),
        new SGD({ learningRate: rate, momentum: 0.9 }),
      );
      const run = await fitEpochs(model, data.train, data.validation, { epochs: s.epochs, batchSize });
      const testAccuracy = run.diverged ? NaN : model.evaluate(data.test.x, data.test.y, { batchSize: 500 }).accuracy!;
      const row: WarmupRow = {
        variant: spec.key,
        seed,
        batchSize,
        learningRate,
        warmupSteps: spec.warmup ? s.warmupSteps : 0,
        diverged: run.diverged,
        valAccuracy: run.valAccuracy,
        testAccuracy,
      };
      rows.push(row);
      opts.log(
        `goyal2017 ${spec.key} (batch ${batchSize}, lr ${learningRate}) seed ${seed}: ` +
          `${run.diverged ? `diverged in epoch ${run.valAccuracy.length + 1}` : `test acc ${pct(testAccuracy)}`}` +
          ` (${seconds(t0)})`,
      );
    }
  }
  const results = { rows, setup: s };
  return { markdown: report(results, opts.quick, seconds(started)), results };
}

function outcome(rows: readonly WarmupRow[]): string {
  const diverged = rows.filter((r) => r.diverged).length;
  const ok = rows.filter((r) => !r.diverged).map((r) => r.testAccuracy);
  const parts: string[] = [];
  if (ok.length > 0) parts.push(range(ok, pct));
  if (diverged > 0) parts.push(`${diverged} of ${rows.length} diverged (NaN)`);
  return parts.join('; ');
}

/** Validation accuracy after epochs 1, 3 and the last, as "a / b / c" (— for a diverged epoch). */
function curve(rows: readonly WarmupRow[], epochs: number): string {
  const at = (e: number) =>
    range(rows.map((r) => r.valAccuracy[e - 1] ?? NaN).filter(Number.isFinite), (v) => fixed(v, 2)) || '—';
  return [1, 3, epochs].map((e) => (rows.every((r) => r.valAccuracy[e - 1] === undefined) ? '—' : at(e))).join(' / ');
}

function report(r: WarmupResults, quick: boolean, took: string): string {
  const s = r.setup;
  const of = (v: WarmupVariant) => r.rows.filter((x) => x.variant === v);
  const present = VARIANTS.filter((v) => of(v.key).length > 0);
  const noWarm = of('large batch, no warm-up'),
    warm = of('large batch, warm-up'),
    small = of('small batch');
  const accuracies = (xs: readonly WarmupRow[]) => xs.filter((x) => !x.diverged).map((x) => x.testAccuracy);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const diverged = (xs: readonly WarmupRow[]) => xs.filter((x) => x.diverged).length;
  const firstEpoch = (xs: readonly WarmupRow[]) => mean(xs.map((x) => x.valAccuracy[0] ?? 0.1));
  const scaledLr = s.baseLr * (s.largeBatch / s.smallBatch);
  // Goyal et al.'s claim in small: warm-up removes the early instability (no divergence, a faster first epoch).
  const reproduced =
    warm.length > 0 &&
    noWarm.length > 0 &&
    diverged(warm) === 0 &&
    (diverged(noWarm) > 0 || firstEpoch(noWarm) < firstEpoch(warm) - 0.1);
  const survivors = (xs: readonly WarmupRow[]) =>
    accuracies(xs).length > 0 ? `test accuracy ${range(accuracies(xs), pct)}` : 'none finished';
  const verdict = reproduced
    ? `**Reproduced in direction**: at batch ${s.largeBatch} and the linearly scaled rate ${scaledLr}, ` +
      `${diverged(noWarm)} of ${noWarm.length} runs without warm-up diverged (NaN) and their first epoch ended ` +
      `at validation accuracy ${fixed(firstEpoch(noWarm), 2)} on average (${survivors(noWarm)}); with a ` +
      `${s.warmupSteps}-step warm-up none of ${warm.length} diverged, the first epoch ended at ` +
      `${fixed(firstEpoch(warm), 2)} (${survivors(warm)}).` +
      (accuracies(small).length > 0 ? ` Small batch: ${survivors(small)}.` : '')
    : `**Not reproduced** at this scale: with warm-up ${diverged(warm)} of ${warm.length} runs diverged, ` +
      `without ${diverged(noWarm)} of ${noWarm.length}.`;
  const seed = s.seeds[0]!;
  const chart = linePlot(
    present.map((v) => ({
      name: v.key,
      values: Array.from({ length: s.epochs }, (_, e) => of(v.key).find((x) => x.seed === seed)?.valAccuracy[e] ?? NaN),
    })),
    { xLabel: `epoch 1 → ${s.epochs} (seed ${seed}; a diverged run stops)`, yLabel: 'validation accuracy' },
  );
  const resultsTable = table(
    ['variant', 'batch', 'lr', 'warm-up steps', `val acc after epoch 1 / 3 / ${s.epochs}`, 'test accuracy'],
    present.map((v) => {
      const xs = of(v.key);
      const first = xs[0]!;
      return [
        v.key,
        String(first.batchSize),
        String(first.learningRate),
        String(first.warmupSteps),
        curve(xs, s.epochs),
        outcome(xs),
      ];
    }),
  );
  const unscaled = of('large batch, small lr');
  const unscaledNote =
    unscaled.length > 0
      ? ` Without the scaling rule (batch ${s.largeBatch} at lr ${s.baseLr}, what "use a smaller learning rate" ` +
        `gives): ${outcome(unscaled)}.`
      : '';
  return `# Goyal et al. (2017): large-batch SGD needs a gradual warm-up

${quick ? QUICK_NOTE : ''}## Claim

Goyal, Dollár, Girshick, Noordhuis, Wesolowski, Kyrola, Tulloch, Jia, He, "Accurate, Large Minibatch SGD:
Training ImageNet in 1 Hour" (arXiv 1706.02677), §2.1–2.2: with the linear scaling rule (minibatch × k ⇒
learning rate × k), large-minibatch SGD matches small-minibatch accuracy **if** the rate is ramped up gradually
from η to kη over the first 5 epochs; without warm-up the early optimization is difficult and accuracy suffers.
Table 1 **[recalled]**: ResNet-50 on ImageNet, top-1 error 23.60% (k·n = 256) vs 24.84% (8k, no warm-up),
25.88% (8k, constant warm-up) and 23.74% (8k, gradual warm-up).

## Setup

Fashion-MNIST, ${s.train.toLocaleString('en')} training images (stratified), ${s.heldOut / 2} validation and
${s.heldOut / 2} test images from the test split, pixels in [0, 1]; 784 → ${s.depth} × Dense(${s.width}, relu,
he_normal) → Dense(10, softmax); SGD with momentum 0.9, ${s.epochs} epochs, shuffled; seeds ${s.seeds.join(', ')}.
Small batch ${s.smallBatch} at lr ${s.baseLr}; large batch ${s.largeBatch} (k = ${s.largeBatch / s.smallBatch}) at
the linearly scaled lr ${s.baseLr * (s.largeBatch / s.smallBatch)}, with and without a gradual warm-up over
${s.warmupSteps} steps from ${s.baseLr} (\`CosineDecay({ initialLearningRate: ${s.baseLr}, decaySteps: 1,
alpha: 1, warmupTarget: ${s.baseLr * (s.largeBatch / s.smallBatch)}, warmupSteps: ${s.warmupSteps} })\`, Keras 3's
linear warm-up followed by a constant rate); and large batch at the unscaled lr ${s.baseLr}. This is the doctor's
\`learning_rate_warmup\` remedy (which ramps from lr/100 over 50 steps). Scale-down: an MLP instead of ResNet-50,
k = ${s.largeBatch / s.smallBatch} instead of 32, no batch normalization.

## Results

${resultsTable}

${chart}

## Verdict

${verdict}${unscaledNote}

Took ${took}.
`;
}

export const goyal2017: Experiment<WarmupResults> = {
  name: 'goyal2017',
  title: 'Goyal et al. 2017: large-batch SGD diverges at the scaled rate without warm-up, trains with it',
  run: runGoyal2017,
};
