import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourEnabled, paint } from './colour.js';

test('findings are coloured on a TTY only, and not with NO_COLOR or TERM=dumb', () => {
  assert.equal(colourEnabled({ isTTY: true }, {}), true);
  assert.equal(colourEnabled({ isTTY: false }, {}), false);
  assert.equal(colourEnabled({}, {}), false);
  assert.equal(colourEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colourEnabled({ isTTY: true }, { TERM: 'dumb' }), false);
  assert.equal(paint('exploding_gradient at step 3', 'error', true), '\x1b[31mexploding_gradient at step 3\x1b[0m');
  assert.equal(paint('exploding_gradient at step 3', 'error', false), 'exploding_gradient at step 3');
});
