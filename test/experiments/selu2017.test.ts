/** `keel experiment selu2017 --quick`: checks S1–S4 of docs/paper-results.md §3. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSelu2017 } from '../../src/experiments/selu2017.js';
import { silent } from '../../src/experiments/types.js';

test(
  'selu2017 --quick: the (0,1) fixed point, 100-layer self-normalization, what breaks it, and SELU beating ' +
    'ReLU at depth 30',
  async () => {
    const { results: r } = await runSelu2017({ quick: true, log: silent });
    // S2: α01, λ01 from g(0,1) = (0,1); iterating from ν0 ∈ {0.1, 3, 10} reaches |ν − 1| < 0.01 in 30 steps.
    assert.ok(
      Math.abs(r.params.alpha - 1.6732632423543772) < 1e-12 && Math.abs(r.params.lambda - 1.0507009873554805) < 1e-12,
      JSON.stringify(r.params),
    );
    assert.ok(r.fixedPointResidual < 1e-12);
    for (const i of r.iterates) assert.ok(Math.abs(i.nu30 - 1) < 0.01, `ν0 ${i.nu0} → ${i.nu30}`);
    const at = (k: string, layer: number) =>
      r.depthStats.find((d) => d.key === k)!.at.find((a) => a.layer === layer)!.moments;
    // S1: |mean| < 0.1 and 0.85 < std < 1.15 at layers 50 and 100; tanh + lecun has std < 0.15 at layer 50.
    for (const l of [50, 100]) {
      assert.ok(
        Math.abs(at('selu-lecun', l).mean) < 0.1 && at('selu-lecun', l).std > 0.85 && at('selu-lecun', l).std < 1.15,
        `layer ${l}: ${JSON.stringify(at('selu-lecun', l))}`,
      );
      assert.ok(
        at('selu-alphadropout', l).std > 0.85 && at('selu-alphadropout', l).std < 1.15,
        `AlphaDropout layer ${l}`,
      );
    }
    assert.ok(at('tanh-lecun', 50).std < 0.15);
    // What breaks it: he_normal explodes (std > 3 at layer 100); Dropout inflates the variance past the band.
    assert.ok(at('selu-he', 100).std > 3, `he_normal std ${at('selu-he', 100).std}`);
    assert.ok(at('selu-dropout', 100).std > 1.15, `Dropout std ${at('selu-dropout', 100).std}`);
    // S3: AlphaDropout keeps (0, 1) within ±0.01 / ±0.02; Dropout's variance ≈ 1.11.
    const alpha = r.dropout.find((d) => d.layer === 'AlphaDropout')!,
      plain = r.dropout.find((d) => d.layer === 'Dropout')!;
    assert.ok(Math.abs(alpha.mean) < 0.01 && Math.abs(alpha.variance - 1) < 0.02, JSON.stringify(alpha));
    assert.ok(plain.variance > 1.05, JSON.stringify(plain));
    // S4: 30 layers on the teacher task: SELU ahead of ReLU + He by a clear margin.
    const acc = (k: string) => r.teacher.find((t) => t.key === k)!.valAccuracy;
    assert.ok(acc('selu-lecun') > acc('relu-he') + 0.1, `SELU ${acc('selu-lecun')} vs ReLU ${acc('relu-he')}`);
  },
);
