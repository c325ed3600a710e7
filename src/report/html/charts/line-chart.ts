/**
 * Line chart: several series over a shared x axis, linear or log y. Series
 * differ by colour (Okabe–Ito), dash pattern and an optional marker, and each
 * point carries a tooltip.
 *
 * @example
 *   lineChart([{ name: 'loss', points: [[0, 2.3], [1, 1.1]] }], { label: 'Loss', xLabel: 'epoch', yLabel: 'loss' })
 */
import { esc, fmt, frame, px, svgOpen, emptyChart } from '../svg.js';
import { DASHES, extent, linearScale, logScale, seriesColor } from '../scales.js';
import { xAxis, yAxis } from './axes.js';

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  /** Draw a dot on every point (few points, e.g. per epoch or per layer). */
  markers?: boolean;
  /** Index into the palette and dash list (default: the series' position). */
  style?: number;
}

export interface LineChartOptions {
  label: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  width?: number;
  height?: number;
  /** Format for x tick labels (e.g. layer index → name). */
  xTickFormat?: (v: number) => string;
}

export function lineChart(series: readonly Series[], o: LineChartOptions): string {
  const f = frame(o.width ?? 520, o.height ?? 240, { right: 12 });
  const all = series.flatMap((s) => s.points);
  const xs = extent(all.map((p) => p[0]));
  const ys = extent(
    all.map((p) => p[1]),
    o.logY === true,
  );
  if (xs === null || ys === null) return emptyChart(f, o.label, 'no data yet');
  const x = linearScale(xs, [0, f.innerWidth]);
  let [y0, y1] = ys;
  if (o.logY) {
    y0 /= 1.5;
    y1 *= 1.5;
  } else {
    const pad = (y1 - y0) * 0.05 || Math.abs(y1) * 0.1 || 1;
    y0 -= pad;
    y1 += pad;
  }
  const y = (o.logY ? logScale : linearScale)([y0, y1], [f.innerHeight, 0]);
  const parts = [svgOpen(f, o.label), xAxis(f, x, o.xLabel, o.xTickFormat), yAxis(f, y, o.yLabel)];
  const ox = f.margin.left,
    oy = f.margin.top;
  series.forEach((s, i) => {
    const k = s.style ?? i;
    const color = seriesColor(k),
      dash = DASHES[k % DASHES.length];
    const pts = s.points.filter((p) => Number.isFinite(p[1]) && (!o.logY || p[1] > 0));
    if (pts.length === 0) return;
    const d = pts.map((p, j) => `${j === 0 ? 'M' : 'L'}${px(ox + x(p[0]))} ${px(oy + y(p[1]))}`).join('');
    parts.push(
      `<g class="series" data-series="${esc(s.name)}"><path d="${d}" fill="none" stroke="${color}" ` +
        `stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
    if (s.markers) {
      for (const p of pts)
        parts.push(
          `<circle cx="${px(ox + x(p[0]))}" cy="${px(oy + y(p[1]))}" r="3" fill="${color}"><title>${esc(s.name)}: ` +
            `${fmt(p[1])} at ${o.xTickFormat ? esc(o.xTickFormat(p[0])) : fmt(p[0])}</title></circle>`,
        );
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('') + legend(series);
}

/** An HTML legend under the chart (text, so it wraps on narrow screens). */
function legend(series: readonly Series[]): string {
  if (series.length < 2) return '';
  const items = series.map((s, i) => {
    const k = s.style ?? i,
      dash = DASHES[k % DASHES.length];
    return (
      `<li><svg width="26" height="10" aria-hidden="true"><line x1="1" x2="25" y1="5" y2="5" stroke="` +
      `${seriesColor(k)}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/></svg>${esc(s.name)}</li>`
    );
  });
  return `<ul class="legend">${items.join('')}</ul>`;
}
