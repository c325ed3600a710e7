/** ModelCheckpoint's options go through the shared argument checker, as every constructor's do. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelCheckpoint } from './model-checkpoint.js';

test('ModelCheckpoint: misspelt options get a suggestion, bad values are printed as received', () => {
  assert.throws(
    () => new ModelCheckpoint({ filepath: 'ckpt', save_best_only: true } as never),
    /ModelCheckpoint: unknown option 'save_best_only'\. Did you mean 'saveBestOnly'\?/,
  );
  assert.throws(() => new ModelCheckpoint({ filepath: 'ckpt', mode: 'maximum' as never }), /Invalid mode .*'maximum'/);
  assert.throws(() => new ModelCheckpoint({ filepath: 'ckpt', saveFreq: 0 }), /saveFreq must be 'epoch' or a positive/);
  assert.throws(() => new ModelCheckpoint({} as never), /filepath \(a checkpoint directory\) is required/);
  assert.doesNotThrow(() => new ModelCheckpoint({ filepath: 'ckpt', initialValueThreshold: null }));
});
