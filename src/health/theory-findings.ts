/**
 * Findings the variance theory predicts before training (severity warning:
 * the trial confirms or not). Thresholds: AUTOTRAINER's β1 = 1e-3 applied to
 * the predicted first/last gradient ratio; a 10⁴ change of the forward
 * variance across the hidden layers [ours].
 */
import { remedies } from './remedy-catalog.js';
import { THRESHOLDS } from './thresholds.js';
import type { TheoryPrediction } from './theory.js';
import type { Finding } from './types.js';

const FORWARD_DRIFT = THRESHOLDS.forwardDrift;

export function theoryFindings(t: TheoryPrediction): Finding[] {
  const out: Finding[] = [];
  if (t.unknown.length > 0) {
    const named = t.unknown.map((u) => `${u.layer} (${u.className})`).join(', ');
    out.push({
      kind: 'unknown_layer',
      code: 'T-UNKNOWN-LAYER',
      severity: 'info',
      layers: t.unknown.map((u) => u.layer),
      source: 'theory',
      message:
        `The variance theory has no moment rule for ${named}, so it predicts nothing from there on (and ` +
        `no gradients); it does not guess. The trial still measures every layer.`,
      evidence: { unknown: t.unknown },
      remedies: [],
    });
  }
  const hidden = t.layers.filter((l) => l.kernelGradNorm !== null).slice(0, -1);
  const ratio = t.firstLastGradRatio;
  const evidence = {
    predictedGradRatio: ratio,
    perLayer: t.layers.map((l) => ({ layer: l.layer, variance: l.outputVariance, kernelGradNorm: l.kernelGradNorm })),
  };
  const weightedCount = t.layers.filter((l) => l.kernelGradNorm !== null).length;
  const deepPlain = t.skipConnections.length === 0 && weightedCount >= THRESHOLDS.residualDepth;
  if (ratio !== null && ratio < THRESHOLDS.vanishRatio) {
    out.push({
      kind: 'vanishing_gradient',
      code: 'T-VANISH',
      severity: 'warning',
      layers: hidden.map((l) => l.layer),
      source: 'theory',
      message:
        `Variance propagation predicts the first layer's gradient at ${ratio.toExponential(1)} of the ` +
        `last layer's at initialization.`,
      evidence,
      remedies: remedies(
        'matching_initializer',
        'non_saturating_activation',
        'batch_normalization',
        ...(deepPlain ? (['residual_connections'] as const) : []),
      ),
    });
  }
  if (hidden.length >= 2) {
    const drift = hidden.at(-1)!.outputVariance / Math.max(1e-300, hidden[0]!.outputVariance);
    if (drift > FORWARD_DRIFT || drift < 1 / FORWARD_DRIFT) {
      const grows = drift > 1;
      out.push({
        kind: grows ? 'exploding_gradient' : 'vanishing_gradient',
        code: grows ? 'T-FORWARD-GROWS' : 'T-FORWARD-SHRINKS',
        severity: 'warning',
        layers: [hidden[0]!.layer, hidden.at(-1)!.layer],
        source: 'theory',
        message:
          `Variance propagation predicts the activation variance to ${grows ? 'grow' : 'shrink'} ` +
          `${drift.toExponential(1)}× from ${hidden[0]!.layer} to ${hidden.at(-1)!.layer}.`,
        evidence,
        remedies: remedies('matching_initializer', 'batch_normalization'),
      });
    }
  }
  return out;
}
