import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conv2d, convAxis, convGeometry, pool2d } from './conv.js';
import { sum, mul } from './index.js';
import { Tensor } from '../tensor/tensor.js';
import { Random } from '../tensor/rng.js';
import { Variable } from '../autograd/variable.js';
import { valueAndGrads } from '../autograd/value-and-grads.js';
import { withArena } from '../tensor/arena.js';
import { ActivationCode } from '../kernels/backend.js';
import { jsBackend, kernels, setKernelBackend } from '../kernels/registry.js';
import { createWasmBackend } from '../kernels/wasm/index.js';
import { assertAllClose } from '../../test/helpers/allclose.js';

function random(shape: number[], seed: number, scale = 1): Tensor {
  const rng = new Random(seed);
  const data = new Float32Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = scale * rng.normal();
  return new Tensor(data, shape);
}

test("convAxis: Keras's output sizes and leading pads ('same': the extra one at the end; causal: on the left)", () => {
  assert.deepEqual(convAxis(6, 3, 2, 1, 'same'), { out: 3, padBefore: 0 }); // total 1: bottom/right
  assert.deepEqual(convAxis(5, 4, 1, 1, 'same'), { out: 5, padBefore: 1 }); // total 3: 1 + 2
  assert.deepEqual(convAxis(7, 3, 1, 2, 'valid'), { out: 3, padBefore: 0 });
  assert.deepEqual(convAxis(7, 3, 1, 2, 'causal'), { out: 7, padBefore: 4 });
  assert.deepEqual(convAxis(2, 3, 1, 1, 'valid'), { out: 0, padBefore: 0 });
});

/** Runs a conv + max-pool + average-pool step on a backend: outputs and gradients. */
function step(colsChunk: number, values: number): Float32Array[] {
  const x = new Variable(random([5, 7, 6, 3], 1, values), { name: 'x' });
  const w = new Variable(random([3, 3, 3, 4], 2, 0.3), { name: 'w' });
  const b = new Variable(random([4], 3, 0.1), { name: 'b' });
  return withArena(() => {
    let y: Tensor | null = null;
    const { grads } = valueAndGrads(() => {
      const g = convGeometry(x.shape, [3, 3], [2, 1], [1, 1], 'same');
      const c = conv2d(x, w, b, g, ActivationCode.Elu, 1, colsChunk);
      const p = pool2d(c, convGeometry(c.shape, [2, 2], [2, 2], [1, 1], 'same'), 'max');
      const a = pool2d(p, convGeometry(p.shape, [2, 2], [1, 1], [1, 1], 'same'), 'average');
      y = a;
      return sum(mul(a, random(a.shape, 4)));
    }, [x, w, b]);
    return [Float32Array.from(y!.data), ...grads.map((g) => Float32Array.from(g.data))];
  });
}

test('conv2d and pooling: wasm agrees with the JS reference, chunked unfolding with one chunk, at extremes', () => {
  const before = kernels();
  try {
    for (const values of [1, 1e3, 1e-30]) {
      setKernelBackend(jsBackend);
      const ref = step(1 << 21, values);
      for (const [backend, chunk] of [
        [createWasmBackend({ threads: 1 }), 1 << 21],
        [createWasmBackend({ threads: 1 }), 100],
        [jsBackend, 100],
      ] as const) {
        setKernelBackend(backend);
        const got = step(chunk, values);
        got.forEach((g, i) => {
          assert.ok(g.every(Number.isFinite), `finite (input scale ${values})`);
          const scale = Math.max(1e-30, ...Array.from(ref[i]!, Math.abs));
          assertAllClose(g, ref[i]!, { rtol: 1e-4, atol: 1e-5 * scale }, `${backend.name} chunk ${chunk} #${i}`);
        });
      }
    }
  } finally {
    setKernelBackend(before);
  }
});

test('max pooling routes the gradient to the first maximum on ties; average pooling skips padding', () => {
  const x = new Variable(new Tensor(new Float32Array([1, 1, 1, 1]), [1, 2, 2, 1]), { name: 'x' });
  const { grads } = valueAndGrads(
    () => sum(pool2d(x, convGeometry(x.shape, [2, 2], [2, 2], [1, 1], 'valid'), 'max')),
    [x],
  );
  assert.deepEqual(Array.from(grads[0]!.data), [1, 0, 0, 0]);
  const y = pool2d(x, convGeometry(x.shape, [3, 3], [1, 1], [1, 1], 'same'), 'average');
  assert.deepEqual(Array.from(y.data), [1, 1, 1, 1]);
});
