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
  /** Log y axis; 'auto': log when the positive values span two decades or more (a loss that explodes). */
  logY?: boolean | 'auto';
  /** Whole-number x ticks only (epochs). */
  integerX?: boolean;
  /** A fixed y range (accuracy: [0, 1], so chance never looks dramatic). */
  yDomain?: [number, number];
  /** Horizontal reference lines, e.g. chance accuracy. */
  refLines?: readonly { y: number; label: string }[];
  width?: number;
  height?: number;
  /** Format for x tick labels (e.g. layer index → name). */
  xTickFormat?: (v: number) => string;
}

export function lineChart(series: readonly Series[], o: LineChartOptions): string {
  const f = frame(o.width ?? 520, o.height ?? 240, { right: 12 });
  const all = series.flatMap((s) => s.points);
  const xs = extent(all.map((p) => p[0]));
  const logY = o.logY === 'auto' ? spansDecades(all.map((p) => p[1])) : o.logY === true;
  const ys =
    o.yDomain ??
    extent(
      all.map((p) => p[1]),
      logY,
    );
  if (xs === null || ys === null) return emptyChart(f, o.label, 'no data yet');
  const x = linearScale(xs, [0, f.innerWidth]);
  if (o.integerX === true) x.ticks = (count = 5) => integerTicks(xs[0], xs[1], count);
  let [y0, y1] = ys;
  if (o.yDomain !== undefined) {
    // fixed: drawn as given
  } else if (logY) {
    y0 /= 1.5;
    y1 *= 1.5;
  } else {
    const pad = (y1 - y0) * 0.05 || Math.abs(y1) * 0.1 || 1;
    y0 -= pad;
    y1 += pad;
  }
  const y = (logY ? logScale : linearScale)([y0, y1], [f.innerHeight, 0]);
  const yTitle = logY ? `${o.yLabel} (log)` : o.yLabel;
  const parts = [svgOpen(f, o.label), xAxis(f, x, o.xLabel, o.xTickFormat), yAxis(f, y, yTitle)];
  const ox = f.margin.left,
    oy = f.margin.top;
  for (const r of o.refLines ?? []) {
    const yp = px(oy + y(r.y));
    parts.push(
      `<g class="ref-line" data-ref="${esc(r.label)}"><line x1="${ox}" x2="${ox + f.innerWidth}" y1="${yp}" ` +
        `y2="${yp}" stroke="#777" stroke-width="1.2" stroke-dasharray="4 4"/>` +
        `<text x="${ox + f.innerWidth - 4}" y="${px(oy + y(r.y) - 4)}" text-anchor="end" class="ref-label">` +
        `${esc(r.label)}</text></g>`,
    );
  }
  series.forEach((s, i) => {
    const k = s.style ?? i;
    const color = seriesColor(k),
      dash = DASHES[k % DASHES.length];
    const pts = s.points.filter((p) => Number.isFinite(p[1]) && (!logY || p[1] > 0));
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

/**
 * True when the positive values span a factor of 100 or more. Zeros and negatives are left out (a loss of
 * exactly 0 happens when float32 saturates); a log axis drops them.
 */
export function spansDecades(values: readonly number[]): boolean {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  if (v.length < 2) return false;
  return Math.max(...v) / Math.min(...v) >= 100;
}

/** Whole numbers from lo to hi, about `count` of them. */
export function integerTicks(lo: number, hi: number, count: number): number[] {
  const a = Math.ceil(lo),
    b = Math.floor(hi);
  const stride = Math.max(1, Math.ceil((b - a + 1) / Math.max(1, count)));
  const out: number[] = [];
  for (let t = a; t <= b; t += stride) out.push(t);
  return out;
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
