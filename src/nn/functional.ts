/**
 * Model: the graph engine (Keras 3 `models/functional.py`). A model is the graph
 * of layer calls between its inputs and outputs, run node by node in topological
 * order; `Sequential` (model.ts) is the special case of a chain. Building,
 * running, predicting, weights and summary live here; compile/fit/evaluate in
 * training.ts. Layers hold no per-model state: a layer applied twice is one set of
 * weights used by two nodes.
 * @example
 *   const x = input({ shape: [784] });
 *   const h = new layers.Dense(64, { activation: 'relu' }).apply(x);
 *   const y = new layers.Dense(10, { activation: 'softmax' }).apply(new layers.Add().apply([h, h]));
 *   const model = new Model({ inputs: x, outputs: y });
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { withArena, alloc } from '../tensor/arena.js';
import type { Variable } from '../autograd/variable.js';
import { Layer, uniqueLayerName } from './layers/layer.js';
import { SymbolicTensor, type Node } from './graph/symbolic.js';
import { formatSummary } from './summary.js';
import type { CallbackLike } from './callbacks.js';
import type { History } from './history.js';
import type { Optimizer, OptimizerIdentifier } from './optimizers/index.js';
import type { KerasObject } from './keras-config.js';
import type { LossFunction, LossIdentifier } from './losses.js';
import type { MetricIdentifier } from './metrics.js';
import { compileModel, evaluateModel, fitModel, trainOnBatch, type CompiledState, type FitResume } from './training.js';
import { saveModel } from './serialization/save.js';

type LossLike = LossIdentifier | KerasObject | LossFunction;

export interface CompileArgs {
  optimizer: Optimizer | OptimizerIdentifier | KerasObject;
  /**
   * A Keras loss name ('sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy', 'mse'),
   * a {class_name, config} object, or a loss function. A model with several outputs takes one loss for all,
   * a list (one per output, in order) or an object keyed by output name (its layer's name), as Keras.
   */
  loss: LossLike | readonly LossLike[] | Readonly<Record<string, LossLike>>;
  /**
   * Accuracy metrics, logged under the name as written. 'accuracy'/'acc' resolve from the
   * targets' and predictions' shapes as Keras 3 does: binary when the prediction's last
   * dimension is 1, sparse categorical when the targets are integer labels, else categorical.
   * With several outputs: a list per output (a list of lists) or an object keyed by output name; each is
   * logged as `<output>_<metric>`.
   */
  metrics?: MetricIdentifier[] | readonly MetricIdentifier[][] | Readonly<Record<string, MetricIdentifier[]>>;
  /** Several outputs: each output's loss weight in the total (a list, or an object by output name). Default 1. */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
  /** Treat predictions as logits in the loss (the cross-entropies). Default false. */
  fromLogits?: boolean;
}

/** Data for a model: one tensor, a list (one per input or output, in order), or an object by name. */
export type ModelData = Tensor | readonly Tensor[] | Readonly<Record<string, Tensor>>;

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  /** Fraction of the data (the last examples, before shuffling) held out for validation. */
  validationSplit?: number;
  validationData?: [ModelData, ModelData];
  /** Shuffle the training examples every epoch (seeded by the global generator). Default true. */
  shuffle?: boolean;
  callbacks?: CallbackLike[];
  /** 0 silent, 1 progress bar, 2 one line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
  /** Continue a run from a checkpoint: `(await loadCheckpoint(dir, model)).resume` (see nn/checkpoint). */
  resumeFrom?: FitResume | null;
  /** When the loss or a weight becomes NaN/Inf: 'stop' (default) or 'rollback' to the last checkpoint in
   * `checkpointDir` with half the learning rate. */
  onNaN?: 'stop' | 'rollback';
  /** Where 'rollback' keeps its checkpoints (required with onNaN 'rollback'). */
  checkpointDir?: string;
  /** With onNaN 'rollback': checkpoint every epoch (default) or every this many batches. */
  checkpointFreq?: 'epoch' | number;
  /** With onNaN 'rollback': give up (stop as 'stop' would) after this many rollbacks. Default 5. */
  maxRollbacks?: number;
}

export interface PredictArgs {
  batchSize?: number;
  /** Run layers in training mode: Dropout/AlphaDropout sample masks (MC dropout); BatchNormalization uses batch
   * statistics and updates its moving averages, exactly as Keras's model(x, training=True). */
  training?: boolean;
}

/** Inspects each layer's output during a call (used by the gradient monitor). */
export type LayerOutputObserver = (layer: Layer, output: Tensor) => void;

export interface ModelArgs {
  /** The model's input placeholder(s), from `input({shape})`. */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** Its output placeholder(s): what layers applied to the inputs returned. */
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  name?: string;
}

/** One step of the engine: a layer call reading slots and writing one. */
interface Step {
  node: Node;
  layer: Layer;
  inSlots: number[];
  outSlot: number;
}

interface Graph {
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  steps: Step[];
  inputSlots: number[];
  outputSlots: number[];
  slots: number;
}

export class Model {
  readonly name: string;
  /** The layers, each once, in the order the graph first calls them (model inputs are not layers in Keel). */
  readonly layers: Layer[] = [];
  stopTraining = false;
  /** @internal compile() state. */
  compiled: CompiledState | null = null;
  /** @internal the graph, once known (a Sequential's when its input shape is). */
  protected graph: Graph | null = null;

  /** @example new Model({ inputs: x, outputs: [y1, y2], name: 'two_heads' }) */
  constructor(args: ModelArgs | { name?: string }) {
    if (typeof args !== 'object' || args === null)
      throw new Error(`Model: expected { inputs, outputs }; received ${String(args)}`);
    const a = args as Partial<ModelArgs>;
    this.name = a.name ?? uniqueLayerName(this.defaultName());
    if (a.inputs === undefined && a.outputs === undefined && new.target !== Model) return; // a Sequential
    for (const key of Object.keys(args))
      if (!['inputs', 'outputs', 'name'].includes(key))
        throw new Error(`Model '${this.name}': unknown option '${key}'; expected inputs, outputs and name`);
    if (a.inputs === undefined || a.outputs === undefined)
      throw new Error(`Model '${this.name}': both inputs and outputs are required (new Model({ inputs, outputs }))`);
    const inputs = (Array.isArray(a.inputs) ? a.inputs : [a.inputs]) as SymbolicTensor[];
    const outputs = (Array.isArray(a.outputs) ? a.outputs : [a.outputs]) as SymbolicTensor[];
    this.setGraph(inputs, outputs);
    this.layers.push(...uniqueLayers(this.graph!.steps));
  }

  /** True for a Sequential (saved as a plain stack of layers). */
  get isSequential(): boolean {
    return false;
  }

  /** The automatic name prefix ('functional' as Keras 3; 'sequential'). */
  protected defaultName(): string {
    return 'functional';
  }

  /** How messages name the model: "Model 'functional'" or "Sequential 'sequential'". */
  get where(): string {
    return `${this.constructor === Model ? 'Model' : this.constructor.name} '${this.name}'`;
  }

  /** Sets the graph between `inputs` and `outputs`: checks it and orders its nodes. */
  protected setGraph(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): void {
    const where = this.where;
    if (inputs.length === 0 || outputs.length === 0)
      throw new Error(`${where}: needs at least one input and one output`);
    for (const [what, list] of [
      ['inputs', inputs],
      ['outputs', outputs],
    ] as const) {
      list.forEach((t, i) => {
        if (!(t instanceof SymbolicTensor))
          throw new Error(
            `${where}: ${what}[${i}] must be a SymbolicTensor (from input() or layer.apply); received ${String(t)}`,
          );
      });
    }
    inputs.forEach((t, i) => {
      if (t.node !== null)
        throw new Error(
          `${where}: inputs[${i}] is the output of layer '${t.layerName}', not a model input; use input({ shape })`,
        );
    });
    if (new Set(inputs.map((t) => t.inputName)).size !== inputs.length)
      throw new Error(`${where}: two inputs share a name (${inputs.map((t) => t.inputName).join(', ')})`);
    const slot = new Map<SymbolicTensor, number>();
    inputs.forEach((t) => slot.set(t, slot.size));
    const steps: Step[] = [];
    const visiting = new Set<Node>();
    const done = new Set<Node>();
    const names = new Map<string, Layer>();
    const visit = (t: SymbolicTensor, from: string) => {
      if (slot.has(t)) return;
      const node = t.node;
      if (node === null)
        throw new Error(
          `${where}: the graph is disconnected: ${from} needs input '${t.inputName}', which is not among the ` +
            `model's inputs (${inputs.map((i) => i.inputName).join(', ')})`,
        );
      if (done.has(node)) return;
      if (visiting.has(node)) throw new Error(`${where}: the graph has a cycle through layer '${node.layer.name}'`);
      visiting.add(node);
      for (const x of node.inputs) visit(x, `layer '${node.layer.name}'`);
      visiting.delete(node);
      done.add(node);
      const other = names.get(node.layer.name);
      if (other !== undefined && other !== node.layer)
        throw new Error(`${where}: two different layers are named '${node.layer.name}'; layer names must be unique`);
      names.set(node.layer.name, node.layer);
      slot.set(node.output, slot.size);
      steps.push({ node, layer: node.layer, inSlots: node.inputs.map((x) => slot.get(x)!), outSlot: slot.size - 1 });
    };
    outputs.forEach((t, i) => visit(t, `outputs[${i}]`));
    for (const t of inputs)
      if (names.has(t.inputName!))
        throw new Error(`${where}: input '${t.inputName}' has the name of a layer; names must be unique`);
    this.graph = {
      inputs: [...inputs],
      outputs: [...outputs],
      steps,
      inputSlots: inputs.map((t) => slot.get(t)!),
      outputSlots: outputs.map((t) => slot.get(t)!),
      slots: slot.size,
    };
  }

  get built(): boolean {
    return this.graph !== null;
  }

  /** The input placeholders (empty until a Sequential knows its input shape). */
  get inputs(): readonly SymbolicTensor[] {
    return this.graph?.inputs ?? [];
  }
  get outputs(): readonly SymbolicTensor[] {
    return this.graph?.outputs ?? [];
  }
  /** The inputs' names (InputLayer names in saved files), in order. */
  get inputNames(): string[] {
    return this.inputs.map((t) => t.inputName!);
  }
  /** The outputs' names: the names of the layers that produce them (keys for losses, metrics and data). */
  get outputNames(): string[] {
    return this.outputs.map((t) => t.layerName);
  }

  /** The graph's layer calls in execution order (each once; a shared layer has one per call). */
  get nodes(): readonly Node[] {
    return this.graph?.steps.map((s) => s.node) ?? [];
  }

  /** The (first) input's shape without the batch axis, once known. */
  getInputShape(): number[] | null {
    const t = this.graph?.inputs[0];
    return t === undefined ? null : [...t.shape];
  }

  /** The (first) output's shape without the batch axis. */
  getOutputShape(): number[] {
    const g = this.requireGraph();
    return [...g.outputs[0]!.shape];
  }

  protected requireGraph(): Graph {
    if (this.graph === null)
      throw new Error(`${this.where} is not built yet: give the first layer an inputShape or call it on data`);
    return this.graph;
  }

  /** Tensors in the inputs' order from one tensor, a list or an object by input name. */
  inputList(x: ModelData, what = 'x'): Tensor[] {
    return this.dataList(x, this.inputNames, what, 'input');
  }

  /** Tensors in the outputs' order from one tensor, a list or an object by output name. */
  targetList(y: ModelData, what = 'y'): Tensor[] {
    return this.dataList(y, this.outputNames, what, 'output');
  }

  private dataList(d: ModelData, names: readonly string[], what: string, kind: string): Tensor[] {
    const where = `${this.where}: ${what}`;
    let list: Tensor[];
    if (d instanceof Tensor) list = [d];
    else if (Array.isArray(d)) list = [...(d as Tensor[])];
    else if (typeof d === 'object' && d !== null) {
      const rec = d as Record<string, Tensor>;
      for (const k of Object.keys(rec))
        if (!names.includes(k))
          throw new Error(
            `${where} has a key '${k}' that is no ${kind} of the model; its ${kind}s: ${names.join(', ')}`,
          );
      list = names.map((n) => {
        const t = rec[n];
        if (t === undefined) throw new Error(`${where} has no entry for ${kind} '${n}'`);
        return t;
      });
    } else throw new Error(`${where} must be a Tensor, a list of Tensors or an object of Tensors by ${kind} name`);
    if (list.length !== names.length)
      throw new Error(
        `${where}: the model has ${names.length} ${kind}s (${names.join(', ')}) but ${list.length} tensors were given`,
      );
    list.forEach((t, i) => {
      if (!(t instanceof Tensor))
        throw new Error(`${where}: ${kind} '${names[i]}' must be a Tensor (use tensor(values, shape))`);
    });
    return list;
  }

  /** Throws unless each x is [batch, ...that input's shape] and all have the same batch. */
  checkInputs(xs: readonly Tensor[], what = 'input'): void {
    const g = this.requireGraph();
    xs.forEach((x, i) => {
      const expected = g.inputs[i]!.shape;
      const got = x.shape.slice(1);
      if (x.rank < 2 || got.length !== expected.length || got.some((d, j) => d !== expected[j])) {
        throw new Error(
          `${this.where}: ${what}${xs.length > 1 ? ` '${g.inputs[i]!.inputName}'` : ''} of shape ` +
            `${formatShape(x.shape)} does not match the model's input shape [batch, ${expected.join(', ')}]` +
            this.firstLayerNote(),
        );
      }
      if (x.shape[0] !== xs[0]!.shape[0])
        throw new Error(`${this.where}: ${what}s have ${xs.map((t) => t.shape[0]).join(' and ')} samples; must agree`);
    });
  }

  /** A note naming the first layer (Sequential messages have it). */
  protected firstLayerNote(): string {
    return '';
  }

  /**
   * The engine: runs every node in order on a batch per input; differentiable under a tape.
   * `observe` sees each layer call's output.
   */
  run(xs: readonly Tensor[], args: { training?: boolean; observe?: LayerOutputObserver } = {}): Tensor[] {
    const g = this.requireGraph();
    const ctx = { training: args.training ?? false };
    const values = new Array<Tensor | undefined>(g.slots);
    for (let i = 0; i < g.inputSlots.length; i++) values[g.inputSlots[i]!] = xs[i];
    const observe = args.observe;
    for (const step of g.steps) {
      const ins = step.inSlots;
      const y = step.node.listInput
        ? step.layer.apply(
            ins.map((s) => values[s]!),
            ctx,
          )
        : step.layer.apply(values[ins[0]!]!, ctx);
      values[step.outSlot] = y;
      observe?.(step.layer, y);
    }
    return g.outputSlots.map((s) => values[s]!);
  }

  /** Runs the model on a batch: its output, or a list of outputs for a model with several (`apply<Tensor[]>`). */
  apply<T extends Tensor | Tensor[] = Tensor>(
    x: ModelData,
    args: { training?: boolean; observe?: LayerOutputObserver } = {},
  ): T {
    const xs = this.inputList(x);
    this.checkInputs(xs);
    const out = this.run(xs, args);
    return (out.length === 1 ? out[0]! : out) as T;
  }

  /** Builds before first use when the model can still learn its input shape (Sequential). */
  protected ensureBuilt(_xs: readonly Tensor[]): void {
    this.requireGraph();
  }

  /**
   * Outputs for `x`, batch by batch; a model with several outputs returns a list (typed by the caller:
   * `model.predict<Tensor[]>(x)`). `training: true` gives MC dropout.
   * @example const probs = model.predict(xTest, { batchSize: 256 });
   */
  predict<T extends Tensor | Tensor[] = Tensor>(x: ModelData, args: PredictArgs = {}): T {
    const out = this.predictAll(this.inputList(x), args);
    return (out.length === 1 ? out[0]! : out) as T;
  }

  /** predict on a list of inputs, always returning the list of outputs. */
  predictAll(xs: readonly Tensor[], args: PredictArgs = {}): Tensor[] {
    this.ensureBuilt(xs);
    this.checkInputs(xs);
    const g = this.requireGraph();
    const batchSize = args.batchSize ?? 32;
    const n = xs[0]!.shape[0]!;
    const inWidths = g.inputs.map((t) => sizeOf([...t.shape]));
    const outWidths = g.outputs.map((t) => sizeOf([...t.shape]));
    const results = outWidths.map((w) => new Float32Array(n * w));
    for (let start = 0; start < n; start += batchSize) {
      const rows = Math.min(batchSize, n - start);
      withArena(() => {
        const batch = xs.map((x, i) => {
          const w = inWidths[i]!;
          const b = alloc(rows * w);
          b.set(x.data.subarray(start * w, (start + rows) * w));
          return new Tensor(b, [rows, ...g.inputs[i]!.shape]);
        });
        const out = this.run(batch, { training: args.training ?? false });
        out.forEach((o, i) => results[i]!.set(o.data, start * outWidths[i]!));
      });
    }
    return results.map((r, i) => new Tensor(r, [n, ...g.outputs[i]!.shape]));
  }

  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }
  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }
  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /** Copies of all weights in Keras order (layer by layer; Dense: kernel, bias; BatchNormalization: gamma, beta,
   * moving_mean, moving_variance). */
  getWeights(): Tensor[] {
    return this.weights.map((w) => new Tensor(Float32Array.from(w.data), w.shape));
  }

  /** Sets all weights, in getWeights order; shapes must match. */
  setWeights(weights: readonly { data: Float32Array; shape: number[] }[]): void {
    const own = this.weights;
    if (weights.length !== own.length)
      throw new Error(
        `${this.where}.setWeights: expected ${own.length} arrays (${own.map((w) => w.name).join(', ')}` +
          `); received ${weights.length}`,
      );
    own.forEach((w, i) => {
      const src = weights[i]!;
      if (
        src.data.length !== w.size ||
        src.shape.length !== w.shape.length ||
        src.shape.some((d, j) => d !== w.shape[j])
      ) {
        throw new Error(
          `${this.where}.setWeights: '${w.name}' has shape ${formatShape(w.shape)}; received ` +
            `${formatShape(src.shape)}`,
        );
      }
    });
    own.forEach((w, i) => w.assign(weights[i]!.data));
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** The Keras-style table with the "Connected to" column; printed with `print` (default console.log). */
  summary(print: ((text: string) => void) | null = console.log): string {
    const g = this.requireGraph();
    const rows = g.inputs.map((t) => ({
      name: t.inputName!,
      className: 'InputLayer',
      outputShape: [...t.shape],
      params: 0,
      connectedTo: '-',
    }));
    const ref = tensorRefs(this);
    for (const layer of this.layers) {
      const nodes = g.steps.filter((s) => s.layer === layer).map((s) => s.node);
      rows.push({
        name: layer.name,
        className: layer.className,
        outputShape: [...nodes[0]!.output.shape],
        params: layer.countParams(),
        connectedTo: nodes.flatMap((n) => n.inputs.map((t) => `${t.layerName}[${ref(t)[1]}][0]`)).join(', '),
      });
    }
    const trainable = this.trainableWeights.reduce((n, w) => n + w.size, 0);
    const text = formatSummary(this.name, rows, trainable, this.countParams() - trainable);
    print?.(text);
    return text;
  }

  compile(args: CompileArgs): void {
    this.compiled = compileModel(this, args);
  }

  /**
   * Trains for a number of epochs.
   * @example const history = await model.fit(x, y, { epochs: 5, batchSize: 32, validationSplit: 0.1 });
   */
  fit(x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
    // Loaded lazily: the rollback policy needs the file system (node:fs), the plain loop does not.
    if (args.onNaN === 'rollback')
      return import('./checkpoint/rollback.js').then((m) => m.fitWithRollback(this, x, y, args));
    return fitModel(this, x, y, args);
  }

  /**
   * Saves the model, atomically, in the format the path names: a folder → TensorFlow.js layers format
   * (model.json + shards); `*.keras` → a Keras 3 archive (with the optimizer's state when compiled);
   * `*.safetensors` → weights with the Keras config in the header.
   * @example await model.save('out/my-model'); await model.save('out/model.keras');
   */
  save(path: string): Promise<void> {
    return saveModel(this, path);
  }

  /** Loss and metrics on data, in inference mode. */
  evaluate(x: ModelData, y: ModelData, args: { batchSize?: number } = {}): Record<string, number> {
    return evaluateModel(this, x, y, args.batchSize ?? 32);
  }

  /** One optimizer step on one batch; returns its loss (and metrics). */
  trainOnBatch(x: ModelData, y: ModelData): Record<string, number> {
    return trainOnBatch(this, x, y);
  }

  /** Keras 3 functional config: layers with their inbound nodes, input_layers and output_layers. */
  getConfig(): Record<string, unknown> {
    return functionalConfig(this);
  }

  /**
   * The Keras 3 `model.to_json()` document of this model.
   * @example fs.writeFileSync('model.json', model.toJSON());
   */
  toJSON(): string {
    return JSON.stringify(kerasModelDocument(this));
  }
}

/** Each layer once, in the order of its first call. */
function uniqueLayers(steps: readonly Step[]): Layer[] {
  const seen = new Set<Layer>();
  const out: Layer[] = [];
  for (const s of steps) {
    if (!seen.has(s.layer)) {
      seen.add(s.layer);
      out.push(s.layer);
    }
  }
  return out;
}

/**
 * A tensor's [layer name, node index, tensor index] within a model: node indices count only the model's own
 * calls of the layer (a layer may also be called by other models), as Keras's saved configs do.
 */
export function tensorRefs(model: Model): (t: SymbolicTensor) => [string, number, number] {
  const index = new Map<Node, number>();
  const count = new Map<Layer, number>();
  for (const node of model.nodes) {
    const k = count.get(node.layer) ?? 0;
    index.set(node, k);
    count.set(node.layer, k + 1);
  }
  return (t) => [t.layerName, t.node === null ? 0 : index.get(t.node)!, 0];
}

/** The Keras 3 functional config (`Functional.get_config`). */
export function functionalConfig(model: Model): Record<string, unknown> {
  const steps = model.nodes;
  const ref = tensorRefs(model);
  const kerasTensorRef = (t: SymbolicTensor) => ({
    class_name: '__keras_tensor__',
    config: { shape: [null, ...t.shape], dtype: 'float32', keras_history: ref(t) },
  });
  const layers: Record<string, unknown>[] = model.inputs.map((t) => ({
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: [null, ...t.shape], dtype: 'float32', sparse: false, name: t.inputName },
    registered_name: null,
    name: t.inputName,
    inbound_nodes: [],
  }));
  for (const layer of model.layers) {
    const nodes = steps.filter((n) => n.layer === layer);
    const config = { ...layer.getConfig() };
    delete config.batch_input_shape;
    layers.push({
      module: 'keras.layers',
      class_name: layer.className,
      config,
      registered_name: null,
      name: layer.name,
      inbound_nodes: nodes.map((n) => ({
        args: n.listInput ? [n.inputs.map(kerasTensorRef)] : [kerasTensorRef(n.inputs[0]!)],
        kwargs: {},
      })),
    });
  }
  const refs = (ts: readonly SymbolicTensor[]) => ts.map(ref);
  return {
    name: model.name,
    trainable: true,
    layers,
    input_layers: model.inputs.length === 1 ? refs(model.inputs)[0] : refs(model.inputs),
    output_layers: model.outputs.length === 1 ? refs(model.outputs)[0] : refs(model.outputs),
  };
}

/** A layer's entry in a Keras 3 Sequential config: {module, class_name, config, registered_name}, no input shape. */
function sequentialLayerEntry(layer: Layer): Record<string, unknown> {
  const config = { ...layer.getConfig() };
  delete config.batch_input_shape;
  delete config.input_shape;
  return { module: 'keras.layers', class_name: layer.className, config, registered_name: null };
}

/**
 * `model.to_json()` of Keras 3 (`serialize_keras_object(model)` + build_config): a Sequential as
 * {class_name: 'Sequential'} with its InputLayer first (when built), any other model as 'Functional'.
 */
export function kerasModelDocument(model: Model): Record<string, unknown> {
  if (model.isSequential) {
    const inputShape = model.built && model.inputs.length === 1 ? [null, ...model.inputs[0]!.shape] : null;
    const input =
      inputShape === null
        ? []
        : [
            {
              module: 'keras.layers',
              class_name: 'InputLayer',
              config: { batch_shape: inputShape, dtype: 'float32', sparse: false, name: 'input_layer' },
              registered_name: null,
            },
          ];
    return {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: model.name,
        trainable: true,
        dtype: 'float32',
        layers: [...input, ...model.layers.map(sequentialLayerEntry)],
        ...(inputShape === null ? {} : { build_input_shape: inputShape }),
      },
      registered_name: null,
      build_config: { input_shape: inputShape },
    };
  }
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: model.getConfig(),
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
}
