/**
 * Writing reports to disk (Node only; the rest of report/html runs in a browser too).
 *
 * @example
 *   writeReport('out/report.html', recorder.record({ 'test accuracy': '88.1%' }));
 *   writeReport('demo.html', records, { title: 'Keel demo' });   // several runs: side by side
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../io/write-atomic.js';
import { renderComparisonReport, renderRunReport, type DocumentOptions } from './page.js';
import type { RunRecord } from './record.js';

/** Renders one run (a full report) or several (side by side) to a self-contained HTML file; returns the path. */
export function writeReport(
  path: string,
  runs: RunRecord | readonly RunRecord[],
  options: DocumentOptions = {},
): string {
  const html = Array.isArray(runs)
    ? renderComparisonReport(runs as readonly RunRecord[], options)
    : renderRunReport(runs as RunRecord, options);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, html);
  return path;
}
