/**
 * Bidirectional (Keras 3 semantics): runs a recurrent layer forward and a copy of it with `goBackwards` over the
 * same sequence, flips the backward layer's output sequence back to input time order (when `returnSequences`), and
 * merges the two: 'concat' (default, [forward, backward] along the last axis), 'sum', 'ave' or 'mul'. As Keras,
 * the wrapped layer is recreated from its config (name 'forward_<name>'), the backward one from the same config
 * with go_backwards flipped (name 'backward_<name>', a 'forward_' prefix dropped first) unless `backwardLayer` is
 * given; the weights are the forward layer's then the backward layer's, named '<bidirectional>/forward_<name>/kernel'
 * and so on.
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { concat } from '../../ops/concat.js';
import { add, mul } from '../../ops/elementwise.js';
import { reverseTime } from '../../ops/reverse.js';
import { formatValue } from '../../util/args.js';
import { isKerasObject, type KerasObject } from '../keras-config.js';
import type { ActivationSpec } from '../activations.js';
import { exportInitializer } from '../serialization/export-initializer.js';
import type { LayerEntry } from '../serialization/tfjs-activation.js';
import {
  Layer,
  type CallContext,
  type LayerArgs,
  type LayerArgSpec,
  type LayerFacts,
  type WeightSpec,
} from './layer.js';
import { RecurrentLayer } from './recurrent.js';
import { layerFromConfig, registerLayer } from './serialize.js';

export type MergeMode = 'concat' | 'sum' | 'ave' | 'mul';
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'ave', 'mul'];

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run both ways (also the first constructor argument); a layer or its Keras config. */
  layer?: Layer | KerasObject;
  /** How the two directions' outputs are combined. Default 'concat'. */
  mergeMode?: MergeMode;
  /** The backward layer, if not the wrapped layer's mirror: its goBackwards must differ from the layer's. */
  backwardLayer?: Layer | KerasObject | null;
}

function recurrentOf(value: unknown, arg: string, where: string): RecurrentLayer {
  const layer = isKerasObject(value) ? layerFromConfig(value, `${where} ${arg}`) : value;
  if (!(layer instanceof RecurrentLayer)) {
    throw new Error(
      `${where}: ${arg} must be a recurrent layer (SimpleRNN, LSTM or GRU) or its {class_name, config}; received ` +
        `${layer instanceof Layer ? `${layer.className} '${layer.name}'` : formatValue(layer)}\nhelp: ` +
        `new layers.Bidirectional(new layers.LSTM(32, { returnSequences: true }))`,
    );
  }
  return layer;
}

/** The layer's Keras config renamed (and with go_backwards set), without an input shape of its own. */
function recreate(layer: RecurrentLayer, name: string, goBackwards: boolean): RecurrentLayer {
  const config: Record<string, unknown> = { ...layer.getConfig(), name, go_backwards: goBackwards };
  delete config.batch_input_shape;
  return layerFromConfig({ class_name: layer.className, config }) as RecurrentLayer;
}

const removePrefix = (s: string, p: string) => (s.startsWith(p) ? s.slice(p.length) : s);

export class Bidirectional extends Layer {
  static readonly className = 'Bidirectional';
  static readonly argSpec: LayerArgSpec = {
    layer: { type: 'any' },
    mergeMode: { type: 'string', oneOf: MERGE_MODES, nullable: true },
    backwardLayer: { type: 'any' },
    weights: 'unsupported',
  };
  readonly forwardLayer: RecurrentLayer;
  readonly backwardLayer: RecurrentLayer;
  readonly mergeMode: MergeMode;

  /** @example new layers.Bidirectional(new layers.LSTM(32, { returnSequences: true }), { inputShape: [28, 28] }) */
  constructor(layer: Layer | KerasObject | BidirectionalArgs, args: BidirectionalArgs = {}) {
    const merged: BidirectionalArgs =
      layer instanceof Layer || isKerasObject(layer) ? { ...args, layer } : (layer as BidirectionalArgs);
    // The wrapped layer's declared input shape serves as the wrapper's (Keras reads it from the inner layer too).
    const inner = merged.layer instanceof Layer ? merged.layer.declaredInputShape : null;
    super(merged.inputShape === undefined && inner !== null ? { ...merged, inputShape: inner } : merged);
    const where = this.where;
    if (merged.mergeMode === null) {
      throw new Error(
        `${where}: mergeMode null (the two directions as a list) is not supported; received null\nhelp: use ` +
          `'concat' (the default), 'sum', 'ave' or 'mul'`,
      );
    }
    this.mergeMode = merged.mergeMode ?? 'concat';
    const base = recurrentOf(merged.layer, 'layer', where);
    this.forwardLayer = recreate(base, `forward_${removePrefix(base.name, 'forward_')}`, base.goBackwards);
    this.backwardLayer =
      merged.backwardLayer === undefined || merged.backwardLayer === null
        ? recreate(
            base,
            `backward_${removePrefix(removePrefix(base.name, 'forward_'), 'backward_')}`,
            !base.goBackwards,
          )
        : recurrentOf(merged.backwardLayer, 'backwardLayer', where);
    const [f, b] = [this.forwardLayer, this.backwardLayer];
    if (f.goBackwards === b.goBackwards) {
      throw new Error(
        `${where}: the forward and backward layers must differ in goBackwards; both have ${f.goBackwards}\nhelp: ` +
          `give backwardLayer goBackwards: ${!f.goBackwards}`,
      );
    }
    if (f.returnSequences !== b.returnSequences) {
      throw new Error(
        `${where}: the forward and backward layers must agree on returnSequences; received ${f.returnSequences} ` +
          `and ${b.returnSequences}`,
      );
    }
    if (f.name === b.name) throw new Error(`${where}: the forward and backward layers are both named '${f.name}'`);
  }

  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  private get sides(): [RecurrentLayer, RecurrentLayer] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    return this.sides.flatMap((l) => l.weightSpecs(inputShape).map((s) => ({ ...s, name: `${l.name}/${s.name}` })));
  }

  override build(inputShape: number[]): void {
    const w = this.createWeights(inputShape);
    for (const l of this.sides) {
      const own: Record<string, Variable> = {};
      for (const [key, v] of Object.entries(w)) if (key.startsWith(`${l.name}/`)) own[key.slice(l.name.length + 1)] = v;
      l.adoptWeights(own, inputShape);
    }
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const y = this.forwardLayer.call(x, ctx);
    const back = this.backwardLayer.call(x, ctx);
    const yr = this.returnSequences ? reverseTime(back) : back;
    switch (this.mergeMode) {
      case 'concat':
        return concat([y, yr], -1);
      case 'sum':
        return add(y, yr);
      case 'ave':
        return mul(add(y, yr), 0.5);
      case 'mul':
        return mul(y, yr);
    }
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const out = this.forwardLayer.computeOutputShape(inputShape);
    if (this.mergeMode === 'concat') out[out.length - 1] = out.at(-1)! * 2;
    return out;
  }

  override get kernelWeight(): Variable | null {
    return this.weights.find((w) => w.name === `${this.name}/${this.forwardLayer.name}/kernel`) ?? null;
  }

  override getConfig(): Record<string, unknown> {
    const inner = (l: RecurrentLayer) => ({ class_name: l.className, config: l.getConfig() });
    return {
      ...super.getConfig(),
      merge_mode: this.mergeMode,
      layer: inner(this.forwardLayer),
      backward_layer: inner(this.backwardLayer),
    };
  }

  override getState(): unknown {
    return { forward: this.forwardLayer.getState(), backward: this.backwardLayer.getState() };
  }

  override validateState(state: unknown, where: string): void {
    const s = state as { forward?: unknown; backward?: unknown } | null;
    if (typeof s !== 'object' || s === null)
      throw new Error(`${where}: ${this.where} expected {forward, backward} state; received ${formatValue(state)}`);
    this.forwardLayer.validateState(s.forward, `${where} (forward)`);
    this.backwardLayer.validateState(s.backward, `${where} (backward)`);
  }

  override setState(state: unknown): void {
    this.validateState(state, 'setState');
    const s = state as { forward: unknown; backward: unknown };
    this.forwardLayer.setState(s.forward);
    this.backwardLayer.setState(s.backward);
  }

  override doctorFacts(): LayerFacts {
    return this.forwardLayer.doctorFacts();
  }

  override activationSpec(): ActivationSpec {
    return this.forwardLayer.activationSpec();
  }

  /** No moment rule (as the recurrent layers it wraps): the theory names it as unknown. */
  override momentRule(): null {
    return null;
  }

  /**
   * TF.js reads {layer, merge_mode} and builds the backward layer itself: the inner layer is written in the TF.js
   * dialect (its own entry rules, initializers translated); a custom backward layer cannot be written.
   */
  override tfjsEntries(config: Record<string, unknown>, taken: Set<string>): LayerEntry[] {
    const where = `saveModel: layer '${this.name}' (Bidirectional)`;
    const mirror = recreate(this.forwardLayer, this.backwardLayer.name, !this.forwardLayer.goBackwards).getConfig();
    const back = this.backwardLayer.getConfig();
    if (JSON.stringify({ ...mirror, seed: null }) !== JSON.stringify({ ...back, seed: null })) {
      throw new Error(`${where}: a backward layer that is not the forward layer's mirror cannot be written for TF.js`);
    }
    const l = this.forwardLayer;
    // The wrapped layer under its own name: a reader prefixes forward_ / backward_ again.
    const inner: Record<string, unknown> = {
      ...l.getConfig(),
      name: removePrefix(l.name, 'forward_'),
      dtype: 'float32',
    };
    delete inner.batch_input_shape;
    const specs = this.builtInputShape !== null ? l.weightSpecs(this.builtInputShape) : [];
    for (const key of Object.keys(inner)) {
      if (!key.endsWith('_initializer') || inner[key] === null) continue;
      const shape = specs.find((s) => s.name === key.slice(0, -'_initializer'.length))?.shape ?? null;
      inner[key] = exportInitializer(inner[key] as KerasObject, shape === null ? null : [...shape], `${where} ${key}`);
    }
    const entry = l.tfjsEntries(inner, taken)[0]!;
    const out: Record<string, unknown> = { ...config, layer: entry };
    delete out.backward_layer;
    return [{ class_name: this.className, config: out }];
  }
}

registerLayer(Bidirectional);
