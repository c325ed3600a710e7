/**
 * Heatmap of a per-layer quantity over training steps (layers down, steps
 * across), coloured on a log scale with viridis, with a colour bar. Used for
 * the gradient norm: a vanishing gradient is a dark band at the top (first
 * layers), an exploding one a bright band.
 *
 * @example heatmap({ rows: ['dense_1', 'dense_2'], cols: [0, 10], values: [[1e-6, 2e-6], [0.1, 0.2]] }, { label:
 * '‖∇W‖' })
 */
import { esc, fmt, frame, px, svgOpen, text, emptyChart } from '../svg.js';
import { extent, linearScale, viridis } from '../scales.js';
import { rowLabel, xAxis } from './axes.js';

export interface HeatmapData {
  rows: readonly string[];
  /** Step of each column. */
  cols: readonly number[];
  /** values[row][col]; null or non-finite where there is nothing to show. */
  values: readonly (readonly (number | null)[])[];
}

export interface HeatmapOptions {
  label: string;
  valueLabel: string;
  xLabel?: string;
  /** What a column is, in each cell's tooltip (default 'step'). */
  colName?: string;
  width?: number;
  rowHeight?: number;
}

export function heatmap(data: HeatmapData, o: HeatmapOptions): string {
  const rowH = o.rowHeight ?? 14;
  const left = Math.min(150, 8 + 6.5 * Math.max(4, ...data.rows.map((n) => rowLabel(n).length)));
  const f = frame(o.width ?? 560, 12 + data.rows.length * rowH + 34 + 44, { left, right: 12, bottom: 34 + 44 });
  const ext = extent(
    data.values.flat().map((v) => v ?? NaN),
    true,
  );
  if (ext === null || data.cols.length === 0) return emptyChart(f, o.label, 'no data yet');
  const l0 = Math.log10(ext[0]),
    l1 = Math.max(Math.log10(ext[1]), l0 + 1e-9);
  const t = (v: number) => (Math.log10(v) - l0) / (l1 - l0);
  const n = data.cols.length;
  const cw = f.innerWidth / n;
  const parts = [svgOpen(f, o.label, 'chart heatmap')];
  data.rows.forEach((name, r) => {
    const y = f.margin.top + r * rowH;
    parts.push(text(f.margin.left - 5, y + rowH * 0.75, rowLabel(name), 'text-anchor="end" class="row-label"'));
    const row = data.values[r] ?? [];
    for (let c = 0; c < n; c++) {
      const v = row[c] ?? null;
      const ok = v !== null && Number.isFinite(v) && v > 0;
      const fill = ok ? viridis(t(v)) : '#d9d9d9';
      const tip = `${name}, ${o.colName ?? 'step'} ${data.cols[c]}: ${o.valueLabel} ${v === null ? 'n/a' : fmt(v)}`;
      parts.push(
        `<rect x="${px(f.margin.left + c * cw)}" y="${y}" width="${px(cw + 0.3)}" height="${rowH}" fill="${fill}` +
          `"><title>${esc(tip)}</title></rect>`,
      );
    }
  });
  const stepScale = linearScale([data.cols[0]!, data.cols[n - 1]!], [cw / 2, f.innerWidth - cw / 2]);
  const axisFrame = { ...f, innerHeight: data.rows.length * rowH, height: f.margin.top + data.rows.length * rowH + 34 };
  parts.push(xAxis(axisFrame, stepScale, o.xLabel ?? 'training step'));
  parts.push(colorBar(f.margin.left, axisFrame.height + 8, Math.min(260, f.innerWidth), l0, l1, o.valueLabel));
  parts.push('</svg>');
  return parts.join('');
}

/** A horizontal viridis colour bar labelled in powers of ten. */
function colorBar(x: number, y: number, w: number, l0: number, l1: number, label: string): string {
  const stops = Array.from({ length: 9 }, (_, i) => `<stop offset="${i / 8}" stop-color="${viridis(i / 8)}"/>`).join(
    '',
  );
  const id = `vir${Math.round((l0 * 7919 + l1 * 104729) * 1000) >>> 0}`;
  return (
    `<defs><linearGradient id="${id}">${stops}</linearGradient></defs>` +
    `<rect x="${x}" y="${y}" width="${w}" height="10" fill="url(#${id})"/>` +
    text(x, y + 22, fmt(10 ** l0), 'text-anchor="start"') +
    text(x + w, y + 22, fmt(10 ** l1), 'text-anchor="end"') +
    text(x + w / 2, y + 22, `${label} (log scale)`, 'text-anchor="middle" class="axis-title"')
  );
}
