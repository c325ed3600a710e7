/** Plain-text renderings of findings and of theory-vs-measurement (the CLI and report print them). */
import type { StepZeroComparison } from './step-zero.js';
import type { Finding } from './types.js';

const num = (x: unknown): string => {
  if (typeof x !== 'number') return String(x);
  if (Number.isNaN(x)) return '—';
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toPrecision(3);
};

/** "key=value" pairs of one evidence row. */
function row(entry: Record<string, unknown>): string {
  return Object.entries(entry)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => (k === 'layer' ? String(v) : `${k}=${num(v)}`))
    .join(' ');
}

export function formatFinding(f: Finding, maxRows = 6): string {
  const more = f.layers.length > 4 ? `, +${f.layers.length - 4}` : '';
  const layers = f.layers.length ? ` (${f.layers.slice(0, 4).join(', ')}${more})` : '';
  const lines = [
    `${f.severity.toUpperCase().padEnd(7)} ${f.kind} [${f.code}, ${f.source}]${layers}`,
    `        ${f.message}`,
  ];
  const perLayer = f.evidence.perLayer;
  if (Array.isArray(perLayer)) {
    const rows = perLayer as Record<string, unknown>[];
    const shown = rows.length <= maxRows ? rows : [...rows.slice(0, maxRows / 2), ...rows.slice(-maxRows / 2)];
    shown.forEach((r, i) => {
      if (rows.length > maxRows && i === maxRows / 2) lines.push('          ...');
      lines.push(`          ${row(r)}`);
    });
  }
  const scalars = Object.entries(f.evidence).filter(
    ([k, v]) => k !== 'perLayer' && (typeof v === 'number' || v === null),
  );
  if (scalars.length) lines.push(`        evidence: ${scalars.map(([k, v]) => `${k}=${num(v)}`).join(', ')}`);
  if (f.remedies.length)
    lines.push(
      `        fix: ${f.remedies
        .map((r) => r.fix)
        .slice(0, 2)
        .join('; or ')}`,
    );
  return lines.join('\n');
}

export function formatTheoryTable(c: StepZeroComparison): string {
  const header = 'layer                       predicted var   measured var   ×      ';
  const lines = [`${header}predicted ‖∇W‖   measured ‖∇W‖`];
  for (const l of c.layers) {
    lines.push(
      `${l.layer.padEnd(28)}${num(l.predictedVariance).padStart(13)}  ${num(l.measuredVariance).padStart(13)}  ` +
        `${num(l.varianceFactor).padStart(5)}  ` +
        `${(l.predictedGradNorm === null ? '' : num(l.predictedGradNorm)).padStart(15)}  ` +
        `${(l.measuredGradNorm === null ? '' : num(l.measuredGradNorm)).padStart(14)}`,
    );
  }
  if (c.predictedGradRatio !== null && c.measuredGradRatio !== null) {
    lines.push(
      `first/last-layer gradient-norm ratio: predicted ${num(c.predictedGradRatio)}, measured ` +
        `${num(c.measuredGradRatio)}`,
    );
  }
  return lines.join('\n');
}
