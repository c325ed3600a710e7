/**
 * Initializer rules. The gain n_in·E[w²] of a Dense kernel sets how the signal's
 * second moment changes per layer (Glorot & Bengio 2010; He et al. 2015):
 * 1 keeps a linear/tanh layer's variance, 2 a ReLU layer's (half the units are off).
 */
import { remedies } from '../remedy-catalog.js';
import { RELU_FAMILY, SATURATING } from '../layer-activation.js';
import type { LayerView } from './layer-view.js';
import { lintFinding, type LintRule } from './rule.js';
import { THRESHOLDS } from '../thresholds.js';

const names = (ls: LayerView[]) => ls.map((l) => l.name).join(', ');
const hiddenDense = (ls: LayerView[]) => ls.filter((l) => l.role === 'weighted' && !l.isOutput);
const isRelu = (a: string | null) => a !== null && RELU_FAMILY.has(a) && a !== 'selu';

const LARGE_GAIN = THRESHOLDS.largeGain;
const SMALL_GAIN = THRESHOLDS.smallGain;

export const initRules: LintRule[] = [
  {
    code: 'L-INIT-RELU-GLOROT',
    kind: 'vanishing_gradient',
    title: 'ReLU-family layers use He initialization',
    check(ctx) {
      const bad = hiddenDense(ctx.layers).filter(
        (l) =>
          isRelu(l.effectiveActivation) && /^(Glorot|Lecun)/.test(l.kernelInit ?? '') && !l.normalizedBeforeActivation,
      );
      if (bad.length === 0) return [];
      const halving = 2 ** -(bad.length / 2);
      return [
        lintFinding(
          'L-INIT-RELU-GLOROT',
          'vanishing_gradient',
          'warning',
          bad,
          `ReLU-family layers with ${[...new Set(bad.map((l) => l.kernelInit))].join('/')} halve the signal ` +
            `variance at each layer (He et al. 2015), so ${bad.length} of them scale it by about ` +
            `${halving.toExponential(1)} in std.`,
          remedies('matching_initializer', 'batch_normalization'),
          { layers: bad.length, predictedStdFactor: halving },
        ),
      ];
    },
  },
  {
    code: 'L-INIT-SATURATING-HE',
    kind: 'saturated_activation',
    title: 'sigmoid/tanh layers use Glorot initialization',
    check(ctx) {
      const bad = hiddenDense(ctx.layers).filter(
        (l) =>
          SATURATING.has(l.effectiveActivation ?? '') &&
          /^He/.test(l.kernelInit ?? '') &&
          !l.normalizedBeforeActivation,
      );
      if (bad.length === 0) return [];
      return [
        lintFinding(
          'L-INIT-SATURATING-HE',
          'saturated_activation',
          'warning',
          bad,
          `He initialization doubles the pre-activation variance meant for ReLU, pushing ${names(bad)} (` +
            `${bad[0]!.effectiveActivation}) toward saturation; Glorot is the matching one.`,
          remedies('matching_initializer'),
        ),
      ];
    },
  },
  {
    code: 'L-INIT-LARGE',
    kind: 'exploding_gradient',
    title: 'no unit-variance random init on wide layers',
    check(ctx) {
      const bad = hiddenDense(ctx.layers).filter(
        (l) =>
          l.kernelGain !== null &&
          l.kernelGain >= LARGE_GAIN &&
          !/^(He|Glorot|Lecun|VarianceScaling)/.test(l.kernelInit ?? '') &&
          !l.normalizedBeforeActivation,
      );
      if (bad.length === 0) return [];
      const saturating = bad.some((l) => SATURATING.has(l.effectiveActivation ?? ''));
      const kind = saturating ? 'saturated_activation' : 'exploding_gradient';
      return [
        lintFinding(
          'L-INIT-LARGE',
          kind,
          bad.length >= 2 ? 'error' : 'warning',
          bad,
          `${bad[0]!.kernelInit} weights on layers ${bad.length > 1 ? 'as wide as' : 'of'} ${bad[0]!.fanIn} ` +
            `inputs give n·E[w²] = ${bad[0]!.kernelGain!.toFixed(1)} (about ` +
            `${(bad[0]!.kernelGain! / (saturating ? 1 : 2)).toFixed(0)}× the variance-preserving value), so the ` +
            `signal ${saturating ? 'saturates' : 'and the gradients grow'} layer after layer.`,
          remedies('matching_initializer', 'batch_normalization', 'gradient_clipping'),
          { gains: Object.fromEntries(bad.map((l) => [l.name, l.kernelGain])) },
        ),
      ];
    },
  },
  {
    code: 'L-INIT-SMALL',
    kind: 'vanishing_gradient',
    title: 'no tiny fixed-scale random init',
    check(ctx) {
      const bad = hiddenDense(ctx.layers).filter(
        (l) => l.kernelGain !== null && l.kernelGain <= SMALL_GAIN && !l.normalizedBeforeActivation,
      );
      if (bad.length < 2) return [];
      return [
        lintFinding(
          'L-INIT-SMALL',
          'vanishing_gradient',
          bad.length >= 4 ? 'error' : 'warning',
          bad,
          `${bad[0]!.kernelInit} weights give n·E[w²] = ${bad[0]!.kernelGain!.toFixed(3)}, so the signal and ` +
            `the gradient shrink by that factor (or less) at each of ${bad.length} layers.`,
          remedies('matching_initializer', 'batch_normalization'),
          { gains: Object.fromEntries(bad.map((l) => [l.name, l.kernelGain])) },
        ),
      ];
    },
  },
  {
    code: 'L-BIAS-NEGATIVE',
    kind: 'dying_relu',
    title: 'ReLU layers do not start with a negative bias',
    check(ctx) {
      const bad = hiddenDense(ctx.layers).filter(
        (l) => l.effectiveActivation === 'relu' && l.biasConstant !== null && l.biasConstant < 0,
      );
      if (bad.length === 0) return [];
      const b = bad[0]!.biasConstant!;
      return [
        lintFinding(
          'L-BIAS-NEGATIVE',
          'dying_relu',
          b <= -0.5 || bad.length >= 2 ? 'error' : 'warning',
          bad,
          `${bad.length} ReLU layer${bad.length > 1 ? 's start' : ' starts'} with bias ${b}: a pre-activation of ` +
            `scale about 1 shifted by ${b} is negative for most inputs, so most units output 0, pass no gradient ` +
            `and never recover (dead ReLUs).`,
          remedies('matching_initializer', 'non_saturating_activation'),
          { biasConstant: b, layers: bad.length },
        ),
      ];
    },
  },
  {
    code: 'L-ELU-ALPHA',
    kind: 'non_smooth_activation',
    title: 'ELU uses alpha = 1',
    check(ctx) {
      const bad = ctx.layers.filter(
        (l) => l.activation === 'elu' && l.activationParam !== null && l.activationParam !== 1,
      );
      if (bad.length === 0) return [];
      return [
        lintFinding(
          'L-ELU-ALPHA',
          'non_smooth_activation',
          'info',
          bad,
          `ELU with alpha ${bad[0]!.activationParam} is not differentiable at 0 (its slope jumps from alpha to ` +
            `1), which can slow gradient descent.`,
          remedies('elu_alpha_one'),
        ),
      ];
    },
  },
];
