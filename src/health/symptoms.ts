/**
 * Symptoms: detectors over a probe history. Each returns findings of one kind
 * with the numbers behind it. Thresholds and their sources: thresholds.ts.
 *
 * @example detectSymptoms(monitor.history).map((f) => f.kind)
 */
import { remedies } from './remedy-catalog.js';
import { THRESHOLDS as T } from './thresholds.js';
import { median } from '../util/median.js';
import type { Finding, LayerStepStats, ProbeHistory, Severity, StepRecord, SymptomKind } from './types.js';
import type { RemedyId } from './types.js';
import type { HeldOut } from './baseline.js';

function finding(
  kind: SymptomKind,
  code: string,
  severity: Severity,
  layers: string[],
  message: string,
  evidence: Record<string, unknown>,
  ids: RemedyId[],
  step?: number,
): Finding {
  return {
    kind,
    code,
    severity,
    layers,
    source: 'trial',
    message,
    evidence,
    remedies: remedies(...ids),
    ...(step !== undefined ? { step } : {}),
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const fmt = (x: number) =>
  Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(1) : x.toPrecision(3);

/**
 * Mean loss over the first and last tenth of the trial (at least 5 steps each),
 * and the decrease that batch-to-batch noise alone could produce (2 standard
 * errors of the difference of the two means).
 */
export function lossTrend(
  losses: readonly number[],
): { first: number; last: number; relativeDecrease: number; noise: number } | null {
  const finite = losses.filter(Number.isFinite);
  if (finite.length < 20 || finite.length < losses.length) return null;
  const w = Math.max(5, Math.floor(finite.length / 10));
  const a = finite.slice(0, w),
    b = finite.slice(-w);
  const first = mean(a),
    last = mean(b);
  const variance = (xs: number[], m: number) => xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1);
  const noise = 2 * Math.sqrt((variance(a, first) + variance(b, last)) / w);
  return { first, last, relativeDecrease: (first - last) / Math.abs(first), noise: noise / Math.abs(first) };
}

/** Layers with a kernel (Dense, and later Conv/recurrent): the gradient the depth ratio follows. */
const denseLayers = (r: StepRecord) => r.layers.filter((l) => l.hasKernel && l.gradNorm !== null);
function gradRatio(r: StepRecord): number | null {
  const d = denseLayers(r);
  if (d.length < 2) return null;
  const last = d.at(-1)!.gradNorm!;
  return last > 0 ? d[0]!.gradNorm! / last : null;
}
const perLayerGrad = (r: StepRecord) =>
  denseLayers(r).map((l) => ({
    layer: l.layer,
    gradNorm: l.gradNorm,
    kernelNorm: l.kernelNorm,
    updateRatio: l.updateRatio,
  }));

function detectNanOrInf(h: ProbeHistory): Finding[] {
  const lossStep = h.losses.findIndex((l) => !Number.isFinite(l) || l >= T.nanLoss);
  const rec = h.steps.find((r) => r.nonFinite.length > 0);
  if (lossStep < 0 && rec === undefined && h.nonFiniteStop === null) return [];
  const step = Math.min(lossStep < 0 ? Infinity : lossStep, rec?.step ?? Infinity, h.nonFiniteStop ?? Infinity);
  const what =
    rec && rec.step === step
      ? rec.nonFinite.slice(0, 4).join(', ')
      : lossStep === step
        ? `loss ${h.losses[lossStep]}`
        : 'a weight became NaN/Inf and training stopped';
  const before = h.steps.filter((r) => r.step < step).map((r) => r.globalGradNorm);
  return [
    finding(
      'nan_or_inf',
      'S-NAN',
      'error',
      rec ? rec.nonFinite.filter((s) => s.startsWith('layer:')).map((s) => s.slice(6)) : [],
      `Training produced NaN/Inf at step ${step} (${what}).`,
      {
        step,
        nonFinite: rec?.nonFinite ?? ['loss'],
        lossAtStep: h.losses[step] ?? null,
        globalGradNormsBefore: before.slice(-5),
      },
      [
        'smaller_learning_rate',
        'gradient_clipping',
        'matching_initializer',
        'batch_normalization',
        'learning_rate_warmup',
      ],
      step,
    ),
  ];
}

function detectExploding(h: ProbeHistory): Finding[] {
  const recs = h.steps.filter((r) => Number.isFinite(r.globalGradNorm));
  if (recs.length === 0) return [];
  const ratios = recs.map(gradRatio).filter((x): x is number => x !== null && Number.isFinite(x));
  const norms = recs.map((r) => r.globalGradNorm);
  const maxNorm = Math.max(...norms),
    growth = maxNorm / Math.max(1e-30, norms[0]!);
  const trend = lossTrend(h.losses);
  const lossRose = trend !== null && trend.relativeDecrease < -0.05;
  const medRatio = median(ratios);
  const reasons: string[] = [];
  if (ratios.length > 0 && medRatio > T.explodeRatio)
    reasons.push(`first/last-layer gradient ratio ${fmt(medRatio)} > ${T.explodeRatio}`);
  if (maxNorm > T.explodeGlobalNorm) reasons.push(`global gradient norm reached ${fmt(maxNorm)}`);
  if (growth > T.explodeGrowth && lossRose)
    reasons.push(`global gradient norm grew ${fmt(growth)}× while the loss rose`);
  else if (trend !== null && trend.last > T.divergeLossFactor * trend.first && growth > T.divergeGrowth) {
    reasons.push(
      `the loss diverged (${fmt(trend.first)} → ${fmt(trend.last)}) while the global gradient norm grew ` +
        `${fmt(growth)}× (steps too large for the curvature)`,
    );
  }
  if (reasons.length === 0) return [];
  const at = recs.find((r) => r.globalGradNorm === maxNorm)!;
  return [
    finding(
      'exploding_gradient',
      'S-EXPLODE',
      'error',
      denseLayers(at)
        .map((l) => l.layer)
        .slice(0, 1),
      `Exploding gradients: ${reasons.join('; ')}.`,
      { medianGradRatio: medRatio, maxGlobalGradNorm: maxNorm, growth, loss: trend, perLayer: perLayerGrad(at) },
      [
        'gradient_clipping',
        'smaller_learning_rate',
        'matching_initializer',
        'batch_normalization',
        'learning_rate_warmup',
        'max_norm',
      ],
      at.step,
    ),
  ];
}

function detectVanishing(h: ProbeHistory): Finding[] {
  const recs = h.steps.filter((r) => r.nonFinite.length === 0);
  const ratios = recs.map(gradRatio).filter((x): x is number => x !== null);
  const firsts = recs.map((r) => denseLayers(r)[0]?.gradNorm ?? NaN).filter(Number.isFinite);
  if (ratios.length === 0) return [];
  const medRatio = median(ratios),
    medFirst = median(firsts);
  if (!(medRatio < T.vanishRatio && medFirst < T.vanishFirstNorm)) return [];
  const trend = lossTrend(h.losses);
  const stalled = trend !== null && trend.relativeDecrease < 0.05;
  const r0 = recs[0]!;
  return [
    finding(
      'vanishing_gradient',
      'S-VANISH',
      stalled ? 'error' : 'warning',
      denseLayers(r0)
        .slice(0, -1)
        .map((l) => l.layer),
      `Vanishing gradients: the first layer's gradient is ${fmt(medRatio)} of the last layer's (median over ` +
        `${ratios.length} samples; below ${T.vanishRatio} counts as vanishing) and its norm is ${fmt(medFirst)}, ` +
        `so the ` +
        `first layers barely change.`,
      { medianGradRatio: medRatio, medianFirstGradNorm: medFirst, loss: trend, perLayer: perLayerGrad(r0) },
      ['matching_initializer', 'non_saturating_activation', 'batch_normalization'],
      r0.step,
    ),
  ];
}

function detectDyingRelu(h: ProbeHistory): Finding[] {
  const last = [...h.steps].reverse().find((r) => r.nonFinite.length === 0);
  if (last === undefined) return [];
  const relu = last.layers.filter((l) => l.activation === 'relu');
  if (relu.length === 0) return [];
  const meanDead = mean(relu.map((l) => l.deadFraction));
  const worst = relu.reduce((a, b) => (b.deadFraction > a.deadFraction ? b : a));
  if (!(worst.deadFraction >= T.deadLayerFraction || meanDead >= T.deadMeanFraction)) return [];
  const trend = lossTrend(h.losses);
  const severe = worst.deadFraction >= 0.95 || (trend !== null && trend.relativeDecrease < 0.05);
  const dying = relu.filter((l) => l.deadFraction >= T.deadMeanFraction);
  return [
    finding(
      'dying_relu',
      'S-DEAD-RELU',
      severe ? 'error' : 'warning',
      dying.map((l) => l.layer),
      `Dying ReLU: ${fmt(worst.deadFraction * 100)}% of ${worst.layer}'s units output 0 for the whole batch at ` +
        `step ${last.step} (mean over ReLU layers ${fmt(meanDead * 100)}%).`,
      {
        step: last.step,
        meanDeadFraction: meanDead,
        perLayer: relu.map((l: LayerStepStats) => ({ layer: l.layer, deadFraction: l.deadFraction })),
      },
      ['non_saturating_activation', 'matching_initializer', 'smaller_learning_rate', 'batch_normalization'],
      last.step,
    ),
  ];
}

function detectSaturation(h: ProbeHistory): Finding[] {
  const recs = h.steps.filter((r) => r.nonFinite.length === 0);
  if (recs.length === 0) return [];
  const late = recs.slice(Math.floor(recs.length / 2));
  const names = recs[0]!.layers.filter((l) => l.saturatedFraction !== null).map((l) => l.layer);
  const perLayer = names.map((name) => ({
    layer: name,
    saturatedFraction: mean(late.map((r) => r.layers.find((l) => l.layer === name)?.saturatedFraction ?? 0)),
  }));
  const bad = perLayer.filter((l) => l.saturatedFraction >= T.saturatedFraction);
  if (bad.length === 0) return [];
  const trend = lossTrend(h.losses);
  const stalled = trend !== null && trend.relativeDecrease < 0.05;
  const worst = bad.reduce((a, b) => (b.saturatedFraction > a.saturatedFraction ? b : a));
  return [
    finding(
      'saturated_activation',
      'S-SATURATED',
      stalled ? 'error' : 'warning',
      bad.map((l) => l.layer),
      `Saturated activations: ${bad.length} layer(s) keep ≥ ${T.saturatedFraction * 100}% of outputs in the ` +
        `flat tails (worst ${worst.layer}: ${fmt(worst.saturatedFraction * 100)}%).`,
      { perLayer, loss: trend },
      ['matching_initializer', 'non_saturating_activation', 'batch_normalization'],
      late[0]!.step,
    ),
  ];
}

function detectBrokenSelfNormalization(h: ProbeHistory): Finding[] {
  const r0 = h.steps.find((r) => r.nonFinite.length === 0);
  if (r0 === undefined) return [];
  const selu = r0.layers.filter((l) => l.activation === 'selu');
  if (selu.length < 2) return [];
  const [lo, hi] = T.seluVarianceRange;
  const off = selu.filter((l) => Math.abs(l.mean) > T.seluMeanBound || l.std ** 2 < lo || l.std ** 2 > hi);
  if (off.length < Math.max(1, Math.ceil(selu.length / 4))) return [];
  return [
    finding(
      'broken_self_normalization',
      'S-SELU-DRIFT',
      'warning',
      off.map((l) => l.layer),
      `SELU layers left the fixed point (mean 0, variance 1): ${off.length} of ${selu.length} have |mean| > ` +
        `${T.seluMeanBound} or variance outside [${lo}, ${hi}] at step ${r0.step} (deepest: mean ` +
        `${fmt(off.at(-1)!.mean)}, variance ${fmt(off.at(-1)!.std ** 2)}).`,
      { step: r0.step, perLayer: selu.map((l) => ({ layer: l.layer, mean: l.mean, variance: l.std ** 2 })) },
      ['self_normalizing', 'matching_initializer', 'alpha_dropout'],
      r0.step,
    ),
  ];
}

/** What the symptom detectors know besides the probe's history. */
export interface SymptomContext {
  /** The trial's held-out verdict (validation split, inference mode, against chance). */
  heldOut?: HeldOut | null;
  /** The trial's batch size. */
  batchSize?: number;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** "loss 1.39 against 1.39 for a model that ignores its inputs (chance ln 4 = 1.39), accuracy 25.3% vs 26.0%". */
export function heldOutText(v: HeldOut): string {
  const b = v.baseline;
  const chance =
    b.task === 'regression'
      ? `the variance of the targets, ${fmt(b.chance)}`
      : `chance ln ${b.numClasses} = ${fmt(b.chance)}`;
  const trivial = b.task === 'regression' ? 'always predicting the training mean' : 'predicting the class frequencies';
  const acc =
    v.accuracy !== null && b.accuracy !== null
      ? `; accuracy ${pct(v.accuracy)} against ${pct(b.accuracy)} for always answering the most frequent class`
      : '';
  return `held-out loss ${fmt(v.loss)} against ${fmt(b.loss)} for ${trivial} (${chance})${acc}`;
}

function detectLossNotDecreasing(h: ProbeHistory, ctx: SymptomContext = {}): Finding[] {
  const trend = lossTrend(h.losses);
  const v = ctx.heldOut ?? null;
  if (v !== null && v.atChance) {
    const fell = trend !== null && trend.relativeDecrease >= Math.max(T.minLossDecrease, trend.noise);
    // Fell to the trivial baseline and agrees with it in inference mode: it has learned the average answer and
    // not yet anything from the inputs (a slow task, e.g. the adding problem), rather than failing.
    const slow = fell && trend.last <= T.baselineMatch * v.baseline.loss;
    return [
      finding(
        'loss_not_decreasing',
        'S-CHANCE',
        slow ? 'warning' : 'error',
        [],
        `The network does no better than chance on data it did not train on: after ${h.losses.length} steps, ` +
          `${heldOutText(v)}` +
          (slow
            ? `; the training loss fell ${fmt(trend.first)} → ${fmt(trend.last)}, to about the baseline: so far it ` +
              `has learned the average answer, not yet anything from the inputs.`
            : fell
              ? `, even though the training loss fell ${fmt(trend.first)} → ${fmt(trend.last)} (what it learns in ` +
                `training mode does not carry over to inference).`
              : '.'),
        { ...(trend ?? {}), steps: h.losses.length, heldOut: v, trainingLossFell: fell },
        fell && !slow
          ? ['lower_dropout', 'remove_misplaced_batch_norm', 'matching_initializer']
          : ['larger_learning_rate', 'matching_initializer', 'adam_optimizer'],
      ),
    ];
  }
  if (trend === null || trend.relativeDecrease >= Math.max(T.minLossDecrease, trend.noise)) return [];
  // Learned early and plateaued: the held-out loss is well below the trivial baseline's.
  if (v !== null && v.lossRatio < T.learnedLossRatio) return [];
  const rising = trend.relativeDecrease < -Math.max(T.minLossDecrease, trend.noise);
  return [
    finding(
      'loss_not_decreasing',
      'S-LOSS-FLAT',
      'error',
      [],
      `The training loss did not go down: ${fmt(trend.first)} over the first tenth of ${h.losses.length} steps, ` +
        `${fmt(trend.last)} over the last (${fmt(trend.relativeDecrease * 100)}%; a change smaller than ` +
        `${T.minLossDecrease * 100}% or than the batch-to-batch noise, ${fmt(trend.noise * 100)}%, is no progress)` +
        (v !== null ? `; ${heldOutText(v)}.` : '.'),
      { ...trend, steps: h.losses.length, ...(v !== null ? { heldOut: v } : {}) },
      rising
        ? ['smaller_learning_rate', 'gradient_clipping', 'batch_normalization']
        : ['larger_learning_rate', 'matching_initializer', 'batch_normalization'],
    ),
  ];
}

/**
 * Unstable training (AUTOTRAINER's "unstable" symptom): the batch loss swings widely (its coefficient of variation
 * over the second half above T.oscillationCv) with no downward trend, and the held-out loss is not clearly better
 * than chance. Steps too large for the noise of small batches (e.g. SGD momentum 0.9 at batch size 1).
 */
function detectOscillating(h: ProbeHistory, ctx: SymptomContext = {}): Finding[] {
  const trend = lossTrend(h.losses);
  if (trend === null || trend.relativeDecrease >= Math.max(T.minLossDecrease, trend.noise)) return [];
  const v = ctx.heldOut ?? null;
  if (v !== null && v.lossRatio < T.oscillationLossRatio) return [];
  const late = h.losses.slice(Math.floor(h.losses.length / 2));
  const m = mean(late);
  const sd = Math.sqrt(mean(late.map((l) => (l - m) ** 2)));
  const cv = sd / Math.max(1e-12, Math.abs(m));
  if (!(cv > T.oscillationCv)) return [];
  return [
    finding(
      'oscillating_loss',
      'S-OSCILLATE',
      'error',
      [],
      `The loss swings without going down: over the last ${late.length} steps it averages ${fmt(m)} with a ` +
        `standard deviation of ${fmt(sd)} (${fmt(cv * 100)}% of it), and the first and last tenth differ by ` +
        `${fmt(trend.relativeDecrease * 100)}%` +
        `${ctx.batchSize !== undefined ? ` (batch size ${ctx.batchSize})` : ''}` +
        (v !== null ? `; ${heldOutText(v)}.` : '.'),
      { coefficientOfVariation: cv, lateMean: m, lateStd: sd, ...trend, batchSize: ctx.batchSize ?? null },
      ['smaller_learning_rate', 'larger_batch', 'adam_optimizer'],
    ),
  ];
}

/**
 * Through time (Pascanu et al. 2013): for each recurrent layer, the median over the sampled steps of
 * ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖. The gradient reaching the first step is the last step's
 * times T − 1 recurrent Jacobians, so a ratio ≫ 1 is exploding and ≪ 1 vanishing through time. The
 * span named is the steps whose norm is beyond the threshold's factor of the last step's.
 */
function detectThroughTime(h: ProbeHistory): Finding[] {
  const recs = h.steps.filter((r) => r.nonFinite.length === 0);
  const names = [...new Set(recs.flatMap((r) => r.layers.filter((l) => l.gradNormsThroughTime).map((l) => l.layer)))];
  const out: Finding[] = [];
  const trend = lossTrend(h.losses);
  const stalled = trend !== null && trend.relativeDecrease < 0.05;
  for (const name of names) {
    const series = recs
      .map((r) => ({ step: r.step, norms: r.layers.find((l) => l.layer === name)?.gradNormsThroughTime }))
      .filter((s): s is { step: number; norms: number[] } => s.norms !== undefined && s.norms.length >= 2);
    const ratios = series
      .map((s) => s.norms[0]! / s.norms.at(-1)!)
      .filter((x) => Number.isFinite(x) || x === Infinity)
      .filter((x) => !Number.isNaN(x));
    if (ratios.length === 0) continue;
    const med = median(ratios);
    const len = series[0]!.norms.length;
    const perStep = Math.pow(med, 1 / (len - 1));
    const first = series[0]!;
    const evidence = {
      medianRatio: med,
      perStepFactor: perStep,
      timesteps: len,
      samples: ratios.length,
      normsThroughTime: first.norms,
      loss: trend,
    };
    const span = (beyond: (v: number) => boolean) => {
      const last = first.norms.at(-1)!;
      let k = -1;
      first.norms.forEach((v, t) => {
        if (beyond(v / last)) k = t;
      });
      return k;
    };
    if (med > T.explodeTimeRatio) {
      const k = span((q) => q > T.explodeTimeRatio);
      out.push(
        finding(
          'exploding_gradient',
          'S-EXPLODE-TIME',
          'error',
          [name],
          `Exploding gradients through time in ${name}: ‖∂L/∂h_0‖ is ${fmt(med)}× ` +
            `‖∂L/∂h_${len - 1}‖ (median over ` +
            `${ratios.length} samples; ×${fmt(perStep)} per step back), beyond ${T.explodeTimeRatio}× for steps ` +
            `t = 0…${Math.max(0, k)} of ${len}.`,
          { ...evidence, span: [0, Math.max(0, k)] },
          [
            'gradient_clipping',
            'orthogonal_recurrent_init',
            'gated_recurrent',
            'layer_normalization',
            'smaller_learning_rate',
          ],
          first.step,
        ),
      );
    } else if (med < T.vanishTimeRatio) {
      const k = span((q) => q < T.vanishTimeRatio);
      // A gated layer (LSTM, GRU) trains its gates to carry the gradient: a small ratio at the start is reported
      // for information; in an ungated one it is what the layer is stuck with.
      const gated = recs.some((r) => r.layers.find((l) => l.layer === name)?.gated === true);
      out.push(
        finding(
          'vanishing_gradient',
          'S-VANISH-TIME',
          gated ? 'info' : stalled ? 'error' : 'warning',
          [name],
          `Vanishing gradients through time in ${name}: ‖∂L/∂h_0‖ is ${fmt(med)} of ` +
            `‖∂L/∂h_${len - 1}‖ (median over ` +
            `${ratios.length} samples; ×${fmt(perStep)} per step back): steps t = 0…${Math.max(0, k)} ` +
            `of ${len} get ` +
            `less than ${T.vanishTimeRatio} of the last step's gradient, so what they saw is not learned.`,
          { ...evidence, span: [0, Math.max(0, k)] },
          ['gated_recurrent', 'orthogonal_recurrent_init', 'layer_normalization'],
          first.step,
        ),
      );
    }
  }
  return out;
}

const DETECTORS: ((h: ProbeHistory, ctx: SymptomContext) => Finding[])[] = [
  detectNanOrInf,
  detectExploding,
  detectVanishing,
  detectDyingRelu,
  detectSaturation,
  detectBrokenSelfNormalization,
  detectLossNotDecreasing,
  detectOscillating,
  detectThroughTime,
];

/** All symptoms in a history. A loss that is not decreasing is reported only when no other symptom explains it. */
export function detectSymptoms(h: ProbeHistory, ctx: SymptomContext = {}): Finding[] {
  const found = DETECTORS.flatMap((d) => d(h, ctx));
  const nan = found.some((f) => f.kind === 'nan_or_inf');
  const oscillating = found.some((f) => f.kind === 'oscillating_loss');
  return found.filter(
    (f) =>
      !(nan && (f.kind === 'loss_not_decreasing' || f.kind === 'oscillating_loss')) &&
      !(oscillating && f.code === 'S-LOSS-FLAT'),
  );
}
