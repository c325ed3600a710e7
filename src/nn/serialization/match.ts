/**
 * Matching stored weights to a model's weights, as TF.js does (keras-semantics.md
 * §9.2 step 6): by full name '<layer>/<weight>'; a stored name with an extra
 * middle component ('layer/cell/weight') is retried without it. Keras 3 exports
 * that name variables 'vars/0', 'vars/1', ... carry no layer name, so when no
 * stored name matches at all and the shapes line up in order, weights are
 * matched by position. Strict: every model weight must be provided and every
 * provided weight used.
 */
import { formatShape } from '../../tensor/shape.js';
import type { PlannedWeight } from './plan.js';

export interface StoredSpec {
  name: string;
  shape: number[];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** For each planned weight, the index of the stored spec that provides it. Throws on any mismatch. */
export function matchWeights(
  planned: readonly PlannedWeight[],
  stored: readonly StoredSpec[],
  where: string,
): number[] {
  const byName = new Map<string, number>();
  stored.forEach((s, i) => {
    byName.set(s.name, i);
    const parts = s.name.split('/');
    if (parts.length > 2) {
      const short = `${parts[0]}/${parts[parts.length - 1]}`;
      if (!byName.has(short)) byName.set(short, i);
    }
  });
  const anyByName = planned.some((p) => byName.has(p.name));
  if (!anyByName && planned.length === stored.length && planned.every((p, i) => sameShape(p.shape, stored[i]!.shape))) {
    return planned.map((_p, i) => i);
  }
  const used = new Set<number>();
  const indices = planned.map((p) => {
    const i = byName.get(p.name);
    if (i === undefined) {
      throw new Error(
        `${where}: the weight files have no '${p.name}' ${formatShape(p.shape)}; they hold ${stored
          .slice(0, 12)
          .map((s) => `'${s.name}'`)
          .join(', ')}${stored.length > 12 ? ', ...' : ''}`,
      );
    }
    const s = stored[i]!;
    if (!sameShape(s.shape, p.shape))
      throw new Error(
        `${where}: weight '${p.name}' is stored with shape ${formatShape(s.shape)} but the model needs ` +
          `${formatShape(p.shape)}`,
      );
    used.add(i);
    return i;
  });
  const unused = stored.filter((_s, i) => !used.has(i));
  if (unused.length > 0)
    throw new Error(
      `${where}: the weight files hold weights the model does not have: ${unused
        .slice(0, 12)
        .map((s) => `'${s.name}' ${formatShape(s.shape)}`)
        .join(', ')}`,
    );
  return indices;
}
