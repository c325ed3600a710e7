/**
 * Sequential: a stack of layers (Keras `models/sequential.py`), run by the same
 * graph engine as every Model (functional.ts): once its input shape is known,
 * its layers are chained into a graph of one node each.
 */
import type { Tensor } from '../tensor/tensor.js';
import { Layer } from './layers/layer.js';
import { SymbolicTensor } from './graph/symbolic.js';
import { formatSummary } from './summary.js';
import { Model, type LayerOutputObserver, type PredictArgs } from './functional.js';

export { Model } from './functional.js';
export type { CompileArgs, FitArgs, PredictArgs, LayerOutputObserver, ModelArgs, ModelData } from './functional.js';

export class Sequential extends Model {
  /** The nodes this model added to its layers (removed when the chain is rebuilt). */
  private chainNodes: { layer: Layer; count: number }[] = [];

  /** @example new Sequential([new layers.Dense(10, { inputShape: [4] })]) */
  constructor(layers: Layer[] = [], args: { name?: string } = {}) {
    super({ ...(args.name !== undefined ? { name: args.name } : {}) });
    for (const layer of layers) this.add(layer);
  }

  override get isSequential(): boolean {
    return true;
  }

  protected override defaultName(): string {
    return 'sequential';
  }

  add(layer: Layer): void {
    if (!(layer instanceof Layer))
      throw new Error(`Sequential '${this.name}'.add: expected a Layer; received ${String(layer)}`);
    if (layer.takesList)
      throw new Error(
        `Sequential '${this.name}'.add: ${layer.where} merges several inputs; a Sequential model is a single chain` +
          `\nhelp: build the model with the functional API: new Model({ inputs, outputs })`,
      );
    if (this.layers.some((l) => l.name === layer.name))
      throw new Error(`Sequential '${this.name}': two layers are named '${layer.name}'; layer names must be unique`);
    if (this.layers.length > 0 && layer.declaredInputShape !== null) {
      throw new Error(`Sequential '${this.name}': only the first layer may declare inputShape; '${layer.name}' does`);
    }
    this.layers.push(layer);
    if (this.layers.length === 1 && layer.declaredInputShape !== null) this.build(layer.declaredInputShape);
    else if (this.graph !== null) this.build(this.getInputShape()!);
  }

  /** Builds every layer for inputs of shape [batch, ...inputShape] (the chain of nodes the engine runs). */
  build(inputShape: number[]): void {
    for (const { layer, count } of this.chainNodes) layer.inboundNodes.splice(count);
    this.chainNodes = [];
    const x = new SymbolicTensor([...inputShape], null, 'input');
    let h = x;
    for (const layer of this.layers) {
      this.chainNodes.push({ layer, count: layer.inboundNodes.length });
      h = layer.apply(h);
    }
    this.setGraph([x], [h]);
  }

  /** Runs the layers on a batch; differentiable under a tape. `observe` sees each layer's output. */
  override apply<T extends Tensor | Tensor[] = Tensor>(
    x: Tensor,
    args: { training?: boolean; observe?: LayerOutputObserver } = {},
  ): T {
    if (this.layers.length === 0) throw new Error(`Sequential '${this.name}' has no layers`);
    if (this.graph === null) this.build(x.shape.slice(1));
    this.checkInput(x);
    return this.run([x], args)[0]! as T;
  }

  /** Throws if x is not [batch, ...inputShape]. */
  checkInput(x: Tensor, what = 'input'): void {
    this.checkInputs([x], what);
  }

  protected override firstLayerNote(): string {
    return ` (first layer '${this.layers[0]!.name}')`;
  }

  protected override ensureBuilt(xs: readonly Tensor[]): void {
    if (this.layers.length === 0) throw new Error(`Sequential '${this.name}' has no layers`);
    if (this.graph === null && xs[0] !== undefined) this.build(xs[0].shape.slice(1));
  }

  /**
   * Outputs for `x`, batch by batch. `training: true` gives MC dropout.
   * @example const probs = model.predict(xTest, { batchSize: 256 });
   */
  override predict<T extends Tensor | Tensor[] = Tensor>(x: Tensor, args: PredictArgs = {}): T {
    return this.predictAll([x], args)[0]! as T;
  }

  /** The Keras-style table; printed with `print` (default console.log) and returned. */
  override summary(print: ((text: string) => void) | null = console.log): string {
    if (this.graph === null)
      throw new Error(
        `Sequential '${this.name}' is not built yet: give the first layer an inputShape, or call build([features])`,
      );
    const rows = this.graph.steps.map(({ layer, node }) => ({
      name: layer.name,
      className: layer.className,
      outputShape: [...node.output.shape],
      params: layer.countParams(),
    }));
    const trainable = this.trainableWeights.reduce((n, w) => n + w.size, 0);
    const text = formatSummary(this.name, rows, trainable, this.countParams() - trainable);
    print?.(text);
    return text;
  }

  /** Keras config of the model (tf.keras 2 / TF.js dialect). */
  override getConfig(): { name: string; layers: { class_name: string; config: Record<string, unknown> }[] } {
    return { name: this.name, layers: this.layers.map((l) => ({ class_name: l.className, config: l.getConfig() })) };
  }
}
