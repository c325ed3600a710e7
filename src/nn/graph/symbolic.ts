/**
 * The symbolic side of the functional API (Keras 3 `KerasTensor`, `ops/node.py`):
 * `input({shape})` makes a placeholder; `layer.apply(symbolic)` records a Node
 * (the layer, its input tensors, its output tensor) on the layer and returns the
 * output placeholder. A Model is the graph of Nodes between its inputs and
 * outputs; a layer applied twice has two Nodes and one set of weights.
 * Shapes exclude the batch axis, as everywhere in Keel.
 */
import { formatValue } from '../../util/args.js';
import type { Layer } from '../layers/layer.js';

let nextId = 0;
const inputCounters = { n: 0 };

/** A placeholder for a batch of tensors of `shape` (without the batch axis). */
export class SymbolicTensor {
  /** Unique within the process; the engine's slot key. */
  readonly id = nextId++;
  constructor(
    readonly shape: readonly number[],
    /** The Node whose output this is, or null for a model input. */
    readonly node: Node | null,
    /** A model input's name (the InputLayer's name in saved files); a node output's is its layer's. */
    readonly inputName: string | null = null,
  ) {}

  /** The name of the layer (or input) that produced it. */
  get layerName(): string {
    return this.node !== null ? this.node.layer.name : this.inputName!;
  }

  toString(): string {
    return `<SymbolicTensor shape=(None, ${this.shape.join(', ')}) from '${this.layerName}'>`;
  }
}

/** One call of a layer in a graph: its inputs (a list for merge layers) and its output. */
export class Node {
  readonly output: SymbolicTensor;
  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    /** True when the layer was called on a list (merge layers), false for a single tensor. */
    readonly listInput: boolean,
    outputShape: readonly number[],
    /** Index of this node among the layer's nodes (Keras node_index). */
    readonly nodeIndex: number,
  ) {
    this.output = new SymbolicTensor([...outputShape], this);
  }
}

export interface InputArgs {
  /** Shape without the batch axis, e.g. [784]. */
  shape: number[];
  /** The input's name (default input_layer, input_layer_1, ... as Keras 3). */
  name?: string;
  /** Only 'float32'. */
  dtype?: 'float32';
}

/**
 * A model input (Keras `keras.Input`).
 * @example const x = input({ shape: [784] }); const y = new layers.Dense(10).apply(x);
 */
export function input(args: InputArgs): SymbolicTensor {
  if (typeof args !== 'object' || args === null)
    throw new Error(`input: expected an options object { shape: [features] }; received ${formatValue(args)}`);
  for (const key of Object.keys(args)) {
    if (!['shape', 'name', 'dtype'].includes(key))
      throw new Error(`input: unknown option '${key}'; expected shape, name or dtype`);
  }
  const shape = args.shape;
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d <= 0 || d > 1e8)) {
    throw new Error(
      `Invalid shape for input: expected a list of positive integers without the batch axis (e.g. [784]); ` +
        `received ${formatValue(shape)}`,
    );
  }
  if (args.dtype !== undefined && args.dtype !== 'float32')
    throw new Error(`input: only dtype 'float32' is supported; received ${formatValue(args.dtype)}`);
  if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0 || args.name.includes('/')))
    throw new Error(
      `Invalid name for input: expected a non-empty string without '/'; received ${formatValue(args.name)}`,
    );
  const n = inputCounters.n++;
  return new SymbolicTensor([...shape], null, args.name ?? (n === 0 ? 'input_layer' : `input_layer_${n}`));
}

/** Restarts automatic input names (called with resetLayerNames). */
export function resetInputNames(): void {
  inputCounters.n = 0;
}

/** True for a SymbolicTensor or a non-empty list of them. */
export function isSymbolic(x: unknown): x is SymbolicTensor | readonly SymbolicTensor[] {
  return x instanceof SymbolicTensor || (Array.isArray(x) && x.length > 0 && x[0] instanceof SymbolicTensor);
}
