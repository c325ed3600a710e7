/**
 * The theory through time (Pascanu, Mikolov & Bengio 2013 §2; mean field as in Chen, Pennington &
 * Schoenholz 2018): for an ungated recurrence h_t = f(x_t·W + h_{t−1}·U + b),
 * ∂L/∂h_{t−1} = Uᵀ·(f′(z_t) ⊙ ∂L/∂h_t), so each step back multiplies the gradient's squared norm
 * by χ_t = u·E[U²]·E[f′(z_t)²]. √(u·E[U²]) = ‖U‖_F/√u is the recurrent kernel's RMS singular value:
 * the spectral radius itself for an orthogonal U (1) and, by the circular law, for an i.i.d. one.
 * z_t's variance follows q_t = n·E[W²]·E[x²] + E[b²] + u·E[U²]·E[f(z_{t−1})²]. The prediction is
 * ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖ = √(χ_1·…·χ_{T−1}) at initialization, which the probe then
 * measures.
 * Gated layers (LSTM, GRU) are not predicted: their cell path's gain is learned (it says so).
 */
import type { Model } from '../nn/functional.js';
import type { Layer } from '../nn/layers/layer.js';
import { ActivationCode } from '../kernels/backend.js';
import { MOMENT_TOOLS, type InputMoments } from './theory.js';
import { remedies } from './remedy-catalog.js';
import { THRESHOLDS } from './thresholds.js';
import type { Finding } from './types.js';

export interface ThroughTimePrediction {
  layer: string;
  className: string;
  /** Gated layers are not predicted. */
  gated: boolean;
  timesteps: number;
  /** ‖U‖_F/√u: the recurrent kernel's RMS singular value (its spectral radius when orthogonal or i.i.d.). */
  recurrentGain: number | null;
  /** E[f′(z)²] at the last step's pre-activation variance. */
  derivativeSecondMoment: number | null;
  /** The predicted ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖, or null (gated, or an activation without moments). */
  ratio: number | null;
}

function meanSquare(d: Float32Array): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return d.length > 0 ? s / d.length : 0;
}

function weightOf(layer: Layer, name: string): Float32Array | null {
  return layer.weights.find((w) => w.name === `${layer.name}/${name}`)?.data ?? null;
}

/** Predictions for every recurrent layer of a built model; `input` holds the data's moments (first layer). */
export function predictThroughTime(model: Model, input: InputMoments): ThroughTimePrediction[] {
  const out: ThroughTimePrediction[] = [];
  model.layers.forEach((layer, i) => {
    const facts = layer.doctorFacts();
    if (facts.recurrent === undefined || layer.builtInputShape === null) return;
    const T = layer.builtInputShape[0]!;
    const base = { layer: layer.name, className: layer.className, gated: facts.recurrent.gated, timesteps: T };
    const u = weightOf(layer, 'recurrent_kernel'),
      w = weightOf(layer, 'kernel'),
      b = weightOf(layer, 'bias');
    const spec = layer.activationSpec();
    if (facts.recurrent.gated || u === null || w === null || spec === null || spec.code === 'softmax') {
      out.push({ ...base, recurrentGain: null, derivativeSecondMoment: null, ratio: null });
      return;
    }
    const units = Math.round(Math.sqrt(u.length));
    const n = w.length / units;
    const sU = meanSquare(u);
    const qIn = n * meanSquare(w) * (i === 0 ? input.secondMoment : 1) + (b === null ? 0 : meanSquare(b));
    const act = { code: spec.code as ActivationCode, param: spec.param };
    let h2 = 0,
      logChi = 0,
      d2 = 0;
    for (let t = 0; t < T; t++) {
      const q = Math.max(1e-30, qIn + units * sU * h2);
      const m = MOMENT_TOOLS.activation(act, 0, q, 0);
      h2 = m.secondMoment;
      d2 = m.derivativeSecondMoment;
      if (t > 0) logChi += Math.log(Math.max(1e-300, units * sU * d2));
    }
    out.push({
      ...base,
      recurrentGain: Math.sqrt(units * sU),
      derivativeSecondMoment: d2,
      ratio: Math.exp(logChi / 2),
    });
  });
  return out;
}

const fmt = (x: number) => (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(1) : x.toPrecision(3));

/** Warnings from the predictions (the trial confirms or not). */
export function throughTimeFindings(predictions: readonly ThroughTimePrediction[]): Finding[] {
  const out: Finding[] = [];
  for (const p of predictions) {
    if (p.ratio === null) continue;
    const exploding = p.ratio > THRESHOLDS.explodeTimeRatio,
      vanishing = p.ratio < THRESHOLDS.vanishTimeRatio;
    if (!exploding && !vanishing) continue;
    const perStep = Math.pow(p.ratio, 1 / Math.max(1, p.timesteps - 1));
    out.push({
      kind: exploding ? 'exploding_gradient' : 'vanishing_gradient',
      code: exploding ? 'T-EXPLODE-TIME' : 'T-VANISH-TIME',
      severity: 'warning',
      layers: [p.layer],
      source: 'theory',
      message:
        `Predicted ${exploding ? 'exploding' : 'vanishing'} gradients through time in ${p.layer}: the recurrent ` +
        `kernel's RMS singular value ${fmt(p.recurrentGain!)} and E[f′²] = ${fmt(p.derivativeSecondMoment!)} give ` +
        `×${fmt(perStep)} per step back, so ‖∂L/∂h_0‖ ≈ ${fmt(p.ratio)} × ` +
        `‖∂L/∂h_${p.timesteps - 1}‖ at the start.`,
      evidence: { ...p, perStepFactor: perStep },
      remedies: exploding
        ? remedies('gradient_clipping', 'orthogonal_recurrent_init', 'gated_recurrent', 'smaller_learning_rate')
        : remedies('gated_recurrent', 'orthogonal_recurrent_init', 'layer_normalization'),
    });
  }
  return out;
}
