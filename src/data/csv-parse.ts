import { DataError } from './errors.js';

/**
 * A small RFC 4180 CSV reader (no Node APIs, so it also runs in the browser):
 * fields split by a one-character delimiter; fields may be quoted with "...",
 * where "" is a literal quote and delimiters/newlines are kept; lines end in
 * LF, CRLF or CR. Blank lines are skipped (as pandas does); a UTF-8 BOM is ignored.
 */
export interface CsvRecords {
  records: string[][];
  /** 1-based line on which each record starts (records may span lines when quoted). */
  lines: number[];
}

export function parseCsv(text: string, delimiter = ',', file?: string): CsvRecords {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new DataError(
      `delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`,
      { file },
    );
  }
  const records: string[][] = [];
  const lines: number[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let record: string[] = [];
  let recordLine = 1;
  let field = '';
  let atFieldStart = true; // a quote only opens a quoted field here
  let nonBlank = false; // distinguishes a line holding "" (one empty field) from a blank line

  const endRecord = (): void => {
    if (nonBlank) {
      record.push(field);
      records.push(record);
      lines.push(recordLine);
    }
    record = [];
    field = '';
    atFieldStart = true;
    nonBlank = false;
  };

  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && atFieldStart) {
      // Quoted field: read up to the closing quote.
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length)
          throw new DataError(`unterminated quoted field (opened on line ${start})`, { file, line: start });
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
        i++;
      }
      atFieldStart = false;
      nonBlank = true;
      const next = text[i];
      if (i < text.length && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new DataError(`unexpected character ${JSON.stringify(next)} after a closing quote`, { file, line });
      }
      continue;
    }
    if (ch === delimiter) {
      record.push(field);
      field = '';
      atFieldStart = true;
      nonBlank = true;
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      // Unquoted run: take everything up to the next delimiter or line end at once.
      let j = i + 1;
      while (j < text.length && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r') j++;
      field += text.slice(i, j);
      atFieldStart = false;
      nonBlank = true;
      i = j;
    }
  }
  endRecord();
  return { records, lines };
}
