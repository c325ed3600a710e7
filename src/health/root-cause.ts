/**
 * The root-cause model: of all findings, one is the primary cause (the mistake to fix first), the others are its
 * consequences (symptoms the trial measured that follow from it) or separate matters. Each finding gets, in plain
 * words, why it stops the network from learning and the one change to make first; remedies that contradict the
 * primary cause (a larger learning rate next to dead units, say) are dropped from the others.
 *
 * @example const d = rootCause(findings); d.primary?.code; d.text
 */
import type { Finding, FindingKind, RemedyId } from './types.js';

/**
 * How close to the root a kind is (lower: more a cause, less a symptom). A mistake in the model's ending or the
 * data comes before how the weights start, which comes before what the trial saw happen.
 */
const CAUSE_RANK: Record<FindingKind, number> = {
  output_loss_mismatch: 0,
  batch_norm_misuse: 1,
  unscaled_data: 2,
  excessive_dropout: 3,
  broken_self_normalization: 4,
  exploding_gradient: 5,
  nan_or_inf: 5,
  oscillating_loss: 5,
  dying_relu: 6,
  vanishing_gradient: 6,
  saturated_activation: 6,
  loss_not_decreasing: 9,
  variance_shift: 7,
  batch_norm_in_recurrent_stack: 7,
  non_smooth_activation: 8,
  redundant_bias: 8,
  unknown_layer: 8,
};

const SOURCE_RANK = { data: 0, lint: 0, theory: 1, trial: 2 } as const;

/** Why each kind stops learning, in plain words (the glossary in docs/doctor.md says the same). */
export const WHY: Record<FindingKind, string> = {
  output_loss_mismatch:
    'the loss compares the outputs with the targets assuming a particular output (probabilities for a ' +
    'cross-entropy, any number for a squared error); a mismatched output gives a loss whose gradient is zero or ' +
    'points the wrong way, so the weights get no useful signal.',
  batch_norm_misuse:
    'BatchNormalization normalizes with statistics of the current batch; after the output or with batches of one ' +
    'or two examples those statistics erase the signal, or differ completely between training and testing.',
  unscaled_data:
    'initial weights are sized for inputs and targets of about unit scale; far larger ones make the first ' +
    'layer saturate or its gradients dominate, and the learning rate that suits one feature is wrong for another.',
  excessive_dropout:
    'each training step sees only the few units dropout leaves, so the signal reaching the output is mostly ' +
    'noise and what is learned does not hold once every unit is back at test time.',
  broken_self_normalization:
    'SELU keeps each layer at mean 0 and variance 1 only under its conditions; outside them the activations drift ' +
    'layer by layer until gradients vanish or explode.',
  dying_relu:
    'a ReLU unit whose input is negative for every example outputs 0 and passes back a zero gradient, so it never ' +
    'changes again: the network loses that capacity for good.',
  vanishing_gradient:
    'the gradient shrinks at each layer on its way back, so the first layers barely move and the network ' +
    'learns, if at all, only in its last layers.',
  exploding_gradient:
    'the gradient grows at each layer (or step) on its way back, so updates are huge and training jumps around or ' +
    'breaks.',
  saturated_activation:
    'sigmoid and tanh are flat far from 0; units pinned there have a derivative near 0, so almost no gradient ' +
    'passes through them.',
  nan_or_inf:
    'once a number overflows to infinity or NaN every weight it touches becomes NaN, and training cannot continue.',
  oscillating_loss:
    'each step overshoots: the loss jumps up and down instead of going down, because the steps are too large for ' +
    'the noise of small batches.',
  loss_not_decreasing:
    'after the trial the network is no better than a guess that ignores its inputs; whatever stops the gradient ' +
    'from improving it is the thing to fix.',
  variance_shift:
    'layers behave differently in training and at test time, so the statistics learned in training are wrong when ' +
    'the model is used.',
  batch_norm_in_recurrent_stack:
    'batch statistics pooled over time steps mix steps whose statistics differ, which destabilizes the recurrence.',
  non_smooth_activation: 'a kink in the activation makes gradient descent zig-zag around it.',
  redundant_bias: 'a wasted parameter; harmless for learning.',
  unknown_layer: 'the doctor cannot reason about a layer it does not know.',
};

/** Remedies that undo each other. */
const OPPOSITE: [RemedyId, RemedyId][] = [
  ['larger_learning_rate', 'smaller_learning_rate'],
  ['batch_normalization', 'remove_misplaced_batch_norm'],
];

/**
 * A remedy contradicts the primary cause when it undoes one of the primary's remedies, or when it raises the
 * learning rate while the primary cause is not a too-small learning rate (gradients that vanish, units that die,
 * a broken output or data: a larger step only amplifies the damage).
 */
export function contradicts(remedy: RemedyId, primary: Finding): boolean {
  const mine = new Set(primary.remedies.map((r) => r.id));
  if (OPPOSITE.some(([a, b]) => (remedy === a && mine.has(b)) || (remedy === b && mine.has(a)))) return true;
  return remedy === 'larger_learning_rate' && !mine.has('larger_learning_rate');
}

export interface RootCause {
  primary: Finding | null;
  consequences: Finding[];
  independent: Finding[];
  /** Three sentences for a student: what is wrong, why it stops learning, the one change to make first. */
  text: string;
}

const serious = (f: Finding) => f.severity !== 'info';
/**
 * Kinds first, then sources. Among the gradient kinds (rank ≥ 5) a static finding names a cause (the initializer,
 * the bias) and comes a step ahead; of trial symptoms, too-large steps (exploding, NaN, oscillating) come before the
 * dead, saturated or vanishing units they leave behind.
 */
const rank = (f: Finding) =>
  CAUSE_RANK[f.kind] * 10 + SOURCE_RANK[f.source] - (CAUSE_RANK[f.kind] >= 5 && f.source !== 'trial' ? 10 : 0);

/**
 * Ranks findings (in place: role, causedBy, why, firstChange and remedies are set) and returns the primary cause.
 * The primary is the most root-like error (a warning if there is no error); a static finding (lint, data, theory)
 * of the same kind as a trial error names that error's cause, so it is preferred.
 */
export function rootCause(findings: Finding[]): RootCause {
  const pool = findings.filter((f) => f.severity === 'error');
  const candidates = pool.length > 0 ? pool : findings.filter(serious);
  let primary = [...candidates].sort((a, b) => rank(a) - rank(b))[0] ?? null;
  if (primary !== null && primary.source === 'trial') {
    const named = findings
      .filter((f) => serious(f) && f.source !== 'trial' && f.kind === primary!.kind)
      .sort((a, b) => rank(a) - rank(b))[0];
    if (named !== undefined) primary = named;
  }
  const consequences: Finding[] = [],
    independent: Finding[] = [];
  for (const f of findings) {
    f.why = WHY[f.kind];
    if (f === primary) {
      f.role = 'primary';
      f.firstChange = f.remedies[0]?.fix;
      continue;
    }
    if (primary !== null) f.remedies = f.remedies.filter((r) => !contradicts(r.id, primary!));
    const follows =
      primary !== null &&
      serious(f) &&
      (f.source === 'trial' || f.kind === primary.kind || f.kind === 'loss_not_decreasing');
    if (follows) {
      f.role = 'consequence';
      f.causedBy = primary!.code;
      f.firstChange = `fix the primary cause first (${primary!.code}): ${primary!.remedies[0]?.fix ?? 'see it'}`;
      consequences.push(f);
    } else {
      f.role = 'independent';
      f.firstChange = f.remedies[0]?.fix;
      independent.push(f);
    }
  }
  return { primary, consequences, independent, text: primary === null ? '' : plainText(primary, consequences) };
}

function plainText(p: Finding, consequences: Finding[]): string {
  const also = consequences.length
    ? ` It explains ${consequences.length === 1 ? 'the other finding' : `${consequences.length} other findings`} ` +
      `(${[...new Set(consequences.map((c) => c.kind.replace(/_/g, ' ')))].join(', ')}).`
    : '';
  const first = p.remedies[0]?.fix;
  return (
    `What is wrong: ${p.message}${also}\nWhy it stops learning: ${WHY[p.kind]}\n` +
    `Change this first: ${first ?? 'see the finding'}.`
  );
}
