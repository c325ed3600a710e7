/**
 * Text charts for Markdown reports (fenced code blocks render everywhere;
 * GitHub strips inline SVG from Markdown).
 */

export interface BarRow {
  label: string;
  value: number;
}

/** Horizontal bars; with `log` the bar length is log10(value) above the smallest value. */
export function barChart(
  rows: readonly BarRow[],
  opts: { log?: boolean; width?: number; format?: (v: number) => string } = {},
): string {
  const width = opts.width ?? 40;
  const fmt = opts.format ?? ((v: number) => v.toPrecision(3));
  const finite = rows.filter((r) => Number.isFinite(r.value) && (!opts.log || r.value > 0));
  const t = (v: number) => (opts.log ? Math.log10(v) : v);
  const lo = opts.log ? Math.min(...finite.map((r) => t(r.value))) - 0.5 : Math.min(0, ...finite.map((r) => r.value));
  const hi = Math.max(...finite.map((r) => t(r.value)));
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const lines = rows.map((r) => {
    const ok = Number.isFinite(r.value) && (!opts.log || r.value > 0);
    const n = ok && hi > lo ? Math.round(((t(r.value) - lo) / (hi - lo)) * width) : 0;
    return (
      `${r.label.padEnd(labelWidth)} │${'█'.repeat(n)}${' '.repeat(width - n)} ` +
      `${ok ? fmt(r.value) : String(r.value)}`
    );
  });
  return ['```text', ...lines, opts.log ? `${' '.repeat(labelWidth)}  (log scale)` : '', '```']
    .filter((l) => l !== '')
    .join('\n');
}

export interface Series {
  name: string;
  values: readonly number[];
}

const MARKS = ['*', 'o', '+', 'x', '#', '@', '%', '&'];

/** A small line plot of several series over a common x (index), one mark per series. */
export function linePlot(
  series: readonly Series[],
  opts: { height?: number; width?: number; xLabel?: string; yLabel?: string; log?: boolean } = {},
): string {
  const height = opts.height ?? 12,
    width = opts.width ?? 60;
  const t = (v: number) => (opts.log ? Math.log10(v) : v);
  const all = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v) && (!opts.log || v > 0)).map(t));
  const lo = Math.min(...all),
    hi = Math.max(...all);
  const grid = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  series.forEach((s, k) => {
    const n = s.values.length;
    for (let c = 0; c < width; c++) {
      const i = n === 1 ? 0 : Math.round((c / (width - 1)) * (n - 1));
      const v = s.values[i]!;
      if (!Number.isFinite(v) || (opts.log && v <= 0)) continue;
      const r = hi > lo ? Math.round(((t(v) - lo) / (hi - lo)) * (height - 1)) : 0;
      grid[height - 1 - r]![c] = MARKS[k % MARKS.length]!;
    }
  });
  const fmt = (v: number) => (opts.log ? (10 ** v).toPrecision(2) : v.toPrecision(3));
  const top = fmt(hi),
    bottom = fmt(lo);
  const pad = Math.max(top.length, bottom.length);
  const rows = grid.map(
    (row, i) => `${(i === 0 ? top : i === height - 1 ? bottom : '').padStart(pad)} ┤${row.join('')}`,
  );
  const legend = series.map((s, k) => `${MARKS[k % MARKS.length]} ${s.name}`).join('   ');
  return [
    '```text',
    ...(opts.yLabel ? [opts.yLabel + (opts.log ? ' (log scale)' : '')] : []),
    ...rows,
    `${' '.repeat(pad)} └${'─'.repeat(width)}`,
    `${' '.repeat(pad)}  ${opts.xLabel ?? ''}`,
    legend,
    '```',
  ].join('\n');
}
