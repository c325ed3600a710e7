import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { parseCsv } from './csv-parse.js';
import { closest } from '../util/suggest.js';

export interface CsvOptions {
  /** Name of the header column holding the label (target). */
  labelColumn: string;
  /** One character; default ','. */
  delimiter?: string;
  /**
   * 'classification' (default): labels must be integer class ids 0..K-1 and
   * numClasses = K = max label + 1. 'regression': any finite number.
   */
  task?: 'classification' | 'regression';
  /** Classification only: labels must be < numClasses (default: inferred). */
  numClasses?: number;
  /** Used in error messages when parsing text directly; loadCsv sets it to the path. */
  file?: string;
  /**
   * The feature columns by name, in the order they must have (a test file read with the training file's
   * `featureNames`): columns are matched by header, not by position; a missing or extra column is an error.
   */
  featureColumns?: readonly string[];
}

/**
 * CSV text already in memory → Dataset (no Node APIs: browser-safe). See
 * loadCsv in csv.ts for the rules; `opts.file` names the source in errors.
 */
export function csvToDataset(text: string, opts: CsvOptions): Dataset {
  const file = opts.file ?? '<csv>';
  const task = opts.task ?? 'classification';
  const { records, lines } = parseCsv(text, opts.delimiter ?? ',', file);
  const first = records[0];
  if (first === undefined)
    throw new DataError('the file is empty; expected a header row with column names', { file, line: 1 });
  const header = first.map((h) => h.trim());
  const headerLine = lines[0]!; // parseCsv returns one line number per record
  checkHeader(header, file, headerLine);
  if (records.length === 1)
    throw new DataError('the file has a header row but no data rows', { file, line: headerLine });

  const labelAt = header.indexOf(opts.labelColumn);
  if (labelAt < 0)
    throw new DataError(unknownColumnMessage(opts.labelColumn, header), {
      file,
      line: headerLine,
      column: opts.labelColumn,
    });
  const F = header.length - 1;
  if (F === 0)
    throw new DataError('the label is the only column: no features left', {
      file,
      line: headerLine,
      column: opts.labelColumn,
    });

  // Feature slot of each column (-1: the label): header order, or the order `featureColumns` asks for.
  const featureNames = header.filter((_h, c) => c !== labelAt);
  const slot = header.map((_h, c) => (c === labelAt ? -1 : c < labelAt ? c : c - 1));
  if (opts.featureColumns !== undefined) {
    const wanted = opts.featureColumns;
    for (const name of wanted)
      if (!featureNames.includes(name))
        throw new DataError(
          `no feature column named "${name}", which the training data has; ${unknownColumnMessage(name, header)}`,
          { file, line: headerLine, column: name },
        );
    const extra = featureNames.find((h) => !wanted.includes(h));
    if (extra !== undefined)
      throw new DataError(
        `column "${extra}" is not a feature column of the training data (${wanted.map((w) => `"${w}"`).join(', ')})`,
        { file, line: headerLine, column: extra },
      );
    header.forEach((h, c) => {
      if (c !== labelAt) slot[c] = wanted.indexOf(h);
    });
  }
  const n = records.length - 1;
  const x = new Float32Array(n * F);
  const y = new Float32Array(n);
  const sourceLines = new Int32Array(n);
  let maxLabel = -1;
  for (let r = 0; r < n; r++) {
    const rec = records[r + 1]!; // r + 1 < records.length; lines runs parallel to records
    const line = lines[r + 1]!;
    sourceLines[r] = line;
    checkRowLength(rec, header, file, line);
    for (let c = 0; c < header.length; c++) {
      const where = { file, line, column: columnName(header, c) };
      const v = parseNumber(rec[c]!, where, c === labelAt); // checkRowLength: rec.length === header.length
      if (c !== labelAt) {
        x[r * F + slot[c]!] = v;
        continue;
      }
      if (task === 'classification') checkClassLabel(v, opts.numClasses, where);
      y[r] = v;
      if (v > maxLabel) maxLabel = v;
    }
  }
  const ds: Dataset = {
    x,
    y,
    numExamples: n,
    featureShape: [F],
    featureNames: opts.featureColumns !== undefined ? [...opts.featureColumns] : featureNames,
    sourceFile: file,
    sourceLines,
  };
  if (task === 'classification') ds.numClasses = opts.numClasses ?? maxLabel + 1;
  return ds;
}

function checkHeader(header: string[], file: string, line: number): void {
  const seen = new Map<string, number>();
  header.forEach((name, c) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new DataError(`duplicate column name (also column ${first + 1})`, {
        file,
        line,
        column: columnName(header, c),
      });
    }
    seen.set(name, c);
  });
}

function checkRowLength(rec: string[], header: string[], file: string, line: number): void {
  if (rec.length < header.length) {
    const missing = columnName(header, rec.length);
    throw new DataError(
      `row has ${plural(rec.length, 'field')} but the header has ${header.length}: no value for this column`,
      { file, line, column: missing },
    );
  }
  if (rec.length > header.length) {
    const last = columnName(header, header.length - 1);
    throw new DataError(
      `row has ${plural(rec.length, 'field')} but the header has ${header.length} ` +
        `(extra field after the last column "${last}")`,
      { file, line, column: last },
    );
  }
}

const FLOAT32_MAX = 3.4028234663852886e38;

// Plain decimal numbers only: Number() would also accept "", "0x1F" and "Infinity".
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(raw: string, where: { file: string; line: number; column: string }, isLabel: boolean): number {
  const s = raw.trim();
  if (s === '') throw new DataError('empty cell (missing value)', where);
  if (/^[+-]?nan$/i.test(s)) throw new DataError('NaN cell (missing value)', where);
  if (!NUMBER.test(s)) {
    const hint = isLabel ? '; labels must be numbers (map class names to ids 0..K-1)' : '';
    throw new DataError(`${JSON.stringify(raw)} is not a number${hint}`, where);
  }
  const v = Number(s);
  // Values are stored as float32: beyond ±3.4e38 they would become Infinity.
  if (!Number.isFinite(v) || Math.abs(v) > FLOAT32_MAX)
    throw new DataError(`${JSON.stringify(raw)} is out of range (float32 holds up to ±3.4e38)`, where);
  return v;
}

function checkClassLabel(
  v: number,
  numClasses: number | undefined,
  where: { file: string; line: number; column: string },
): void {
  if (!Number.isInteger(v) || v < 0) {
    throw new DataError(
      `label ${v} is not a class id (classification needs integers 0..K-1; use task: 'regression' for real targets)`,
      where,
    );
  }
  if (numClasses !== undefined && v >= numClasses) {
    throw new DataError(`label ${v} is not below numClasses = ${numClasses}`, where);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function columnName(header: string[], c: number): string {
  const name = header[c];
  return name !== undefined && name !== '' ? name : `(unnamed column ${c + 1})`;
}

function unknownColumnMessage(name: string, header: string[]): string {
  const best = closest(name, header);
  const suggestion = best !== null ? ` Did you mean "${best}"?` : '';
  const columns = header.map((h) => JSON.stringify(h)).join(', ');
  return `no column named "${name}" in the header.${suggestion} Columns: ${columns}`;
}
