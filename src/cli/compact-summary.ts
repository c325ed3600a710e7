/**
 * The model table with repeated blocks folded: a 20×[Dense, BatchNormalization, Activation] stack is one
 * row (`20 × [Dense → BatchNormalization → Activation]`) instead of 60, so training starts on the first
 * screen. `keel train --verbose` prints the full Keras table.
 */
import type { Sequential } from '../nn/model.js';

interface Row {
  name: string;
  className: string;
  shape: string;
  params: number;
}

const MAX_PERIOD = 8;
const MIN_REPEATS = 3;

function rowsOf(model: Sequential, inputShape: number[]): Row[] {
  let shape = inputShape;
  return model.layers.map((l) => {
    shape = l.computeOutputShape(shape);
    return { name: l.name, className: l.className, shape: `(None, ${shape.join(', ')})`, params: l.countParams() };
  });
}

const key = (r: Row) => `${r.className}|${r.shape}|${r.params}`;

/** How many times the block rows[i, i + period) repeats back to back from i. */
function repeats(rows: Row[], i: number, period: number): number {
  let k = 1;
  for (;;) {
    const start = i + k * period;
    if (start + period > rows.length) return k;
    for (let j = 0; j < period; j++) if (key(rows[start + j]!) !== key(rows[i + j]!)) return k;
    k++;
  }
}

function bestBlock(rows: Row[], i: number): { period: number; k: number } {
  let best = { period: 1, k: 1 };
  for (let p = 1; p <= MAX_PERIOD && i + p <= rows.length; p++) {
    const k = repeats(rows, i, p);
    if (k >= MIN_REPEATS && k * p > best.k * best.period) best = { period: p, k };
  }
  return best;
}

/** `inputShape`: one example's shape (the model's input without the batch axis). */
export function compactSummary(model: Sequential, inputShape: number[]): string {
  const rows = rowsOf(model, inputShape);
  const out: [string, string, string][] = [];
  for (let i = 0; i < rows.length;) {
    let best = bestBlock(rows, i);
    // Align blocks as a config writes them, starting with the model's first layer type (Dense → BN → ELU,
    // not BN → ELU → Dense), when a shift by less than one block covers as many layers.
    for (let j = 1; j < best.period && rows[i]!.className !== rows[0]!.className; j++) {
      const shifted = bestBlock(rows, i + j);
      if (shifted.period === best.period && shifted.k === best.k && rows[i + j]!.className === rows[0]!.className) {
        best = { period: 1, k: 1 };
        break;
      }
    }
    const r = rows[i]!;
    if (best.k === 1) {
      out.push([`${r.name} (${r.className})`, r.shape, r.params.toLocaleString('en-US')]);
      i++;
      continue;
    }
    const block = rows.slice(i, i + best.period);
    const last = rows[i + best.k * best.period - 1]!;
    out.push([
      `${best.k} × [${block.map((b) => b.className).join(' → ')}]`,
      last.shape,
      `${(block.reduce((n, b) => n + b.params, 0) * best.k).toLocaleString('en-US')}`,
    ]);
    out.push([`  ${r.name} … ${last.name}`, '', '']);
    i += best.k * best.period;
  }
  const widths = [0, 1, 2].map((c) =>
    Math.max(...out.map((o) => o[c]!.length), ['Layer (type)', 'Output Shape'][c]?.length ?? 0),
  );
  const fmt = (o: [string, string, string]) =>
    `${o[0].padEnd(widths[0]!)}  ${o[1].padEnd(widths[1]!)}  ${o[2]}`.trimEnd();
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const total = model.countParams();
  return [
    `Model: "${model.name}" (${rows.length} layers; --verbose for each one)`,
    fmt(['Layer (type)', 'Output Shape', 'Param #']),
    ...out.map(fmt),
    `Total params: ${total.toLocaleString('en-US')} (trainable ${trainable.toLocaleString('en-US')})`,
  ].join('\n');
}
