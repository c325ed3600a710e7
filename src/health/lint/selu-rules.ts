/**
 * The seed's SELU self-normalization conditions (Klambauer et al. 2017 §3;
 * Géron ch. 11), one rule each: selu everywhere, Dense only, no skip
 * connections, lecun_normal, standardized inputs, no BatchNormalization,
 * AlphaDropout rather than Dropout. They apply once a model uses SELU.
 */
import { remedies } from '../remedy-catalog.js';
import { isHidden, type LayerView } from './layer-view.js';
import { lintFinding, type LintContext, type LintRule } from './rule.js';

const KIND = 'broken_self_normalization' as const;

function rule(
  code: string,
  title: string,
  pick: (ctx: LintContext) => LayerView[] | null,
  message: (layers: LayerView[]) => string,
  severity: 'warning' | 'info' = 'warning',
): LintRule {
  return {
    code,
    kind: KIND,
    title,
    check(ctx) {
      if (!ctx.usesSelu) return [];
      const layers = pick(ctx);
      if (layers === null) return [];
      return [
        lintFinding(code, KIND, severity, layers, message(layers), remedies('self_normalizing', 'alpha_dropout')),
      ];
    },
  };
}

const names = (ls: LayerView[]) => ls.map((l) => l.name).join(', ');
const some = (ls: LayerView[]) => (ls.length > 0 ? ls : null);

export const seluRules: LintRule[] = [
  rule(
    'L-SELU-EVERYWHERE',
    'every hidden layer of a SELU network uses selu',
    (ctx) =>
      some(
        ctx.layers.filter(
          (l) =>
            isHidden(l) &&
            l.activation !== null &&
            l.activation !== 'selu' &&
            !(l.role === 'weighted' && l.activation === 'linear' && l.effectiveActivation === 'selu'),
        ),
      ),
    (ls) =>
      `Self-normalization needs selu on every hidden layer, but ${names(ls)} use ` +
      `${[...new Set(ls.map((l) => l.activation))].join('/')}.`,
  ),
  rule(
    'L-SELU-DENSE-ONLY',
    'a SELU network is made of fully connected layers',
    (ctx) => some(ctx.layers.filter((l) => !l.fullyConnected && l.role !== 'merge')),
    (ls) =>
      `The self-normalization proof covers fully connected layers only; ${names(ls)} (` +
      `${ls.map((l) => (l.unknown ? `${l.className}, unknown to Keel` : l.className)).join('; ')}) ` +
      `${ls.length === 1 ? 'is' : 'are'} not known to be.`,
  ),
  rule(
    'L-SELU-NO-SKIP',
    'a SELU network has no skip connections',
    (ctx) => some(ctx.layers.filter((l) => l.role === 'merge')),
    (ls) =>
      `Skip connections (${names(ls)}) add activations together, so layer outputs stop being mean 0 / variance 1.`,
  ),
  {
    code: 'L-SELU-INIT',
    kind: KIND,
    title: 'SELU layers use lecun_normal',
    check(ctx) {
      if (!ctx.usesSelu) return [];
      const selu = ctx.layers.filter(
        (l) => l.role === 'weighted' && l.effectiveActivation === 'selu' && l.kernelInit !== 'LecunNormal',
      );
      if (selu.length === 0) return [];
      const onlyUniform = selu.every((l) => l.kernelInit === 'LecunUniform');
      return [
        lintFinding(
          'L-SELU-INIT',
          KIND,
          onlyUniform ? 'info' : 'warning',
          selu,
          `SELU's fixed point (mean 0, variance 1) needs weights with E[w]=0 and n·Var[w]=1 (lecun_normal), but ` +
            `${names(selu)} use ${[...new Set(selu.map((l) => l.kernelInit))].join('/')}.`,
          remedies('matching_initializer', 'self_normalizing'),
          { gains: Object.fromEntries(selu.map((l) => [l.name, l.kernelGain])) },
        ),
      ];
    },
  },
  rule(
    'L-SELU-INPUTS',
    'a SELU network gets standardized inputs',
    (ctx) =>
      ctx.data === undefined || ctx.data.standardize === true || ctx.data.dataset === 'teacher'
        ? null
        : [ctx.layers[0]!],
    () =>
      'Self-normalization starts from inputs with mean 0 and variance 1, but the data is not standardized (set ' +
      '"standardize": true).',
  ),
  rule(
    'L-SELU-NO-BN',
    'a SELU network has no BatchNormalization',
    (ctx) => some(ctx.layers.filter((l) => l.role === 'batch_normalization')),
    (ls) =>
      `BatchNormalization (${names(ls)}) is not needed with SELU and breaks the self-normalizing map between layers.`,
  ),
  rule(
    'L-SELU-ALPHA-DROPOUT',
    'a SELU network uses AlphaDropout, not Dropout',
    (ctx) => some(ctx.layers.filter((l) => l.role === 'dropout')),
    (ls) =>
      `Dropout (${names(ls)}) zeroes units and rescales by 1/(1−rate), shifting SELU's mean and variance; ` +
      `AlphaDropout keeps them.`,
  ),
];
