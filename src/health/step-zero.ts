/** Theory next to measurement at step 0: one probed training step on a batch. */
import type { Sequential } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { GradientMonitor } from './probe.js';
import { StopAfterSteps } from './stop-after.js';
import { inputMomentsOf, predictVariances, type TheoryPrediction } from './theory.js';
import type { StepRecord } from './types.js';

export interface LayerComparison {
  layer: string;
  predictedVariance: number;
  measuredVariance: number;
  /** max(p/m, m/p): 1 is exact. */
  varianceFactor: number;
  predictedGradNorm: number | null;
  measuredGradNorm: number | null;
}

export interface StepZeroComparison {
  layers: LayerComparison[];
  predictedGradRatio: number | null;
  measuredGradRatio: number | null;
  prediction: TheoryPrediction;
  measured: StepRecord;
}

function factorBetween(a: number, b: number): number {
  if (a === b) return 1;
  if (!(a > 0) || !(b > 0)) return Infinity;
  return Math.max(a / b, b / a);
}

/** Compares a prediction with a probed step-0 record, layer by layer. */
export function compareTheory(prediction: TheoryPrediction, measured: StepRecord): StepZeroComparison {
  const layers = prediction.layers.map((p, i) => {
    const m = measured.layers[i]!;
    const measuredVariance = m.std * m.std;
    return {
      layer: p.layer,
      predictedVariance: p.outputVariance,
      measuredVariance,
      varianceFactor: factorBetween(p.outputVariance, measuredVariance),
      predictedGradNorm: p.kernelGradNorm,
      measuredGradNorm: m.gradNorm,
    };
  });
  const dense = layers.filter(
    (l) =>
      l.measuredGradNorm !== null &&
      l.predictedGradNorm !== null &&
      measured.layers.find((m) => m.layer === l.layer)?.hasKernel === true,
  );
  const rawRatio = dense.length >= 2 ? dense[0]!.measuredGradNorm! / dense.at(-1)!.measuredGradNorm! : null;
  const measuredGradRatio = rawRatio === null || Number.isNaN(rawRatio) ? null : rawRatio;
  return { layers, predictedGradRatio: prediction.firstLastGradRatio, measuredGradRatio, prediction, measured };
}

/** Predicts, then trains one probed step on the first `batchSize` rows of (x, y) and compares. */
export async function theoryAtStepZero(
  model: Sequential,
  x: Tensor,
  y: Tensor,
  batchSize: number,
): Promise<StepZeroComparison> {
  const rows = Math.min(batchSize, x.shape[0]!);
  const prediction = predictVariances(
    model,
    inputMomentsOf(x.data.subarray(0, rows * (x.size / x.shape[0]!)), x.size / x.shape[0]!),
    { batchSize: rows },
  );
  const monitor = new GradientMonitor({ every: 1 });
  await model.fit(x, y, {
    epochs: 1,
    batchSize: rows,
    shuffle: false,
    verbose: 0,
    callbacks: [monitor, new StopAfterSteps(1)],
  });
  const measured = monitor.history.steps[0];
  if (measured === undefined) throw new Error('theoryAtStepZero: the probe recorded no step');
  return compareTheory(prediction, measured);
}
