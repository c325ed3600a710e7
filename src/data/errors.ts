/**
 * One error type for everything that goes wrong while reading or shaping data,
 * so callers can tell "your file is bad" apart from bugs (`instanceof DataError`).
 * The location fields are also folded into the message, which is what users see.
 */
export interface DataErrorLocation {
  /** Path of the offending file, as given by the caller. */
  file?: string;
  /** 1-based line number, as shown by an editor. */
  line?: number;
  /** Column name from the header (or a description such as "header"). */
  column?: string;
}

export class DataError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;

  constructor(message: string, where: DataErrorLocation = {}) {
    super(prefix(where) + message);
    this.name = 'DataError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

function prefix({ file, line, column }: DataErrorLocation): string {
  const parts: string[] = [];
  if (file !== undefined) parts.push(file);
  if (line !== undefined) parts.push(`line ${line}`);
  if (column !== undefined) parts.push(`column "${column}"`);
  return parts.length > 0 ? parts.join(', ') + ': ' : '';
}
