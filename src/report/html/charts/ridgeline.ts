/**
 * Ridgeline of activation histograms: one row per layer (first on top), all
 * rows over the same x range, each scaled to its own peak. Saturated sigmoids
 * show as two spikes at 0 and 1, a collapsing signal as a spike at 0, an
 * exploding one as ever wider rows.
 *
 * @example ridgeline({ step: 0, lo: -1, hi: 1, layers: [{ layer: 'dense_1', counts: [1, 4, 1] }] }, { label:
 * 'Activations at step 0' })
 */
import { esc, fmt, frame, px, svgOpen, text, emptyChart } from '../svg.js';
import { linearScale, viridis } from '../scales.js';
import { rowLabel, xAxis } from './axes.js';

export interface LayerHistogram {
  layer: string;
  /** Counts per equal-width bin over [lo, hi] (values outside are in the end bins, unless under/over are given). */
  counts: readonly number[];
  mean: number;
  std: number;
  /** Values below lo and above hi, when counted apart from the bins (the chart marks them at the row's ends). */
  under?: number;
  over?: number;
  /** All finite values, and their extremes (for the overflow marks' tooltips). */
  total?: number;
  min?: number;
  max?: number;
}

export interface HistogramSet {
  step: number;
  lo: number;
  hi: number;
  layers: readonly LayerHistogram[];
}

export interface RidgelineOptions {
  label: string;
  width?: number;
  rowHeight?: number;
}

export function ridgeline(h: HistogramSet | null, o: RidgelineOptions): string {
  const rowH = o.rowHeight ?? 16;
  const names = h?.layers.map((l) => l.layer) ?? [];
  const left = Math.min(150, 8 + 6.5 * Math.max(4, ...names.map((n) => rowLabel(n).length)));
  const f = frame(o.width ?? 420, 12 + rowH * 1.5 + Math.max(1, names.length) * rowH + 34, {
    left,
    right: 12,
    bottom: 34,
    top: 12 + rowH * 1.5,
  });
  if (h === null || h.layers.length === 0) return emptyChart(f, o.label, 'no data yet');
  const x = linearScale([h.lo, h.hi], [0, f.innerWidth]);
  const parts = [svgOpen(f, o.label, 'chart ridgeline')];
  h.layers.forEach((l, i) => {
    const base = f.margin.top + (i + 1) * rowH;
    const peak = Math.max(1, ...l.counts);
    const bins = l.counts.length;
    const bx = (k: number) => f.margin.left + (k / bins) * f.innerWidth;
    let d = `M${px(bx(0))} ${px(base)}`;
    l.counts.forEach((c, k) => {
      const y = base - (c / peak) * rowH * 2.2;
      d += `L${px(bx(k))} ${px(y)}L${px(bx(k + 1))} ${px(y)}`;
    });
    d += `L${px(bx(bins))} ${px(base)}Z`;
    const color = viridis(h.layers.length > 1 ? i / (h.layers.length - 1) : 0.5);
    parts.push(
      `<path d="${d}" fill="${color}" fill-opacity="0.75" stroke="#222" stroke-width="0.6"><title>` +
        `${esc(`${l.layer}: mean ${fmt(l.mean)}, std ${fmt(l.std)}`)}</title></path>`,
    );
    parts.push(text(f.margin.left - 5, base - 2, rowLabel(l.layer), 'text-anchor="end" class="row-label"'));
    parts.push(overflowMark(l, 'under', f.margin.left, base, rowH), overflowMark(l, 'over', bx(bins), base, rowH));
  });
  const axisFrame = { ...f, innerHeight: f.innerHeight };
  parts.push(xAxis(axisFrame, x, `layer output value (step ${h.step})`));
  parts.push('</svg>');
  return parts.join('');
}

/** A triangle at a row's end when some of its values fall outside the axis, with how many in its tooltip. */
function overflowMark(l: LayerHistogram, side: 'under' | 'over', x: number, base: number, rowH: number): string {
  const n = l[side] ?? 0;
  if (n <= 0) return '';
  const share = n / Math.max(1, l.total ?? n);
  const h = Math.max(3, Math.min(rowH * 0.9, 2 + share * rowH * 4));
  const tip = side === 'under' ? x - 1 : x + 1,
    back = side === 'under' ? x + 6 : x - 6;
  const extreme = side === 'under' ? l.min : l.max;
  const where = side === 'under' ? 'below' : 'above';
  const title = `${l.layer}: ${(share * 100).toFixed(1)}% of values ${where} the axis${
    extreme === undefined ? '' : ` (${side === 'under' ? 'min' : 'max'} ${fmt(extreme)})`
  }`;
  return (
    `<path class="overflow" data-side="${side}" data-share="${share.toPrecision(3)}" d="M${px(tip)} ` +
    `${px(base - h / 2)}L${px(back)} ${px(base - h)}L${px(back)} ${px(base)}Z" fill="#d55e00">` +
    `<title>${esc(title)}</title></path>`
  );
}
