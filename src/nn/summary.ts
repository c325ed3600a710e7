/** The Keras-style model table, as a string. */

export interface SummaryRow {
  name: string;
  className: string;
  outputShape: number[];
  params: number;
  /** Functional models: the tensors this layer reads, as `layer[node][tensor]` (a column appears when given). */
  connectedTo?: string;
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

export function formatSummary(
  modelName: string,
  rows: readonly SummaryRow[],
  trainable: number,
  nonTrainable: number,
): string {
  const connected = rows.some((r) => r.connectedTo !== undefined);
  const widths = connected ? [34, 20, 12, 30] : [44, 20, 12];
  const line = (c: string) => c.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  const cell = (a: string, b: string, c: string, d = '') =>
    connected
      ? `${pad(a, widths[0]!)}  ${pad(b, widths[1]!)}  ${pad(c, widths[2]!)}  ${d}`
      : `${pad(a, widths[0]!)}  ${pad(b, widths[1]!)}  ${c}`;
  const out: string[] = [
    `Model: "${modelName}"`,
    line('─'),
    cell('Layer (type)', 'Output Shape', 'Param #', 'Connected to'),
    line('═'),
  ];
  rows.forEach((r, i) => {
    out.push(
      cell(
        `${r.name} (${r.className})`,
        `(None, ${r.outputShape.join(', ')})`,
        r.params.toLocaleString('en-US'),
        r.connectedTo ?? '',
      ),
    );
    out.push(line(i === rows.length - 1 ? '─' : '─'));
  });
  const total = trainable + nonTrainable;
  out.push(` Total params: ${total.toLocaleString('en-US')} (${formatBytes(total * 4)})`);
  out.push(` Trainable params: ${trainable.toLocaleString('en-US')} (${formatBytes(trainable * 4)})`);
  out.push(` Non-trainable params: ${nonTrainable.toLocaleString('en-US')} (${formatBytes(nonTrainable * 4)})`);
  return out.join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toFixed(2)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(2)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
