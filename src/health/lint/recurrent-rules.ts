/**
 * Rules on recurrent stacks: BatchNormalization between recurrent layers (its batch statistics pool the time steps
 * of sequences whose statistics drift through time; Laurent et al. 2016, Ba et al. 2016 propose LayerNormalization
 * instead), and an ungated recurrent layer with an unbounded activation trained without gradient clipping (Pascanu
 * et al. 2013: such a recurrence explodes through time, and clipping is its remedy; Le et al. 2015 train ReLU RNNs
 * only with clipping).
 */
import { remedies } from '../remedy-catalog.js';
import { SATURATING } from '../layer-activation.js';
import type { LayerView } from './layer-view.js';
import { lintFinding, type LintRule } from './rule.js';

const names = (ls: LayerView[]) => ls.map((l) => l.name).join(', ');
const CLIP_KEYS = ['clipnorm', 'clipvalue', 'global_clipnorm', 'clipNorm', 'clipValue', 'globalClipnorm'];

export const recurrentRules: LintRule[] = [
  {
    code: 'L-RNN-BN',
    kind: 'batch_norm_in_recurrent_stack',
    title: 'no BatchNormalization inside a recurrent stack',
    check(ctx) {
      const rec = ctx.layers.filter((l) => l.recurrent !== null).map((l) => l.index);
      if (rec.length === 0) return [];
      const last = Math.max(...rec);
      const bad = ctx.layers.filter((l) => l.role === 'batch_normalization' && l.index > rec[0]! && l.index < last);
      if (bad.length === 0) return [];
      return [
        lintFinding(
          'L-RNN-BN',
          'batch_norm_in_recurrent_stack',
          'warning',
          bad,
          `${names(bad)} sits inside a recurrent stack: its statistics pool all time steps of a batch, whose ` +
            `statistics drift through time, and inference then uses averages that fit no step (Laurent et al. 2016).`,
          remedies('layer_normalization'),
        ),
      ];
    },
  },
  {
    code: 'L-RNN-UNBOUNDED-NOCLIP',
    kind: 'exploding_gradient',
    title: 'an ungated recurrent layer with an unbounded activation is trained with gradient clipping',
    check(ctx) {
      const bad = ctx.layers.filter(
        (l) => l.recurrent !== null && !l.recurrent.gated && l.activation !== null && !SATURATING.has(l.activation),
      );
      if (bad.length === 0) return [];
      const opt = ctx.compile?.optimizer;
      const config = typeof opt === 'object' && opt !== null ? ((opt.config ?? {}) as Record<string, unknown>) : {};
      if (CLIP_KEYS.some((k) => config[k] !== undefined && config[k] !== null)) return [];
      return [
        lintFinding(
          'L-RNN-UNBOUNDED-NOCLIP',
          'exploding_gradient',
          'warning',
          bad,
          `${names(bad)} applies ${bad[0]!.activation} through time without a bound and the optimizer does not ` +
            `clip: one step whose recurrent gain exceeds 1 compounds over every time step (Pascanu et al. 2013).`,
          remedies('gradient_clipping', 'orthogonal_recurrent_init', 'gated_recurrent'),
        ),
      ];
    },
  },
];
