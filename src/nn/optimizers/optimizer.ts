/**
 * The optimizer base (Keras 3 `base_optimizer.py`): drop null gradients,
 * clip (clipnorm per tensor, global_clipnorm jointly, or clipvalue — at most
 * one), then each subclass's `updateStep` per variable, then iterations += 1.
 * Clipping lives here once; subclasses only define their state and update rule.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';

export interface OptimizerArgs {
  /** Step size. Default depends on the optimizer (SGD 0.01, the others 0.001). */
  learningRate?: number;
  /** Rescale each gradient tensor to L2 norm ≤ clipnorm (per variable). */
  clipnorm?: number | null;
  /** Clip every gradient element to [−clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Rescale all gradients jointly so their global L2 norm ≤ globalClipnorm (Pascanu et al. 2013). */
  globalClipnorm?: number | null;
  name?: string;
}

function optionalPositive(value: unknown, arg: string, who: string): number | null {
  if (value === undefined || value === null || value === 0) return null;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new Error(`Invalid ${arg} for ${who}: expected a positive number (or null/0 for none); received ${JSON.stringify(value)}`);
  }
  return value;
}

export abstract class Optimizer {
  abstract readonly className: string;
  learningRate: number;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly name: string;
  /** Number of update steps applied so far (Keras `iterations`). */
  iterations = 0;
  /** Per-variable state buffers (momentum, velocity, ...), in `slotNames()` order. */
  protected readonly slots = new Map<Variable, Float32Array[]>();

  constructor(args: OptimizerArgs, defaultLearningRate: number, who: string) {
    this.name = args.name ?? who;
    this.learningRate = args.learningRate ?? defaultLearningRate;
    if (typeof this.learningRate !== 'number' || !(this.learningRate >= 0) || !Number.isFinite(this.learningRate)) {
      throw new Error(`Invalid learningRate for ${who}: expected a non-negative number; received ${JSON.stringify(args.learningRate)}`);
    }
    this.clipnorm = optionalPositive(args.clipnorm, 'clipnorm', who);
    this.clipvalue = optionalPositive(args.clipvalue, 'clipvalue', who);
    this.globalClipnorm = optionalPositive(args.globalClipnorm, 'globalClipnorm', who);
    const set = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((v) => v !== null).length;
    if (set > 1) throw new Error(`${who}: set at most one of clipnorm, clipvalue and globalClipnorm; received clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}`);
  }

  /** Names of the per-variable state buffers, e.g. ['momentum', 'velocity']. */
  abstract slotNames(): string[];

  /** Updates `variable` in place from its (clipped) gradient. */
  protected abstract updateStep(grad: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void;

  /** Called once per apply, before the per-variable updates (Nadam's shared product). */
  protected beforeUpdates(): void { /* nothing by default */ }

  /** Keras `apply_gradients(zip(grads, vars))`. */
  applyGradients(pairs: ReadonlyArray<readonly [Tensor | Float32Array | null, Variable]>): void {
    this.apply(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
  }

  /** Applies one update from gradients (Tensors are not modified). */
  apply(grads: ReadonlyArray<Tensor | Float32Array | null>, variables: readonly Variable[]): void {
    if (grads.length !== variables.length) throw new Error(`${this.className}.apply: ${grads.length} gradients for ${variables.length} variables`);
    const gs: Float32Array[] = [], vs: Variable[] = [];
    grads.forEach((g, i) => {
      if (g === null) return;
      const data = g instanceof Tensor ? g.data : g;
      const v = variables[i]!;
      if (data.length !== v.size) throw new Error(`${this.className}.apply: gradient of ${data.length} values for variable '${v.name}' of shape [${v.shape.join(', ')}]`);
      gs.push(Float32Array.from(data)); vs.push(v);
    });
    if (gs.length === 0) throw new Error(`${this.className}.apply: every gradient is null; nothing to update`);
    this.applyInPlace(gs, vs);
  }

  /** The training loop's entry: gradients are scratch buffers and may be clipped in place. */
  applyInPlace(grads: Float32Array[], variables: readonly Variable[]): void {
    this.clip(grads);
    this.beforeUpdates();
    for (let i = 0; i < grads.length; i++) {
      const v = variables[i]!;
      this.updateStep(grads[i]!, v, this.learningRate, this.slotsFor(v));
    }
    this.iterations++;
  }

  private slotsFor(v: Variable): Float32Array[] {
    let s = this.slots.get(v);
    if (s === undefined) { s = this.slotNames().map(() => new Float32Array(v.size)); this.slots.set(v, s); }
    return s;
  }

  /** Keras §8.1 step 5. */
  private clip(grads: Float32Array[]): void {
    if (this.clipvalue !== null) {
      const c = this.clipvalue;
      for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = Math.min(c, Math.max(-c, g[i]!));
    } else if (this.clipnorm !== null) {
      const c = this.clipnorm;
      for (const g of grads) scaleInPlace(g, c / Math.max(l2Norm(g), c));
    } else if (this.globalClipnorm !== null) {
      const c = this.globalClipnorm;
      let sq = 0;
      for (const g of grads) { const n = l2Norm(g); sq += n * n; }
      const norm = Math.sqrt(sq);
      // Keras: a NaN/inf global norm turns every gradient into NaN rather than hiding it.
      const factor = Number.isFinite(norm) ? c / Math.max(norm, c) : NaN;
      for (const g of grads) scaleInPlace(g, factor);
    }
  }

  /** The state of one variable (for checkpoints and the doctor). */
  getSlots(v: Variable): Float32Array[] | undefined { return this.slots.get(v); }

  /** Restores per-variable state (checkpoint resume). */
  setSlots(v: Variable, values: Float32Array[]): void { this.slots.set(v, values.map((a) => Float32Array.from(a))); }

  /** Keras config (snake_case). */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name, learning_rate: this.learningRate, weight_decay: null,
      clipnorm: this.clipnorm, global_clipnorm: this.globalClipnorm, clipvalue: this.clipvalue,
      use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null,
    };
  }
}

export function l2Norm(g: Float32Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return Math.sqrt(s);
}

function scaleInPlace(g: Float32Array, factor: number): void {
  if (factor === 1) return;
  for (let i = 0; i < g.length; i++) g[i]! *= factor;
}
