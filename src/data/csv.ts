import { readFileSync } from 'node:fs';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import type { CsvOptions } from './csv-dataset.js';
import { csvToDataset } from './csv-dataset.js';

export type { CsvOptions } from './csv-dataset.js';
export { csvToDataset } from './csv-dataset.js';

/**
 * Reads a CSV file with a header row into a Dataset: every column other than
 * `labelColumn` is a numeric feature (in header order, featureShape [F]).
 * Errors name the file, the 1-based line as an editor shows it, and the column.
 */
export function loadCsv(path: string, opts: CsvOptions): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read CSV file: ${(e as Error).message}`, { file: path });
  }
  return csvToDataset(text, { ...opts, file: opts.file ?? path });
}
