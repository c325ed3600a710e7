/**
 * Tiny helpers for writing SVG and HTML as strings. The charts are plain
 * functions from data to markup, so the same code draws the static report
 * (Node) and the live lab (browser), and tests can read the output as text.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML/SVG content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A number for axis labels and tooltips: 3 significant digits, exponent form when tiny or huge. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(1).replace('e+', 'e');
  return String(Number(x.toPrecision(3)));
}

/** A coordinate rounded to 0.1 px (keeps the markup short). */
export function px(x: number): string {
  return String(Math.round(x * 10) / 10);
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The frame of a chart: outer size and the plot area inside the margins. */
export interface Frame {
  width: number;
  height: number;
  margin: Margin;
  innerWidth: number;
  innerHeight: number;
}

export function frame(width: number, height: number, margin: Partial<Margin> = {}): Frame {
  const m: Margin = { top: 12, right: 12, bottom: 34, left: 56, ...margin };
  return {
    width,
    height,
    margin: m,
    innerWidth: Math.max(10, width - m.left - m.right),
    innerHeight: Math.max(10, height - m.top - m.bottom),
  };
}

/** Opens an accessible, responsive SVG element (scales to its container's width). */
export function svgOpen(f: Frame, label: string, cls = 'chart'): string {
  return (
    `<svg class="${cls}" viewBox="0 0 ${f.width} ${f.height}" style="max-width:${f.width}px" role="img" ` +
    `aria-label="${esc(label)}"><title>${esc(label)}</title>`
  );
}

/** A text element. */
export function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${px(x)}" y="${px(y)}"${attrs ? ` ${attrs}` : ''}>${esc(content)}</text>`;
}

/** An empty-state chart with a message (no data yet). */
export function emptyChart(f: Frame, label: string, message: string): string {
  return `${svgOpen(f, label)}${text(f.width / 2, f.height / 2, message, 'text-anchor="middle" class="muted"')}</svg>`;
}
