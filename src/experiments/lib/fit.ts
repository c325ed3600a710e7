/** Compiling and epoch-based fitting on tensor splits, with per-epoch validation. */
import type { Sequential } from '../../nn/model.js';
import type { Optimizer } from '../../nn/optimizers/index.js';
import type { CallbackLike } from '../../nn/callbacks.js';
import type { TensorSplit } from './teacher.js';

export function compileClassifier(model: Sequential, optimizer: Optimizer): Sequential {
  model.compile({ optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

export interface EpochRun {
  trainLoss: number[];
  valLoss: number[];
  valAccuracy: number[];
  /** Loss of every training batch. */
  batchLosses: number[];
  epochs: number;
  diverged: boolean;
  seconds: number;
}

export async function fitEpochs(
  model: Sequential,
  train: TensorSplit,
  validation: TensorSplit,
  opts: { epochs: number; batchSize: number; callbacks?: CallbackLike[] },
): Promise<EpochRun> {
  const started = Date.now();
  const batchLosses: number[] = [];
  const recorder: CallbackLike = {
    onBatchEnd: (_b, logs) => {
      batchLosses.push(logs?.batch_loss ?? NaN);
    },
  };
  const history = await model.fit(train.x, train.y, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    verbose: 0,
    validationData: [validation.x, validation.y],
    callbacks: [recorder, ...(opts.callbacks ?? [])],
  });
  const h = history.history;
  return {
    trainLoss: h.loss ?? [],
    valLoss: h.val_loss ?? [],
    valAccuracy: h.val_accuracy ?? [],
    batchLosses,
    epochs: (h.loss ?? []).length,
    diverged: history.nonFinite !== null,
    seconds: (Date.now() - started) / 1000,
  };
}

/** First epoch (1-based) whose validation accuracy reaches `target`, or null. */
export function epochsToReach(valAccuracy: readonly number[], target: number): number | null {
  const i = valAccuracy.findIndex((a) => a >= target);
  return i < 0 ? null : i + 1;
}
