/**
 * Every layer constructor checks its options through one helper (util/args.ts): unknown
 * names get a suggestion (plain-JavaScript users get no compiler), types and ranges are
 * checked, values are printed as received (NaN as NaN), and Keras keys Keel does not
 * support are refused unless null.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layers } from '../../index.js';

test('a misspelt or snake_case option gets a did-you-mean naming the layer', () => {
  assert.throws(
    () => new layers.Dense(3, { kernel_initializer: 'he_normal' } as never),
    /Dense 'dense\w*': unknown option 'kernel_initializer'\. Did you mean 'kernelInitializer'\?/,
  );
  assert.throws(
    () => new layers.Dropout({ rate: 0.1, sede: 3 } as never),
    /unknown option 'sede'\. Did you mean 'seed'\?/,
  );
  assert.throws(() => new layers.BatchNormalization({ momentun: 0.9 } as never), /Did you mean 'momentum'\?/);
});

test('types and ranges are checked and the value is printed as received', () => {
  assert.throws(
    () => new layers.Dense(3, { useBias: 'yes' as never }),
    /Invalid useBias for Dense .*true or false; received 'yes'/,
  );
  assert.throws(() => new layers.BatchNormalization({ epsilon: NaN }), /Invalid epsilon .*received NaN/);
  assert.throws(() => new layers.BatchNormalization({ momentum: 1.5 }), /Invalid momentum .*\[0, 1\]; received 1\.5/);
  assert.throws(() => new layers.LeakyReLU({ negativeSlope: Infinity }), /Invalid negativeSlope .*received Infinity/);
  assert.throws(() => new layers.ELU({ alpha: NaN }), /Invalid alpha for ELU .*received NaN/);
  assert.throws(() => new layers.Dense(2.5), /Invalid units for Dense .*positive integer.*received 2\.5/);
  assert.throws(() => new layers.GaussianNoise(-1), /Invalid stddev for GaussianNoise .*received -1/);
  assert.throws(() => new layers.Dense(3, { trainable: 1 as never }), /Invalid trainable .*true or false; received 1/);
});

test('Keras keys Keel does not implement are accepted as null and refused otherwise, with the fix', () => {
  assert.doesNotThrow(() => new layers.Dense(3, { loraRank: null } as never));
  assert.throws(
    () => new layers.Dense(3, { quantizationConfig: { class_name: 'Int8' } } as never),
    /'quantizationConfig' is not supported; received \{"class_name":"Int8"\}\nhelp: leave it out or set it to null/,
  );
});
