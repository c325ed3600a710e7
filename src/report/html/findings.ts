/** The doctor's findings as HTML: severity, code, message, layers, evidence and remedies. */
import type { Finding } from '../doctor-adapter.js';
import { esc, fmt } from './svg.js';

const SEVERITY_LABEL = { error: 'error', warning: 'warning', info: 'info' } as const;

/** `compact`: the side-by-side panels: what and where; remedies and evidence folded into one details. */
export function findingsList(findings: readonly Finding[], o: { compact?: boolean } = {}): string {
  if (findings.length === 0) return '<p class="ok">No findings: nothing the doctor checks for went wrong.</p>';
  return `<ul class="findings">${findings.map(o.compact === true ? compactItem : findingItem).join('')}</ul>`;
}

function compactItem(f: Finding): string {
  const remedies =
    f.remedies.length > 0 ? `<p class="remedies">Try: ${f.remedies.map((r) => esc(r.fix)).join(' · ')}</p>` : '';
  return (
    `<li class="finding sev-${f.severity}" data-kind="${esc(f.kind)}">` +
    `<p><span class="badge">${SEVERITY_LABEL[f.severity]}</span> <strong>${esc(f.kind.replace(/_/g, ' '))}` +
    `</strong></p><details><summary>${esc(shorten(f.message, 90))}</summary><p>${esc(f.message)}</p>` +
    `${remedies}${evidence(f.evidence)}</details></li>`
  );
}

function shorten(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1).replace(/\s+\S*$/, '')}…`;
}

function findingItem(f: Finding): string {
  const layers = f.layers.length > 0 ? `<span class="layers">${esc(abbreviate(f.layers))}</span>` : '';
  const step = f.step !== undefined ? ` · first seen at step ${f.step}` : '';
  const remedies =
    f.remedies.length > 0 ? `<p class="remedies">Try: ${f.remedies.map((r) => esc(r.fix)).join(' · ')}</p>` : '';
  return (
    `<li class="finding sev-${f.severity}" data-kind="${esc(f.kind)}">` +
    `<p><span class="badge">${SEVERITY_LABEL[f.severity]}</span> <strong>${esc(f.kind.replace(/_/g, ' '))}` +
    `</strong> <code>${esc(f.code)}</code> <span class="muted">(${esc(f.source)}${step})</span></p>` +
    `<p>${esc(f.message)}</p>${layers}${remedies}` +
    `<details><summary>Evidence</summary>${evidence(f.evidence)}</details></li>`
  );
}

function abbreviate(layers: readonly string[]): string {
  return layers.length <= 6
    ? layers.join(', ')
    : `${layers.slice(0, 3).join(', ')} … ${layers.slice(-2).join(', ')} (${layers.length} layers)`;
}

/** Evidence: scalars as a definition list, arrays of records as tables, anything else as JSON. */
function evidence(e: Record<string, unknown>): string {
  const parts: string[] = [];
  const scalars: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (typeof v === 'number') scalars.push(`<dt>${esc(k)}</dt><dd>${fmt(v)}</dd>`);
    else if (typeof v === 'string' || typeof v === 'boolean')
      scalars.push(`<dt>${esc(k)}</dt><dd>${esc(String(v))}</dd>`);
    else if (
      Array.isArray(v) &&
      v.length > 0 &&
      v.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))
    )
      parts.push(table(k, v as Record<string, unknown>[]));
    else if (v !== null && v !== undefined)
      scalars.push(`<dt>${esc(k)}</dt><dd><code>${esc(compactJson(v))}</code></dd>`);
  }
  return (scalars.length > 0 ? `<dl>${scalars.join('')}</dl>` : '') + parts.join('');
}

function table(caption: string, rows: Record<string, unknown>[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => {
    if (typeof v === 'number') return fmt(v);
    return v === null || v === undefined ? '—' : esc(String(v));
  };
  return (
    `<div class="table-wrap"><table><caption>${esc(caption)}</caption><thead><tr>` +
    `${cols.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`).join('')}` +
    `</tbody></table></div>`
  );
}

function compactJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'number' && Number.isFinite(x) ? Number(x.toPrecision(3)) : x,
  ).slice(0, 400);
}
