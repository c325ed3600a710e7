/** The terminal progress bar: on a TTY, each epoch ends as ONE line (the bar is replaced, not kept). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressLogger } from './progress.js';
import { Sequential } from '../nn/model.js';
import { Dense } from '../nn/layers/dense.js';
import { tensor } from '../tensor/tensor.js';

/** A fake terminal: applies carriage moves and line clears, keeps the lines that end with '\n'. */
function fakeTerminal() {
  const lines: string[] = [];
  let current = '';
  const stream = {
    isTTY: true,
    columns: 120,
    write(chunk: string): boolean {
      // eslint-disable-next-line no-control-regex
      for (const part of chunk.split(/(\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]|\n|\r)/)) {
        if (part === '\n') {
          lines.push(current);
          current = '';
        } else if (part === '\r' || /^\x1b\[\d*G$/.test(part) || part === '\x1b[2K') {
          if (part === '\x1b[2K') current = '';
        } else if (!part.startsWith('\x1b')) current += part;
      }
      return true;
    },
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, lines };
}

test('on a TTY each epoch prints its header and one summary line, no leftover bar', async () => {
  const { stream, lines } = fakeTerminal();
  const model = new Sequential([new Dense(2, { activation: 'softmax', inputShape: [3] })]);
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = tensor(new Array<number>(30).fill(0.1), [10, 3]);
  const y = tensor(new Array<number>(10).fill(1), [10]);
  await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [new ProgressLogger(1, stream)] });
  const kept = lines.filter((l) => l.trim() !== '');
  assert.equal(kept.length, 4, kept.join('\n'));
  assert.match(kept[0]!, /^Epoch 1\/2$/);
  assert.match(kept[1]!, /^\d+\.\ds - loss: [\d.]+ - accuracy: [\d.]+$/);
  assert.match(kept[2]!, /^Epoch 2\/2$/);
  assert.equal(kept.filter((l) => l.includes('[')).length, 0, 'no bar line is kept');
});
