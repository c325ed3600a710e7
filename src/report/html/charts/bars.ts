/**
 * Horizontal bars, one per layer, on a log scale: the gradient norm of each
 * layer at one step. The first layer is on top, so a vanishing gradient reads
 * as bars shrinking towards the top. Each bar carries its value in
 * `data-value` (the browser test reads it).
 *
 * @example layerBars([{ layer: 'dense_1', value: 1e-6 }, { layer: 'dense_2', value: 0.1 }], { label: '‖∇W‖ by
 * layer', valueLabel: '‖∇W‖' })
 */
import { esc, fmt, frame, px, svgOpen, text, emptyChart } from '../svg.js';
import { extent, logScale, viridis } from '../scales.js';
import { xAxis } from './axes.js';

export interface LayerValue {
  layer: string;
  value: number | null;
}

export interface BarsOptions {
  label: string;
  valueLabel: string;
  width?: number;
  rowHeight?: number;
  /** Fixed [min, max] for the axis (keeps bars comparable over time). */ domain?: [number, number];
}

export function layerBars(values: readonly LayerValue[], o: BarsOptions): string {
  const rowH = o.rowHeight ?? 14;
  const left = Math.min(120, 8 + 6.5 * Math.max(4, ...values.map((v) => v.layer.length)));
  const f = frame(o.width ?? 420, 12 + values.length * rowH + 38, { left, right: 16, bottom: 38 });
  const ext =
    o.domain ??
    extent(
      values.map((v) => v.value ?? NaN),
      true,
    );
  if (ext === null) return emptyChart(f, o.label, 'no data yet');
  const lo = ext[0] / 3,
    hi = ext[1] * 1.5;
  const x = logScale([lo, hi], [0, f.innerWidth]);
  const l0 = Math.log10(lo),
    l1 = Math.log10(hi);
  const parts = [svgOpen(f, o.label, 'chart bars')];
  values.forEach((v, i) => {
    const y = f.margin.top + i * rowH;
    parts.push(text(f.margin.left - 5, y + rowH * 0.75, v.layer, 'text-anchor="end" class="row-label"'));
    const ok = v.value !== null && Number.isFinite(v.value) && v.value > 0;
    const w = ok ? Math.max(1, x(v.value!)) : 0;
    const color = ok ? viridis((Math.log10(v.value!) - l0) / (l1 - l0)) : '#d9d9d9';
    const tip = `${v.layer}: ${o.valueLabel} ${v.value === null ? 'n/a' : fmt(v.value)}`;
    parts.push(
      `<rect class="bar" data-layer="${esc(v.layer)}" data-value="${v.value ?? ''}" x="${f.margin.left}" y="` +
        `${y + 1}" width="${px(ok ? w : f.innerWidth)}" height="${rowH - 2}" fill="${color}"` +
        `${ok ? '' : ' fill-opacity="0.4"'}><title>${esc(tip)}</title></rect>`,
    );
  });
  parts.push(
    xAxis(
      { ...f, innerHeight: values.length * rowH, height: f.margin.top + values.length * rowH + 38 },
      x,
      `${o.valueLabel} (log scale)`,
    ),
  );
  parts.push('</svg>');
  return parts.join('');
}
