/**
 * Trains a small model on generated data with a checkpoint every few batches,
 * resuming from the checkpoint in <dir>/ckpt if there is one. Used by
 * test/interop/checkpoint-crash.test.ts, which SIGKILLs it when it reports a
 * (seeded random) batch number.
 *
 *   node --import tsx test/helpers/train-with-checkpoint.ts <dir> [epochs] [saveFreq]
 *
 * [saveFreq] is a number of batches or 'epoch'.
 * Prints "resume <epoch> <step>" or "fresh", then "training", then "epoch <e>" as each epoch begins (0-based)
 * and "batch <n>" as each batch ends (n counts the batches run by this process, from 1; printed before the
 * checkpoint callback, so a kill on it can land while a checkpoint is being written),
 * and at the end writes the final weights (float32, getWeights order) to
 * <dir>/final.bin atomically.
 */
import { join } from 'node:path';
import { Sequential, layers, setSeed, Random, Tensor } from '../../src/index.js';
import { AdamW, Nadam, schedules } from '../../src/nn/optimizers/index.js';
import { EarlyStopping, ReduceLROnPlateau, type Callback } from '../../src/nn/callbacks.js';
import { ModelCheckpoint, loadCheckpoint, hasCheckpoint } from '../../src/nn/checkpoint/index.js';
import { writeFileAtomic } from '../../src/nn/serialization/atomic.js';
import type { FitResume } from '../../src/nn/training.js';

export function makeData(samples: number, features: number): { x: Tensor; y: Tensor } {
  const rng = new Random(123);
  const x = new Float32Array(samples * features),
    y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    let s = 0;
    for (let j = 0; j < features; j++) {
      const v = rng.normal();
      x[i * features + j] = v;
      s += v * ((j % 3) - 1);
    }
    y[i] = s > 0.5 ? 2 : s < -0.5 ? 0 : 1;
  }
  return { x: new Tensor(x, [samples, features]), y: new Tensor(y, [samples]) };
}

/**
 * The variants the crash test runs: 'nadam' (the default), 'adamw-schedule' (AdamW with weight decay on a
 * CosineDecay schedule with warm-up, an L2 kernel regularizer and a max-norm constraint, EarlyStopping) and
 * 'adamw-plateau' (AdamW with ReduceLROnPlateau reducing the rate mid-run).
 */
export type Variant = 'nadam' | 'adamw-schedule' | 'adamw-plateau';

function optimizerFor(variant: Variant): Nadam | AdamW {
  if (variant === 'nadam') return new Nadam({ learningRate: 0.003 });
  if (variant === 'adamw-plateau') return new AdamW({ learningRate: 0.003, weightDecay: 0.01 });
  const schedule = new schedules.CosineDecay({
    initialLearningRate: 0.0003,
    decaySteps: 200,
    warmupTarget: 0.003,
    warmupSteps: 40,
  });
  return new AdamW({ learningRate: schedule, weightDecay: 0.01 });
}

/** The variant's callbacks besides the checkpoint writer (their state travels in the checkpoints). */
export function callbacksFor(variant: Variant): Callback[] {
  if (variant === 'adamw-plateau')
    return [new ReduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 0.05 })];
  if (variant === 'adamw-schedule')
    return [new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })];
  return [];
}

export function makeModel(features: number, variant: Variant = 'nadam'): Sequential {
  const regularized = variant === 'adamw-schedule' ? { kernelRegularizer: 'l2', kernelConstraint: 'max_norm' } : {};
  const model = new Sequential([
    new layers.Dense(48, { inputShape: [features], kernelInitializer: 'he_normal' }),
    new layers.BatchNormalization(),
    new layers.PReLU(),
    new layers.Dropout(0.3),
    new layers.Dense(48, { activation: 'selu', kernelInitializer: 'lecun_normal', ...regularized }),
    new layers.AlphaDropout(0.1),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({
    optimizer: optimizerFor(variant),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error('usage: train-with-checkpoint.ts <dir> [epochs] [saveFreq]');
  const epochs = Number(process.argv[3] ?? 4),
    saveFreq = process.argv[4] === 'epoch' ? 'epoch' : Number(process.argv[4] ?? 3);
  const variant = (process.argv[5] ?? 'nadam') as Variant;
  setSeed(42);
  const features = 16;
  const { x, y } = makeData(1200, features);
  const model = makeModel(features, variant);
  const extra = callbacksFor(variant);
  const ckptDir = join(dir, 'ckpt');
  let resume: FitResume | null = null;
  if (await hasCheckpoint(ckptDir)) {
    resume = (await loadCheckpoint(ckptDir, model, { callbacks: extra })).resume;
    console.log(`resume ${resume?.epoch} ${resume?.step}`);
  } else console.log('fresh');
  console.log('training');
  // Batches counted over the whole run (a resumed process continues the count), so kill points spread over it.
  let batches = resume === null ? 0 : resume.epoch * resume.stepsPerEpoch + resume.step;
  const report = {
    // Printed when an epoch begins: the previous epoch's checkpoint is complete (a kill here lands between epochs).
    onEpochBegin: (epoch: number) => {
      console.log(`epoch ${epoch}`);
    },
    onBatchEnd: () => {
      batches++;
      console.log(`batch ${batches}`);
    },
  };
  const history = await model.fit(x, y, {
    epochs,
    batchSize: 32,
    validationSplit: 0.1,
    verbose: 0,
    resumeFrom: resume,
    callbacks: [report, ...extra, new ModelCheckpoint({ filepath: ckptDir, saveFreq })],
  });
  const weights = model.getWeights();
  const out = new Float32Array(weights.reduce((n, w) => n + w.size, 0));
  let off = 0;
  for (const w of weights) {
    out.set(w.data, off);
    off += w.size;
  }
  await writeFileAtomic(join(dir, 'final.bin'), new Uint8Array(out.buffer));
  await writeFileAtomic(join(dir, 'history.json'), JSON.stringify(history.toJSON()));
  console.log('done');
}

if (process.argv[1]?.endsWith('train-with-checkpoint.ts')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
