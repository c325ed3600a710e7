/**
 * HTML training reports: self-contained files (inline SVG and CSS, no scripts,
 * no network) with loss/accuracy curves, a per-layer gradient-norm heatmap,
 * activation distributions, predicted vs measured variance by depth and the
 * doctor's findings.
 *
 * @example
 *   const rec = new ReportRecorder({ title: 'my run', x, layers: config.layers });
 *   await model.fit(x, y, { callbacks: [rec] });
 *   writeReport('out/report.html', rec.record());
 */
export { writeReport } from './write.js';
export { renderRunReport, renderComparisonReport, type DocumentOptions } from './page.js';
export { ReportRecorder, type ReportRecorderArgs } from './recorder.js';
export { ActivationSampler } from './histograms.js';
export { CallbackGroup } from './combine.js';
export { type RunRecord } from './record.js';
export { SECTION_NAMES, type SectionName } from './sections.js';
