/** Element-wise activations and softmax as differentiable ops (kernels do the loops). */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { kernels } from '../kernels/registry.js';
import { ActivationCode } from '../kernels/backend.js';

/** y = f(x) for one of the kernel activations; `param` is ELU's alpha or the leaky slope. */
export function activation(x: Tensor, act: ActivationCode, param = 0): Tensor {
  if (act === ActivationCode.Linear) return x;
  const out = alloc(x.size);
  kernels().biasActivation(x.data, null, x.data, out, 1, x.size, act, param);
  const result = new Tensor(out, x.shape);
  if (act === ActivationCode.Sigmoid) result.logits = { tensor: x, kind: 'sigmoid' };
  return record(result, [x], (dy) => {
    const g = alloc(x.size);
    kernels().activationBackward(dy, x.data, out, g, x.size, act, param);
    return [g];
  });
}

/** softmax(x) = exp(x − max)/Σ exp(x − max) along the last axis. */
export function softmax(x: Tensor): Tensor {
  const cols = x.shape[x.rank - 1] ?? 1;
  const rows = x.size / cols;
  const out = alloc(x.size);
  kernels().softmax(x.data, out, rows, cols);
  const result = new Tensor(out, x.shape);
  result.logits = { tensor: x, kind: 'softmax' };
  return record(result, [x], (dy) => {
    const g = alloc(x.size);
    kernels().softmaxBackward(dy, out, g, rows, cols);
    return [g];
  });
}
