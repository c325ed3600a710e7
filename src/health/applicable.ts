/**
 * Remedies that suit the model at hand: a finding's remedy list is written for any network, but advice the model
 * already follows (clip gradients, on an optimizer that clips) or that does not suit it (BatchNormalization in a
 * recurrent stack, where LayerNormalization is the cure) reads as a contradiction. Those are dropped.
 *
 * @example applicableTo(model)(findings)
 */
import type { Model } from '../nn/functional.js';
import type { Finding, RemedyId } from './types.js';

/** The remedies this model rules out: those it already has, and those that do not suit its layers. */
export function ruledOut(model: Model): Set<RemedyId> {
  const out = new Set<RemedyId>();
  const opt = model.compiled?.optimizer;
  if (opt && (opt.globalClipnorm !== null || opt.clipnorm !== null || opt.clipvalue !== null))
    out.add('gradient_clipping');
  if (model.layers.some((l) => l.doctorFacts().role === 'recurrent')) out.add('batch_normalization');
  return out;
}

/** The findings with the remedies this model rules out removed (the findings themselves are kept). */
export function applicableTo(model: Model): (findings: Finding[]) => Finding[] {
  const out = ruledOut(model);
  return (findings) =>
    out.size === 0 ? findings : findings.map((f) => ({ ...f, remedies: f.remedies.filter((r) => !out.has(r.id)) }));
}
