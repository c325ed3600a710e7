/** Axes, grid lines and axis titles shared by the charts. */
import type { Frame } from '../svg.js';
import { fmt, px, text } from '../svg.js';
import type { Scale } from '../scales.js';

/** Bottom axis with ticks and a title. */
export function xAxis(f: Frame, x: Scale, title: string, tickFormat: (v: number) => string = fmt): string {
  const y0 = f.margin.top + f.innerHeight;
  const ticks = x.ticks(Math.max(2, Math.floor(f.innerWidth / 70)));
  const parts = [
    `<line class="axis" x1="${f.margin.left}" x2="${f.margin.left + f.innerWidth}" y1="${y0}" y2="${y0}"/>`,
  ];
  for (const t of ticks) {
    const xp = f.margin.left + x(t);
    parts.push(
      `<line class="axis" x1="${px(xp)}" x2="${px(xp)}" y1="${y0}" y2="${y0 + 4}"/>`,
      text(xp, y0 + 15, tickFormat(t), 'text-anchor="middle"'),
    );
  }
  parts.push(text(f.margin.left + f.innerWidth / 2, f.height - 4, title, 'text-anchor="middle" class="axis-title"'));
  return parts.join('');
}

/** Left axis with ticks, light grid lines across the plot and a rotated title. */
export function yAxis(f: Frame, y: Scale, title: string, tickFormat: (v: number) => string = fmt): string {
  const ticks = y.ticks(Math.max(2, Math.floor(f.innerHeight / 40)));
  const parts = [
    `<line class="axis" x1="${f.margin.left}" x2="${f.margin.left}" y1="${f.margin.top}" y2="` +
      `${f.margin.top + f.innerHeight}"/>`,
  ];
  for (const t of ticks) {
    const yp = f.margin.top + y(t);
    parts.push(
      `<line class="grid" x1="${f.margin.left}" x2="${f.margin.left + f.innerWidth}" y1="${px(yp)}" y2="${px(yp)}"/>`,
      text(f.margin.left - 5, yp + 4, tickFormat(t), 'text-anchor="end"'),
    );
  }
  const cy = f.margin.top + f.innerHeight / 2;
  parts.push(text(12, cy, title, `text-anchor="middle" class="axis-title" transform="rotate(-90 12 ${px(cy)})"`));
  return parts.join('');
}

/** A layer name short enough for a row label ('batch_normalization_12' → 'batch_norm_12'). */
export function rowLabel(layer: string): string {
  return layer.replace('batch_normalization', 'batch_norm');
}
