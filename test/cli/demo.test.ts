/**
 * The main job's claim in quick form: on the 10,000-image subset, sigmoid +
 * glorot_uniform stays at chance while he_normal + elu learns, and the
 * gradient-norm columns show why (PyTorch on the full set: 10.0% vs 82.8–83.2%).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDemo } from '../../src/cli/demo/run-demo.js';
import { formatDemoTable, QUICK } from '../../src/cli/commands/demo.js';

test(
  'keel demo --quick: sigmoid + glorot_uniform ≤ 15%, he_normal + elu ≥ 70%, and the gradients say why',
  { timeout: 240_000 },
  async () => {
    const rows = await runDemo({ ...QUICK, only: ['sigmoid-glorot', 'elu-he'] });
    const table = formatDemoTable(rows);
    console.log(
      table
        .split('\n')
        .map((l) => `# ${l}`)
        .join('\n'),
    );
    const [sigmoid, elu] = rows;
    assert.equal(sigmoid!.variant.key, 'sigmoid-glorot');
    assert.ok(sigmoid!.testAccuracy <= 0.15, `sigmoid + glorot_uniform reached ${sigmoid!.testAccuracy}`);
    assert.ok(elu!.testAccuracy >= 0.7, `he_normal + elu reached only ${elu!.testAccuracy}`);
    assert.ok(
      sigmoid!.gradFirst / sigmoid!.gradLast < 1e-6,
      'sigmoid + glorot: the first layer gets a vanishing share of the gradient',
    );
    const ratio = elu!.gradFirst / elu!.gradLast;
    assert.ok(ratio > 0.1 && ratio < 10, `he + elu: first/last gradient ratio ${ratio} should be within 10x`);
    assert.match(sigmoid!.verdict, /vanish/);
    assert.match(table, /sigmoid \+ glorot_uniform .*10\.\d%/);
  },
);
