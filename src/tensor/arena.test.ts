/** The step arena's finite marks: what a kernel found about a buffer holds until the pool may reuse it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alloc, knownFinite, markFinite, withArena } from './arena.js';

test('markFinite: known inside the scope that marked it; forgotten once the outermost scope ends', () => {
  let kept: Float32Array | null = null;
  withArena(() => {
    const a = alloc(64),
      b = alloc(64);
    markFinite(a);
    withArena(() => assert.ok(knownFinite(a), 'an inner scope ending does not free anything'));
    assert.ok(knownFinite(a));
    assert.ok(!knownFinite(b), 'only the marked buffer');
    kept = a;
  });
  assert.ok(!knownFinite(kept!), 'after the outermost scope the pool may hand the buffer out again');
  withArena(() => {
    const again = alloc(64);
    assert.equal(again === kept || alloc(64) === kept, true, 'the pool reuses it');
    assert.ok(!knownFinite(kept!), 'and its old mark does not come back');
  });
  const loose = alloc(8); // outside any scope: a plain array
  markFinite(loose);
  assert.ok(knownFinite(loose));
});
