/**
 * CSVLogger (Keras `csv_logger.py`): one row per epoch — the epoch (from 0) and the sorted log keys
 * (val_ columns added when the first epoch has none, as Keras does; a missing value is written NA).
 * Each row is appended and fsynced before the epoch's other work continues, so a crash leaves whole
 * rows only; appending to a file whose last row was cut short (a crash mid-write) drops that partial row.
 * Node only: node:fs is imported on first use, so nn/ still loads in a browser.
 */
import type * as FsPromises from 'node:fs/promises';
import { checkArgs, formatValue, type ArgSpec } from '../../util/args.js';
import { nodeFs } from '../serialization/atomic.js';
import { Callback, type Logs } from './base.js';

export interface CSVLoggerArgs {
  /** Field separator. Default ','. */
  separator?: string;
  /** Append to an existing file (continuing a run) instead of overwriting it. Default false. */
  append?: boolean;
}

const CSV_SPEC: ArgSpec = {
  separator: { type: 'string', help: "a separator such as ',' or '\\t'." },
  append: { type: 'boolean' },
};

export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  /** Columns after 'epoch' (from the first epoch's logs, or the header of the file appended to). */
  private keys: string[] | null = null;
  private writeHeader = true;
  private fs: typeof FsPromises | null = null;

  constructor(filename: string, args: CSVLoggerArgs = {}) {
    super();
    if (typeof filename !== 'string' || filename.length === 0)
      throw new Error(
        `CSVLogger: filename must be a non-empty path such as 'run/log.csv'; received ${formatValue(filename)}`,
      );
    checkArgs(args, CSV_SPEC, 'CSVLogger');
    if (args.separator !== undefined && (args.separator.length === 0 || /["\r\n]/.test(args.separator)))
      throw new Error(
        `Invalid separator for CSVLogger: expected a non-empty string without quotes or line breaks; received ` +
          formatValue(args.separator),
      );
    this.filename = filename;
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  override async onTrainBegin(): Promise<void> {
    const fs = (this.fs = await nodeFs());
    this.keys = null;
    this.writeHeader = true;
    if (!this.append) {
      await fs.writeFile(this.filename, '');
      return;
    }
    const text = await fs.readFile(this.filename, 'utf8').catch(() => null);
    if (text === null || text.length === 0) return;
    // A row cut short by a crash has no line end: drop it.
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) await fs.truncate(this.filename, new TextEncoder().encode(text.slice(0, end)).length);
    const header = text.slice(0, text.indexOf('\n') + 1 || undefined).replace(/\r?\n$/, '');
    if (end === 0 || header.length === 0) return;
    const columns = parseRow(header, this.separator);
    this.keys = columns[0] === 'epoch' ? columns.slice(1) : columns;
    this.writeHeader = false;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.keys === null) {
      const keys = Object.keys(logs).sort();
      if (!keys.some((k) => k.startsWith('val_')) && keys.length > 0) keys.push(...keys.map((k) => `val_${k}`));
      this.keys = keys;
    }
    let text = '';
    if (this.writeHeader) {
      text += this.row(['epoch', ...this.keys]);
      this.writeHeader = false;
    }
    text += this.row([String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))]);
    await this.appendDurably(text);
  }

  private row(fields: string[]): string {
    return `${fields.map((f) => quoteField(f, this.separator)).join(this.separator)}\n`;
  }

  private async appendDurably(text: string): Promise<void> {
    const fs = this.fs ?? (await nodeFs());
    const handle = await fs.open(this.filename, 'a');
    try {
      await handle.write(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** Quotes a field holding the separator, a quote or a line break (Python's csv, minimal quoting). */
function quoteField(field: string, separator: string): string {
  return field.includes(separator) || /["\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Splits one CSV line (quoted fields as quoteField writes them). */
function parseRow(line: string, separator: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let field = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else field += line[i++];
      }
      out.push(field);
      i += separator.length;
    } else {
      const next = line.indexOf(separator, i);
      const stop = next < 0 ? line.length : next;
      out.push(line.slice(i, stop));
      i = stop + separator.length;
    }
  }
  return out;
}
