/**
 * The optimizer base (Keras 3 `base_optimizer.py`): drop null gradients,
 * clip (clipnorm per tensor, global_clipnorm jointly, or clipvalue — at most
 * one), then each subclass's `updateStep` per variable, then iterations += 1.
 * Clipping lives here once; subclasses only define their state and update rule.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { checkArg, formatValue, type ArgRule, type ArgSpec } from '../../util/args.js';

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

const clipRule = (what: string): ArgRule => ({
  type: 'number',
  min: 0,
  nullable: true,
  help: `${what}; 0 or null means no clipping (as in Keras).`,
});

/** The options every optimizer reads (camelCase); subclasses extend it with their own. */
export const OPTIMIZER_SPEC: ArgSpec = {
  learningRate: {
    type: 'number',
    min: 0,
    minExclusive: true,
    help: 'the learning rate is a step size; typical values are 1e-4 to 1e-1.',
  },
  clipnorm: clipRule('clipnorm rescales each gradient tensor to L2 norm ≤ clipnorm'),
  clipvalue: clipRule('clipvalue clips every gradient element to [−clipvalue, clipvalue]'),
  globalClipnorm: clipRule('globalClipnorm rescales all gradients jointly to global L2 norm ≤ globalClipnorm'),
  name: { type: 'string' },
};

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

  /**
   * `args` are checked against OPTIMIZER_SPEC here (values only); each subclass first
   * runs `checkArgs` with its full spec, which also rejects unknown option names.
   */
  constructor(args: OptimizerArgs, defaultLearningRate: number, who: string) {
    const record = args as Record<string, unknown>;
    for (const [key, rule] of Object.entries(OPTIMIZER_SPEC)) checkArg(record[key], rule, key, who);
    this.name = args.name ?? who;
    this.learningRate = args.learningRate ?? defaultLearningRate;
    // 0 and null both mean "off" (Keras clips only when the value is > 0).
    this.clipnorm = args.clipnorm || null;
    this.clipvalue = args.clipvalue || null;
    this.globalClipnorm = args.globalClipnorm || null;
    const set = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((v) => v !== null).length;
    if (set > 1) {
      throw new Error(
        `${who}: set at most one of clipnorm, clipvalue and globalClipnorm; received clipnorm=` +
          `${formatValue(this.clipnorm)}, clipvalue=${formatValue(this.clipvalue)}, globalClipnorm=` +
          `${formatValue(this.globalClipnorm)}` +
          '\nhelp: clipnorm clips each gradient tensor, globalClipnorm all of them jointly, clipvalue each ' +
          'element; keep the one you mean.',
      );
    }
  }

  /** Names of the per-variable state buffers, e.g. ['momentum', 'velocity']. */
  abstract slotNames(): string[];

  /** Updates `variable` in place from its (clipped) gradient. */
  protected abstract updateStep(grad: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void;

  /** Called once per apply, before the per-variable updates (Nadam's shared product). */
  protected beforeUpdates(): void {
    /* nothing by default */
  }

  /** Keras `apply_gradients(zip(grads, vars))`. */
  applyGradients(pairs: ReadonlyArray<readonly [Tensor | Float32Array | null, Variable]>): void {
    this.apply(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }

  /** Applies one update from gradients (Tensors are not modified). */
  apply(grads: ReadonlyArray<Tensor | Float32Array | null>, variables: readonly Variable[]): void {
    if (grads.length !== variables.length)
      throw new Error(`${this.className}.apply: ${grads.length} gradients for ${variables.length} variables`);
    const gs: Float32Array[] = [],
      vs: Variable[] = [];
    grads.forEach((g, i) => {
      if (g === null) return;
      const data = g instanceof Tensor ? g.data : g;
      const v = variables[i]!;
      if (data.length !== v.size)
        throw new Error(
          `${this.className}.apply: gradient of ${data.length} values for variable '${v.name}' of shape [` +
            `${v.shape.join(', ')}]`,
        );
      gs.push(Float32Array.from(data));
      vs.push(v);
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
    if (s === undefined) {
      s = this.slotNames().map(() => new Float32Array(v.size));
      this.slots.set(v, s);
    }
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
      for (const g of grads) {
        const n = l2Norm(g);
        sq += n * n;
      }
      const norm = Math.sqrt(sq);
      // Keras: a NaN/inf global norm turns every gradient into NaN rather than hiding it.
      const factor = Number.isFinite(norm) ? c / Math.max(norm, c) : NaN;
      for (const g of grads) scaleInPlace(g, factor);
    }
  }

  /** The state of one variable (for checkpoints and the doctor). */
  getSlots(v: Variable): Float32Array[] | undefined {
    return this.slots.get(v);
  }

  /** Restores per-variable state (checkpoint resume). */
  setSlots(v: Variable, values: Float32Array[]): void {
    this.slots.set(
      v,
      values.map((a) => Float32Array.from(a)),
    );
  }

  /** Keras config (snake_case). */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learning_rate: this.learningRate,
      weight_decay: null,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      loss_scale_factor: null,
      gradient_accumulation_steps: null,
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
