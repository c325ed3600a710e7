/**
 * Data lint: rules on the training data a config loads (before any training). Features whose scales spread over
 * orders of magnitude, or that are far from unit scale where they meet saturating units, and regression targets far
 * from unit scale: initializers (Glorot, He, LeCun) assume inputs of mean 0 and variance about 1 (LeCun et al. 1998,
 * "Efficient BackProp" §4.3), and a network's output starts near 0.
 *
 * @example dataFindings(config, trialData(config).loaded).map((f) => f.code)
 */
import type { RunConfig } from '../../run-config/run-config.js';
import type { LoadedData } from '../../run-config/data-spec.js';
import { remedies } from '../remedy-catalog.js';
import { SATURATING } from '../layer-activation.js';
import { viewLayers } from './layer-view.js';
import { lossNameOf, taskOf } from '../baseline.js';
import type { Finding } from '../types.js';

/** [ours] Thresholds of the data rules. */
export const DATA_THRESHOLDS = {
  /** RMS of the largest feature / RMS of the smallest (non-constant) one. */
  scaleSpread: 100,
  /** ... counted only when the largest feature's RMS is at least this (pixels in [0, 1], blank borders: fine). */
  spreadMinScale: 3,
  /** RMS of a feature above which it is unscaled. */
  largeScale: 20,
  /** RMS of a feature above which saturating first-layer units are pinned. */
  saturatingScale: 4,
  /** Regression targets: RMS above this. */
  targetScale: 30,
};

const fmt = (x: number) =>
  Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(1) : x.toPrecision(3);

function finding(code: string, message: string, evidence: Record<string, unknown>, ids: Parameters<typeof remedies>) {
  const f: Finding = {
    kind: 'unscaled_data',
    code,
    severity: 'error',
    layers: [],
    source: 'data',
    message,
    evidence,
    remedies: remedies(...ids),
  };
  return f;
}

/** Root mean square of each feature over the examples. */
function featureRms(x: Float32Array, n: number): Float64Array {
  const f = x.length / n;
  const sq = new Float64Array(f);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) sq[j]! += x[i * f + j]! ** 2 / n;
  return sq.map(Math.sqrt);
}

export function dataFindings(config: RunConfig, data: LoadedData): Finding[] {
  const out: Finding[] = [];
  const n = data.x.shape[0] ?? 0;
  if (n === 0) return out;
  const T = DATA_THRESHOLDS;
  if (!data.standardized && data.inputShape.length === 1) {
    const rms = featureRms(data.x.data, n);
    const live = Array.from(rms).filter((r) => r > 1e-12);
    if (live.length > 0) {
      const hi = Math.max(...live),
        lo = Math.min(...live);
      const worst = Array.from(rms).indexOf(hi);
      const views = viewLayers(config.layers, config.data);
      const first = views.find((v) => v.role === 'weighted');
      const act = first?.effectiveActivation ?? null;
      const saturating = first !== undefined && !first.isOutput && act !== null && SATURATING.has(act);
      const evidence = { largestFeatureRms: hi, smallestFeatureRms: lo, spread: hi / lo, feature: worst };
      if ((hi / lo >= T.scaleSpread && hi >= T.spreadMinScale) || hi >= T.largeScale)
        out.push(
          finding(
            'D-FEATURE-SCALE',
            `The input features are not on a common scale: their root mean squares range from ${fmt(lo)} to ` +
              `${fmt(hi)} (feature ${worst}), ${fmt(hi / lo)}× apart; the initial weights assume inputs of about ` +
              `unit scale, so the large features swamp the first layer and its gradients while the small ones are ` +
              `barely learned.`,
            evidence,
            ['standardize_inputs'],
          ),
        );
      else if (saturating && hi >= T.saturatingScale)
        out.push(
          finding(
            'D-SATURATING-INPUT',
            `Inputs of scale up to ${fmt(hi)} (root mean square) feed ${act} units in ${first!.name}: their ` +
              `pre-activations land in the flat tails of ${act}, where the gradient is nearly 0.`,
            { ...evidence, activation: act },
            ['standardize_inputs'],
          ),
        );
    }
  }
  const lossName = lossNameOf(config.compile.loss);
  if (taskOf(lossName) === 'regression' && data.inputShape.length >= 1) {
    let sq = 0,
      mean = 0;
    for (const t of data.y.data) {
      sq += (t * t) / n;
      mean += t / n;
    }
    const rms = Math.sqrt(sq);
    if (rms >= T.targetScale)
      out.push(
        finding(
          'D-TARGET-SCALE',
          `The regression targets are large (mean ${fmt(mean)}, root mean square ${fmt(rms)}) while the ` +
            `network's output starts near 0: the squared error starts near ${fmt(sq)}, and its gradients are ` +
            `hundreds of times larger than the initialization and learning rate expect (or, with a small enough ` +
            `rate, reaching the targets takes very long).`,
          { targetMean: mean, targetRms: rms, loss: lossName },
          ['standardize_targets'],
        ),
      );
  }
  return out;
}
