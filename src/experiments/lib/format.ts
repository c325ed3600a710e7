/** Number and Markdown formatting for the reports. */

export function fixed(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

export function sci(v: number, digits = 2): string {
  return Number.isFinite(v) ? v.toExponential(digits) : String(v);
}

export function pct(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : '—';
}

/** "a–b" over values (or the single value). */
export function range(values: readonly number[], f: (v: number) => string = (v) => fixed(v)): string {
  const lo = Math.min(...values),
    hi = Math.max(...values);
  return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`;
}

/** A GitHub Markdown table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function seconds(startMs: number): string {
  return `${((Date.now() - startMs) / 1000).toFixed(1)} s`;
}
