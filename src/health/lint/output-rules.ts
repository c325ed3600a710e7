/**
 * Rules on the output layer and the layers around it: the output activation must suit the loss (softmax over K ≥ 2
 * units for the categorical cross-entropies, one sigmoid unit for binary cross-entropy, no bounded or one-sided
 * output for a class score), softmax belongs to the output only, BatchNormalization neither after the output nor on
 * batches of a few examples, and dropout must leave a layer enough units.
 */
import { remedies } from '../remedy-catalog.js';
import type { LayerView } from './layer-view.js';
import { lintFinding, type LintContext, type LintRule } from './rule.js';
import { taskOf } from '../baseline.js';
import { lossNameOf } from '../baseline.js';

const names = (ls: LayerView[]) => ls.map((l) => l.name).join(', ');

/** The output layer and the activation its output meets (its own, or an Activation layer after it). */
function outputOf(ctx: LintContext): { layer: LayerView; activation: string } | null {
  const out = ctx.layers.find((l) => l.isOutput);
  if (out === undefined) return null;
  return { layer: out, activation: out.effectiveActivation ?? out.activation ?? 'linear' };
}

const lossName = (ctx: LintContext) => (ctx.compile ? lossNameOf(ctx.compile.loss) : null);

/** Minimum examples per batch for BatchNormalization's batch statistics (below: error at 1, warning below this). */
export const MIN_BN_BATCH = 8;
/** Dropout: expected surviving units of a layer below this count, or a rate at or above MAX_DROPOUT. [ours] */
const MIN_KEPT_UNITS = 4;
const MAX_DROPOUT = 0.8;

export const outputRules: LintRule[] = [
  {
    code: 'L-OUT-LOSS',
    kind: 'output_loss_mismatch',
    title: "the output layer's activation suits the loss",
    check(ctx) {
      const out = outputOf(ctx);
      const name = lossName(ctx);
      if (out === null || name === null) return [];
      const task = taskOf(name);
      const logits = ctx.compile?.from_logits === true;
      const units = out.layer.units;
      const act = out.activation;
      const lossText = name;
      let problem: string | null = null;
      let severity: 'error' | 'warning' = 'error';
      if (act === 'softmax' && units === 1)
        problem =
          `softmax over a single unit always outputs exactly 1, so the loss is constant and every gradient is ` +
          `exactly 0: nothing can learn`;
      else if (task === 'classification' && !logits && act !== 'softmax') {
        if (act === 'sigmoid') {
          problem =
            `${lossText} expects a probability distribution over the classes (softmax), but sigmoid scores each ` +
            `class on its own, so the outputs do not sum to 1 and the loss misjudges them`;
          severity = 'warning';
        } else
          problem =
            `${lossText} reads the outputs as class probabilities, but ${act} outputs can be negative, above 1 or ` +
            `exactly 0, where the cross-entropy is clipped and its gradient is 0`;
      } else if (task === 'binary' && !logits && act !== 'sigmoid' && act !== 'softmax')
        problem =
          `binary_crossentropy reads the output as a probability in (0, 1), but ${act} outputs leave that range, ` +
          `where the loss is clipped and its gradient is 0`;
      else if (task === 'regression' && (act === 'softmax' || act === 'sigmoid' || act === 'tanh'))
        problem = `a ${act} output is bounded, so it cannot reach regression targets outside its range`;
      if (problem === null) return [];
      return [
        lintFinding(
          'L-OUT-LOSS',
          'output_loss_mismatch',
          severity,
          [out.layer],
          `The output layer ${out.layer.name} (${act}, ${units ?? '?'} unit${units === 1 ? '' : 's'}) does not suit ` +
            `the loss: ${problem}.`,
          remedies('fix_output_layer'),
          { outputActivation: act, outputUnits: units, loss: name, fromLogits: logits },
        ),
      ];
    },
  },
  {
    code: 'L-SOFTMAX-HIDDEN',
    kind: 'output_loss_mismatch',
    title: 'softmax only in the output layer',
    check(ctx) {
      const bad = ctx.layers.filter((l) => !l.isOutput && l.activation === 'softmax' && !isAfterOutput(ctx, l));
      if (bad.length === 0) return [];
      return [
        lintFinding(
          'L-SOFTMAX-HIDDEN',
          'output_loss_mismatch',
          'error',
          bad,
          `Softmax in hidden layer${bad.length > 1 ? 's' : ''} ${names(bad)}: it squeezes the whole layer into ` +
            `values that sum to 1 (each about 1/width), so the next layer sees a tiny signal and the gradient ` +
            `through it is smaller still; softmax belongs to the output layer.`,
          remedies('fix_output_layer'),
          { layers: bad.length },
        ),
      ];
    },
  },
  {
    code: 'L-BN-AFTER-OUTPUT',
    kind: 'batch_norm_misuse',
    title: 'no BatchNormalization after the output layer',
    check(ctx) {
      const bad = ctx.layers.filter((l) => l.role === 'batch_normalization' && isAfterOutput(ctx, l));
      if (bad.length === 0) return [];
      return [
        lintFinding(
          'L-BN-AFTER-OUTPUT',
          'batch_norm_misuse',
          'error',
          bad,
          `BatchNormalization (${names(bad)}) comes after the output layer: it rescales the predictions by batch ` +
            `statistics in training and by its moving averages at test time, so what the network outputs is not ` +
            `what the loss trained.`,
          remedies('remove_misplaced_batch_norm'),
        ),
      ];
    },
  },
  {
    code: 'L-BN-TINY-BATCH',
    kind: 'batch_norm_misuse',
    title: 'BatchNormalization needs batches of several examples',
    check(ctx) {
      const bs = ctx.batchSize;
      if (bs === undefined || bs >= MIN_BN_BATCH) return [];
      const bn = ctx.layers.filter((l) => l.role === 'batch_normalization');
      if (bn.length === 0) return [];
      return [
        lintFinding(
          'L-BN-TINY-BATCH',
          'batch_norm_misuse',
          bs <= 2 ? 'error' : 'warning',
          bn,
          bs === 1
            ? `BatchNormalization with batch size 1: each feature minus its batch mean is exactly 0, so in ` +
                `training every normalized output is just beta, and the layers before it get no gradient.`
            : `BatchNormalization with batch size ${bs}: mean and variance of ${bs} examples are too noisy to ` +
                `normalize by, and they differ from the moving averages used at test time.`,
          remedies('larger_batch', 'remove_misplaced_batch_norm'),
          { batchSize: bs },
        ),
      ];
    },
  },
  {
    code: 'L-DROPOUT-RATE',
    kind: 'excessive_dropout',
    title: 'dropout leaves each layer enough units',
    check(ctx) {
      const bad: { view: LayerView; kept: number }[] = [];
      ctx.layers.forEach((l, i) => {
        if (l.role !== 'dropout' || l.rate === null) return;
        const before = ctx.layers
          .slice(0, i)
          .reverse()
          .find((v) => v.units !== null);
        const width = before?.units ?? null;
        const kept = width === null ? Infinity : (1 - l.rate) * width;
        if (l.rate >= MAX_DROPOUT || kept < MIN_KEPT_UNITS) bad.push({ view: l, kept });
      });
      if (bad.length === 0) return [];
      const worst = bad.reduce((a, b) => ((b.view.rate ?? 0) > (a.view.rate ?? 0) ? b : a));
      return [
        lintFinding(
          'L-DROPOUT-RATE',
          'excessive_dropout',
          'error',
          bad.map((b) => b.view),
          `Dropout rate ${worst.view.rate} in ${names(bad.map((b) => b.view))} keeps ` +
            `${keptText(worst.kept, worst.view.rate!)} ` +
            `per example: the signal is mostly noise in training, and the network learns little that holds at ` +
            `test time.`,
          remedies('lower_dropout'),
          { rate: worst.view.rate, keptUnits: Number.isFinite(worst.kept) ? worst.kept : null },
        ),
      ];
    },
  },
];

function isAfterOutput(ctx: LintContext, l: LayerView): boolean {
  const out = ctx.layers.find((v) => v.isOutput);
  return out !== undefined && l.index > out.index;
}

function keptText(kept: number, rate: number): string {
  return Number.isFinite(kept) ? `about ${kept.toFixed(1)} units` : `${((1 - rate) * 100).toFixed(0)}% of the units`;
}
