/** Did-you-mean suggestions for mistyped names (identifiers, config keys, CSV columns). */

/** Levenshtein distance, for suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate to `name`, if it is close enough to be a likely typo. */
export function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null,
    bestDistance = Infinity;
  for (const c of candidates) {
    // Case differences cost half an edit, so the spelling in the user's own style wins ties.
    const folded = editDistance(name.toLowerCase(), c.toLowerCase());
    const d = folded + (editDistance(name, c) > folded ? 0.5 : 0);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}
