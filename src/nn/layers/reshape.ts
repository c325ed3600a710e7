/** Reshape: [batch, ...] → [batch, ...targetShape] keeping row-major order; one entry may be -1 (inferred). */
import type { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../ops/reshape.js';
import { formatValue } from '../../util/args.js';
import { Layer, type CallContext, type LayerArgs, type LayerArgSpec, type LayerFacts } from './layer.js';
import { identityStep, type MomentStep, type Moments } from './moments.js';
import { registerLayer } from './serialize.js';

export interface ReshapeArgs extends LayerArgs {
  /** The output shape without the batch axis (also the first constructor argument). */
  targetShape?: number[];
}

export class Reshape extends Layer {
  static readonly className = 'Reshape';
  static readonly argSpec: LayerArgSpec = { targetShape: { type: 'any' } };
  readonly targetShape: number[];

  /** @example new layers.Reshape([28, 28, 1], { inputShape: [784] }) */
  constructor(targetShape: number[] | ReshapeArgs, args: ReshapeArgs = {}) {
    const merged: ReshapeArgs = Array.isArray(targetShape) ? { ...args, targetShape } : targetShape;
    super(merged);
    const t = merged.targetShape as unknown;
    const ok =
      Array.isArray(t) &&
      t.length > 0 &&
      t.every((d) => Number.isInteger(d) && (d === -1 || (d >= 1 && d <= 1e8))) &&
      t.filter((d) => d === -1).length <= 1;
    if (!ok) {
      throw new Error(
        `Invalid targetShape for ${this.where}: expected a list of positive integers (at most one -1); received ` +
          `${formatValue(t)}`,
      );
    }
    this.targetShape = [...(t as number[])];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return reshape(x, [x.shape[0]!, ...this.computeOutputShape(x.shape.slice(1))]);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const size = inputShape.reduce((p, d) => p * d, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    const out = this.targetShape.map((d) => (d === -1 ? size / known : d));
    if (!out.every(Number.isInteger) || out.reduce((p, d) => p * d, 1) !== size) {
      throw new Error(
        `${this.where}: cannot reshape inputs [null, ${inputShape.join(', ')}] (${size} values each) to ` +
          `[null, ${this.targetShape.join(', ')}]`,
      );
    }
    return out;
  }

  override build(inputShape: number[]): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override weightSpecs(): [] {
    return [];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), target_shape: this.targetShape };
  }

  override doctorFacts(): LayerFacts {
    return { role: 'reshape', fullyConnected: true };
  }

  /** Values are only moved: moments are unchanged. */
  override momentRule(x: Moments): MomentStep {
    return identityStep(x);
  }
}

registerLayer(Reshape);
