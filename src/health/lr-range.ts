/**
 * The learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training Neural Networks" §3.3): train a
 * fresh copy of the model for a few dozen steps while the learning rate grows log-linearly from tiny to large, and
 * watch the (smoothed) loss: it stays flat while the rate is too small, falls, then blows up. A rate a tenth of the
 * one at the lowest smoothed loss is a safe choice (the fall's steep part).
 *
 * @example const r = await lrRangeTest(config); r.suggested // e.g. 0.003
 */
import { buildModel, type RunConfig } from '../run-config/run-config.js';
import { Callback } from '../nn/callbacks.js';
import { trialData } from './trial.js';
import { StopAfterSteps } from './stop-after.js';

export interface LrRangeResult {
  /** Learning rate of each step, and its batch loss. */
  rates: number[];
  losses: number[];
  /** A tenth of the rate at the lowest smoothed loss; null when the loss never fell below its start. */
  suggested: number | null;
}

export interface LrRangeOptions {
  steps?: number;
  from?: number;
  to?: number;
}

/** Sets the optimizer's rate before each batch, from `from` to `to` log-spaced over `steps`. */
class RangeSweep extends Callback {
  readonly rates: number[] = [];
  readonly losses: number[] = [];
  constructor(private readonly at: (i: number) => number) {
    super();
  }
  override onBatchBegin(batch: number): void {
    const opt = (this.model as { compiled?: { optimizer: OptimizerLike } | null } | null)?.compiled?.optimizer;
    if (opt === undefined) return;
    const lr = this.at(this.rates.length);
    if (opt.learningRateSchedule !== null)
      opt.learningRateScale = lr / Math.max(1e-30, opt.learningRateSchedule.call(0));
    else opt.learningRate = lr;
    this.rates.push(lr);
    void batch;
  }
  override onBatchEnd(_batch: number, logs: Record<string, number> = {}): void {
    const loss = logs.batch_loss ?? logs.loss;
    this.losses.push(loss ?? NaN);
    if (!Number.isFinite(loss ?? NaN) && this.model !== null) this.model.stopTraining = true;
  }
}

interface OptimizerLike {
  learningRate: number;
  learningRateScale: number;
  learningRateSchedule: { call(step: number): number } | null;
}

/** Runs the range test on a config's trial data (a fresh model, seeded as the config says). */
export async function lrRangeTest(config: RunConfig, opts: LrRangeOptions = {}): Promise<LrRangeResult> {
  const steps = opts.steps ?? 80,
    from = opts.from ?? 1e-5,
    to = opts.to ?? 10;
  const data = trialData(config);
  const model = buildModel(config, data.inputShape);
  const sweep = new RangeSweep((i) => from * Math.pow(to / from, Math.min(i, steps - 1) / (steps - 1)));
  const batchSize = Math.min(config.fit.batch_size, data.x.shape[0]!);
  const perEpoch = Math.ceil(data.x.shape[0]! / batchSize);
  try {
    await model.fit(data.x, data.y, {
      epochs: Math.ceil(steps / perEpoch),
      batchSize,
      verbose: 0,
      callbacks: [sweep, new StopAfterSteps(steps)],
    });
  } catch {
    // A rate that breaks training ends the sweep; what was recorded before it stands.
  }
  return { rates: sweep.rates, losses: sweep.losses, suggested: suggestRate(sweep.rates, sweep.losses) };
}

/**
 * A tenth of the rate at the lowest smoothed loss (exponential moving average, β = 0.8, bias-corrected), the sweep
 * read up to where the smoothed loss exceeds 4× its minimum; null if the minimum is not 10% below the start.
 */
export function suggestRate(rates: readonly number[], losses: readonly number[]): number | null {
  let avg = 0,
    best = Infinity,
    bestAt = -1,
    first = NaN;
  for (let i = 0; i < losses.length; i++) {
    const l = losses[i]!;
    if (!Number.isFinite(l)) break;
    avg = 0.8 * avg + 0.2 * l;
    const smooth = avg / (1 - 0.8 ** (i + 1));
    if (i === 0) first = smooth;
    if (smooth > 4 * best) break;
    if (smooth < best) {
      best = smooth;
      bestAt = i;
    }
  }
  if (bestAt < 0 || !(best < 0.9 * first)) return null;
  return rates[bestAt]! / 10;
}
