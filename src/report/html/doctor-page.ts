/**
 * `keel doctor --report`: the doctor's report as one self-contained HTML file (inline SVG and CSS, no scripts):
 * the primary cause in plain words, the held-out verdict against chance, the trial's loss, every finding with its
 * role, and the repair (candidates, the verification run's before/after, what changed).
 *
 * @example writeFileSync('doctor.html', renderDoctorReport(report, { title: 'run.json', losses }));
 */
import type { DoctorReport, Finding, HeldOutSummary, Verification } from '../doctor-adapter.js';
import { documentShell } from './page.js';
import { findingsList } from './findings.js';
import { figure, summaryTable } from './sections.js';
import { lineChart } from './charts/line-chart.js';
import { lossByStep } from './series.js';
import { esc, fmt } from './svg.js';

export interface DoctorPageOptions {
  title: string;
  /** The trial's batch losses (for the loss chart). */
  losses?: readonly number[];
  generatedAt?: Date;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null | undefined) => (x === null || x === undefined ? '—' : fmt(x));

function heldOutRow(name: string, v: HeldOutSummary | Verification | null | undefined): string {
  if (v === null || v === undefined) return `<tr><th scope="row">${esc(name)}</th><td colspan="5">—</td></tr>`;
  const verdict = v.atChance ? '<span class="bad">at chance</span>' : '<span class="good">learns</span>';
  return (
    `<tr><th scope="row">${esc(name)}</th><td>${num(v.loss)}</td><td>${num(v.baselineLoss)}</td>` +
    `<td>${pct(v.accuracy)}</td><td>${pct(v.baselineAccuracy)}</td><td>${verdict}</td></tr>`
  );
}

function heldOutTable(caption: string, rows: [string, HeldOutSummary | Verification | null | undefined][]): string {
  return (
    `<div class="table-wrap"><table><caption>${esc(caption)}</caption><thead><tr><th scope="col">model</th>` +
    '<th scope="col">loss</th><th scope="col">trivial baseline loss</th><th scope="col">accuracy</th>' +
    '<th scope="col">majority-class accuracy</th><th scope="col">verdict</th></tr></thead><tbody>' +
    rows.map(([n, v]) => heldOutRow(n, v)).join('') +
    '</tbody></table></div>'
  );
}

function primarySection(r: DoctorReport): string {
  const primary = r.findings.find((f) => f.role === 'primary');
  if (primary === undefined)
    return (
      '<section id="diagnosis"><h2>Diagnosis</h2><p class="ok">No error or warning: the network should ' +
      'train.</p></section>'
    );
  const cons = r.findings.filter((f) => f.role === 'consequence');
  return (
    `<section id="diagnosis"><h2>Diagnosis</h2><div class="finding sev-${primary.severity} primary">` +
    `<p><span class="badge">${esc(primary.severity)}</span> <strong>${esc(primary.kind.replace(/_/g, ' '))}` +
    `</strong> <code>${esc(primary.code)}</code></p>` +
    `<p><strong>What is wrong:</strong> ${esc(primary.message)}</p>` +
    `<p><strong>Why it stops learning:</strong> ${esc(primary.why ?? '')}</p>` +
    `<p><strong>Change this first:</strong> ${esc(primary.firstChange ?? primary.remedies[0]?.fix ?? '')}.</p>` +
    (cons.length
      ? `<p class="muted">Consequences of it: ${cons
          .map((c) => `${esc(c.kind.replace(/_/g, ' '))} ` + `(<code>${esc(c.code)}</code>)`)
          .join(', ')}.</p>`
      : '') +
    '</div></section>'
  );
}

function repairSection(r: DoctorReport): string {
  const rep = r.repair;
  if (rep === undefined) return '';
  const verdict = rep.cleared
    ? `<p class="ok">Accepted repair: <strong>${esc(rep.applied.join(' + '))}</strong>.</p>`
    : `<p class="bad">No candidate beat chance and the original on held-out data (${rep.candidates.length} tried).</p>`;
  const changes = rep.changes?.length
    ? `<h3>What changed</h3><ul>${rep.changes.map((c) => `<li><code>${esc(c)}</code></li>`).join('')}</ul>`
    : '';
  const v = rep.verification;
  const verification = v
    ? `<h3>Verification (${v.before.epochs} epochs, test data, inference mode)</h3>` +
      heldOutTable('Before and after the repair', [
        ['original', v.before],
        ['repaired', v.after],
      ]) +
      `<p class="${v.confirmed ? 'ok' : 'bad'}">${v.confirmed ? 'Confirmed' : 'Not confirmed'} by the longer run.</p>`
    : '';
  const rows = rep.candidates
    .map(
      (c) =>
        `<tr><th scope="row">${esc(c.applied.join(' + '))}</th><td>${num(c.heldOut?.loss)}</td>` +
        `<td>${pct(c.heldOut?.accuracy ?? null)}</td><td>${c.cleared ? 'accepted' : 'rejected'}</td>` +
        `<td>${esc(c.kinds.join(', ') || '—')}</td></tr>`,
    )
    .join('');
  const candidates =
    `<div class="table-wrap"><table><caption>Candidates (same step budget, validation split)</caption><thead><tr>` +
    '<th scope="col">remedies</th><th scope="col">held-out loss</th><th scope="col">accuracy</th>' +
    `<th scope="col">verdict</th><th scope="col">findings left</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  const lr = rep.learningRateRangeTest
    ? `<p class="muted">Learning-rate range test: current ${num(rep.learningRateRangeTest.current)}, suggested ` +
      `${num(rep.learningRateRangeTest.suggested)}.</p>`
    : '';
  return `<section id="repair"><h2>Repair</h2>${verdict}${changes}${verification}${candidates}${lr}</section>`;
}

export function renderDoctorReport(r: DoctorReport, o: DoctorPageOptions): string {
  const t = r.trial;
  const summary = summaryTable({
    'trial steps': String(t.steps),
    'final training loss': num(t.loss),
    seconds: t.seconds.toFixed(1),
    findings:
      `${r.findings.filter((f) => f.severity === 'error').length} errors, ` +
      `${r.findings.filter((f) => f.severity === 'warning').length} warnings`,
  });
  const held = `<section id="held-out"><h2>Held-out data against chance</h2>${heldOutTable(
    'The trial model on its validation split (inference mode)',
    [['trial', t.heldOut]],
  )}</section>`;
  const chart =
    o.losses && o.losses.length > 0
      ? figure(
          lineChart([{ name: 'training loss', points: lossByStep(o.losses, 300) }], {
            label: 'Training loss by step during the trial',
            xLabel: 'training step',
            yLabel: 'loss',
            logY: 'auto',
          }),
          'Training loss during the trial (moving average)',
        )
      : '';
  const ordered: Finding[] = [
    ...r.findings.filter((f) => f.role === 'primary'),
    ...r.findings.filter((f) => f.role === 'consequence'),
    ...r.findings.filter((f) => f.role !== 'primary' && f.role !== 'consequence'),
  ];
  const findings = `<section id="findings"><h2>All findings</h2>${findingsList(ordered)}</section>`;
  const body = `${summary}${primarySection(r)}${held}${chart}${findings}${repairSection(r)}`;
  return documentShell(`keel doctor: ${o.title}`, body, {
    intro: 'Lint of the model and data, variance theory, and a short probed trial judged on held-out data.',
    generatedAt: o.generatedAt,
  });
}
