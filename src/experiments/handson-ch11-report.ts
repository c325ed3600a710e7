/** The Markdown report of the handson-ch11 experiment. */
import { fixed, pct, table } from './lib/format.js';
import { linePlot } from './lib/text-chart.js';
import type { HandsonResults } from './handson-ch11.js';

/** Géron's CIFAR-10 validation accuracies, 2nd ed. (ELU) / 3rd ed. (Swish) [src: official notebooks, paper-results.md
 * §6.1]. */
const GERON: Record<string, string> = {
  'b-elu-he': '47.6% / 46.8%',
  'c-bn': '54.0% / 50.7%',
  'd-selu': '47.9% / 50.3%',
  'e-alpha-dropout': '48.9% / 48.1%',
};

export function handsonReport(r: HandsonResults, o: { quick: boolean; took: string }): string {
  const s = r.scale;
  const rows = r.steps.map((x) => [
    x.label,
    String(x.lr),
    `${x.epochsRun} (best ${x.bestEpoch})`,
    pct(x.bestValAccuracy),
    pct(x.test.accuracy),
    fixed(x.test.nll),
    fixed(x.test.ece),
    `${x.secondsPerEpoch.toFixed(1)} s`,
    GERON[x.key] ?? '—',
  ]);
  const mc = r.mc;
  const best = [...r.steps].sort((a, b) => b.bestValAccuracy - a.bestValAccuracy)[0]!;
  const fastest = [...r.steps].sort((a, b) => a.secondsPerEpoch - b.secondsPerEpoch)[0]!;
  const mcGain = mc.test.accuracy - mc.deterministic.accuracy;
  const quickNote = o.quick
    ? '> **Quick form** (test scale): the teacher task (32 features, 4 classes) instead of Fashion-MNIST, ' +
      '20 × 64 units, 3 epochs.\n\n'
    : '';
  const dataSetup =
    s.data === 'teacher'
      ? 'Teacher task'
      : `Fashion-MNIST: a stratified ${s.train}-image training subset (the exercise: 45,000 CIFAR-10 images), ` +
        '5,000 held-out test images for validation / early stopping and 5,000 more for the test metrics';
  const stepHeader = ['step', 'Nadam lr', 'epochs run', 'best val acc', 'test acc', 'test NLL', 'test ECE'];
  const header = [...stepHeader, 'time / epoch', 'Géron CIFAR-10 val acc (2nd / 3rd ed.)'];
  return (
    `# Géron, *Hands-On Machine Learning*, ch. 11 exercise, on Fashion-MNIST

${quickNote}## Claim

The chapter's recipe for training a deep (20 × 100) network: He init + ELU + Nadam with early stopping trains; adding
BatchNormalization converges in fewer epochs to a better model (slower per epoch); SELU + LeCun-normal with standardized
inputs self-normalizes and is the fastest per epoch; AlphaDropout regularizes a SELU network; MC dropout (averaging
predictions with dropout active) gives a free ensemble — on CIFAR-10 Géron found it **did not** help accuracy.

## Source

Géron, *Hands-On Machine Learning*, 2nd/3rd ed., ch. 11, exercise 8 (CIFAR-10) **[src: official notebooks, ` +
    `docs/paper-results.md §6.1]**.
Géron's numbers are CIFAR-10 validation accuracies and are shown only for orientation: the data set differs.

## Setup

* ${dataSetup}.
* ${s.data === 'teacher' ? s.width : 100}-unit hidden layers × 20, Dense(${s.data === 'teacher' ? 4 : 10}, ` +
    `softmax); Nadam; batch ${s.batch}; EarlyStopping(val_loss, patience ${s.patience}, restore best weights), ` +
    `at most ${s.maxEpochs} epochs
  (the exercise: patience 20, 100 epochs). Learning rates: Géron's for (c) 5e-4, (d) 7e-4, (e) 5e-4; (b) uses ` +
    `5e-4 instead of his 5e-5, which needs far more epochs than this budget.
* (c) BN after the input and between each Dense (no bias) and its ELU. (d)/(e) inputs standardized per pixel on ` +
    `the training subset.
* (f) MC dropout: ${mc.samples} predictions of model (e) with AlphaDropout active, averaged (as in the ` +
    `exercise). Calibration:
  expected calibration error (15 equal-width bins; Guo et al. 2017) and negative log-likelihood on the test images.

## Results

${table(header, rows)}

${table(
  ['(f) MC AlphaDropout', 'test acc', 'test NLL', 'test ECE'],
  [
    ['(e) deterministic', pct(mc.deterministic.accuracy), fixed(mc.deterministic.nll), fixed(mc.deterministic.ece)],
    [`(e) MC, ${mc.samples} samples`, pct(mc.test.accuracy), fixed(mc.test.nll), fixed(mc.test.ece)],
  ],
)}

MC vs deterministic argmax agreement ${pct(mc.agreement)}; mean per-class std across samples ` +
    `${fixed(mc.meanStd, 4)}. Géron: MC AlphaDropout 48.9% → 48.92% (2nd ed.), 49.84% (3rd ed.): no gain.

${linePlot(
  r.steps.map((x) => ({ name: x.label.slice(0, 3), values: x.valAccuracy })),
  { xLabel: 'epoch', yLabel: 'validation accuracy' },
)}

## Verdict

* Every step trains a 20-layer network (best val acc ` +
    `${r.steps.map((x) => `${x.label.slice(0, 3)} ${pct(x.bestValAccuracy)}`).join(', ')}).
* Best validation accuracy: ${best.label} (${pct(best.bestValAccuracy)}); Géron's best was (c) BN. Fastest per ` +
    `epoch: ${fastest.label} (${fastest.secondsPerEpoch.toFixed(1)} s; Géron: SELU fastest, BN slowest).
* MC dropout: accuracy ${mcGain >= 0 ? '+' : ''}${(mcGain * 100).toFixed(2)} points, NLL ` +
    `${fixed(mc.deterministic.nll)} → ${fixed(mc.test.nll)}, ECE ${fixed(mc.deterministic.ece)} → ` +
    `${fixed(mc.test.ece)}. ${Math.abs(mcGain) < 0.01 ? 'As in Géron, no real accuracy gain.' : ''}

Run time: ${o.took}. Reproduce: \`keel experiment handson-ch11${o.quick ? ' --quick' : ''}\`.
`
  );
}
