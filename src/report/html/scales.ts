/** Scales, ticks and colour maps for the charts (colour-blind-safe: viridis and Okabe–Ito). */

export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks(count?: number): number[];
  log: boolean;
}

/** A linear map from `domain` to `range`. */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  let [d0, d1] = domain;
  if (d0 === d1) {
    d0 -= 1;
    d1 += 1;
  }
  const [r0, r1] = range;
  const s = ((v: number) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0)) as Scale;
  s.domain = [d0, d1];
  s.log = false;
  s.ticks = (count = 5) => niceTicks(d0, d1, count);
  return s;
}

/** A base-10 logarithmic map; values ≤ 0 go to the bottom of the range. */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  let l0 = Math.log10(Math.max(domain[0], 1e-300)),
    l1 = Math.log10(Math.max(domain[1], 1e-300));
  if (l0 === l1) {
    l0 -= 1;
    l1 += 1;
  }
  const [r0, r1] = range;
  const s = ((v: number) => r0 + ((Math.log10(Math.max(v, 1e-300)) - l0) / (l1 - l0)) * (r1 - r0)) as Scale;
  s.domain = [10 ** l0, 10 ** l1];
  s.log = true;
  s.ticks = (count = 5) => {
    const lo = Math.ceil(l0),
      hi = Math.floor(l1);
    const stride = Math.max(1, Math.ceil((hi - lo + 1) / count));
    const out: number[] = [];
    for (let e = lo; e <= hi; e += stride) out.push(10 ** e);
    return out;
  };
  return s;
}

/** Round tick values covering [lo, hi] (Heckbert's nice numbers). */
function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** [min, max] of the finite values (and positive ones only, for log scales). */
export function extent(values: Iterable<number>, positiveOnly = false): [number, number] | null {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

// Viridis (matplotlib, CC0), 9 evenly spaced stops; linear interpolation between them.
const VIRIDIS = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
] as const;

/** Viridis colour for t in [0, 1] (dark purple → yellow), perceptually uniform and colour-blind-safe. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)),
    f = x - i;
  const a = VIRIDIS[i]!,
    b = VIRIDIS[i + 1]!;
  const hex = (k: number) =>
    Math.round(a[k]! + (b[k]! - a[k]!) * f)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}

/** Okabe–Ito qualitative palette (distinguishable with every common colour-vision deficiency). */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** Dash patterns so series differ by more than colour. */
export const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2'] as const;
