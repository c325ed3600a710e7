/**
 * Reverse-mode autodiff. While a tape is active, every op whose inputs need
 * gradients records a node: its inputs, its output and its backward rule.
 * `backward` walks the nodes in reverse and sums each input's gradient.
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';

/** Given dL/d(output), returns dL/d(input) for each input (null where not needed). */
export type BackwardRule = (dy: Float32Array) => ReadonlyArray<Float32Array | null>;

export interface TapeNode {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly backward: BackwardRule;
}

class Tape {
  readonly nodes: TapeNode[] = [];
}

let active: Tape | null = null;

export function isRecording(): boolean {
  return active !== null;
}

/** True when gradients would flow from `inputs` through a new op. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  if (active === null) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/** Records `output = op(inputs)` with its backward rule, if any input needs a gradient. */
export function record(output: Tensor, inputs: readonly Tensor[], backward: BackwardRule): Tensor {
  if (!needsGrad(inputs)) return output;
  output.requiresGrad = true;
  const node: TapeNode = { inputs, output, backward };
  output.node = node;
  active!.nodes.push(node);
  return output;
}

function accumulate(grads: Map<Tensor, Float32Array>, t: Tensor, g: Float32Array): void {
  const prev = grads.get(t);
  if (prev === undefined) {
    grads.set(t, g);
    return;
  }
  // The first gradient buffer may belong to an op's workspace; sum into a fresh one.
  const sum = alloc(prev.length);
  for (let i = 0; i < prev.length; i++) sum[i] = prev[i]! + g[i]!;
  grads.set(t, sum);
}

/**
 * Runs `f` under a tape and back-propagates from its scalar result.
 * Returns the gradient buffers of `targets` (zeros where `f` does not depend on a target).
 */
export function gradientsOf(f: () => Tensor, targets: readonly Tensor[]): { value: Tensor; grads: Float32Array[] } {
  if (active !== null) throw new Error('valueAndGrads: nested gradient tapes are not supported');
  const tape = new Tape();
  active = tape;
  let value: Tensor;
  try {
    value = f();
  } finally {
    active = null;
  }
  if (!(value instanceof Tensor)) throw new Error('valueAndGrads: the function must return a Tensor');
  if (value.size !== 1)
    throw new Error(`valueAndGrads: the function must return a scalar; received shape [${value.shape.join(', ')}]`);
  const grads = new Map<Tensor, Float32Array>();
  const seed = alloc(1);
  seed[0] = 1;
  grads.set(value, seed);
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const node = tape.nodes[i]!;
    const dy = grads.get(node.output);
    if (dy === undefined) continue;
    const inputGrads = node.backward(dy);
    for (let j = 0; j < node.inputs.length; j++) {
      const input = node.inputs[j]!;
      const g = inputGrads[j];
      if (g != null && input.requiresGrad) accumulate(grads, input, g);
    }
    grads.delete(node.output);
  }
  const out = targets.map((t) => grads.get(t) ?? new Float32Array(t.size));
  return { value, grads: out };
}
