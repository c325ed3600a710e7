/** Rules on BatchNormalization placement and deep saturating stacks. */
import { remedies } from '../remedy-catalog.js';
import { SATURATING } from '../layer-activation.js';
import type { LayerView } from './layer-view.js';
import { lintFinding, type LintRule } from './rule.js';
import { THRESHOLDS } from '../thresholds.js';

const names = (ls: LayerView[]) => ls.map((l) => l.name).join(', ');

const { sigmoidDepth: SIGMOID_DEPTH, tanhDepth: TANH_DEPTH } = THRESHOLDS;

export const normalizationRules: LintRule[] = [
  {
    code: 'L-BIAS-BEFORE-BN',
    kind: 'redundant_bias',
    title: 'a Dense feeding BatchNormalization has no bias',
    check(ctx) {
      const bad = ctx.layers.filter(
        (l, i) => l.role === 'weighted' && l.useBias && ctx.layers[i + 1]?.role === 'batch_normalization',
      );
      if (bad.length === 0) return [];
      return [
        lintFinding(
          'L-BIAS-BEFORE-BN',
          'redundant_bias',
          'info',
          bad,
          `The bias of ${names(bad)} is cancelled by the BatchNormalization that follows (it subtracts the ` +
            `batch mean; its beta is the offset), so it is a wasted parameter.`,
          remedies('remove_bias_before_batch_norm'),
        ),
      ];
    },
  },
  {
    code: 'L-DROPOUT-BEFORE-BN',
    kind: 'variance_shift',
    title: 'no Dropout before BatchNormalization',
    check(ctx) {
      const firstDropout = ctx.layers.findIndex((l) => l.role === 'dropout');
      if (firstDropout < 0) return [];
      const bns = ctx.layers.filter((l) => l.role === 'batch_normalization' && l.index > firstDropout);
      if (bns.length === 0) return [];
      return [
        lintFinding(
          'L-DROPOUT-BEFORE-BN',
          'variance_shift',
          'warning',
          [ctx.layers[firstDropout]!, ...bns],
          `Dropout (${ctx.layers[firstDropout]!.name}) feeds BatchNormalization (${names(bns)}): its variance ` +
            `differs between training and inference, so the moving statistics are wrong at test time (Li et al. ` +
            `2019, variance shift).`,
          remedies('dropout_after_batch_norm'),
        ),
      ];
    },
  },
  {
    code: 'L-DEEP-SATURATING',
    kind: 'vanishing_gradient',
    title: 'deep sigmoid/tanh stacks need normalization',
    check(ctx) {
      if (ctx.layers.some((l) => l.role === 'batch_normalization')) return [];
      const hidden = ctx.layers.filter((l) => !l.isOutput && l.activation !== null && SATURATING.has(l.activation));
      const sigmoid = hidden.filter(
        (l) => l.activation === 'sigmoid' || l.activation?.startsWith('hard_sigmoid') === true,
      );
      if (sigmoid.length >= SIGMOID_DEPTH) {
        return [
          lintFinding(
            'L-DEEP-SATURATING',
            'vanishing_gradient',
            'error',
            sigmoid,
            `${sigmoid.length} sigmoid layers without normalization: sigmoid′ ≤ 1/4 and its non-zero mean ` +
              `saturate the top layers, so the gradient reaching the first layers vanishes (Glorot & Bengio 2010).`,
            remedies('non_saturating_activation', 'batch_normalization'),
            { depth: sigmoid.length },
          ),
        ];
      }
      if (hidden.length >= TANH_DEPTH) {
        return [
          lintFinding(
            'L-DEEP-SATURATING',
            'vanishing_gradient',
            'warning',
            hidden,
            `${hidden.length} saturating layers without normalization: tanh layers saturate one after another ` +
              `and the gradient shrinks toward the input (Glorot & Bengio 2010).`,
            remedies('batch_normalization', 'non_saturating_activation'),
            { depth: hidden.length },
          ),
        ];
      }
      return [];
    },
  },
];
