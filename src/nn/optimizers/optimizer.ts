/**
 * The optimizer base (Keras 3 `base_optimizer.py`): drop null gradients,
 * clip (clipnorm per tensor, global_clipnorm jointly, or clipvalue — at most
 * one), decoupled weight decay (θ ← θ − θ·weightDecay·lr, before the update),
 * then each subclass's `updateStep` per variable, then iterations += 1.
 * The learning rate is a number or a schedule called with `iterations` (the step before the update).
 * Clipping and weight decay live here once; subclasses only define their state and update rule.
 */
import { Tensor } from '../../tensor/tensor.js';
import { Variable } from '../../autograd/variable.js';
import { ownedKernelBuffer } from '../../kernels/release.js';
import { kernels } from '../../kernels/registry.js';
import { checkArg, formatValue, invalidArgError, type ArgRule, type ArgSpec } from '../../util/args.js';
import { LearningRateSchedule } from './schedules/schedule.js';
import { serialize as serializeSchedule } from './schedules/index.js';

export interface OptimizerArgs {
  /** Step size, or a schedule of it. Default depends on the optimizer (SGD 0.01, the others 0.001). */
  learningRate?: number | LearningRateSchedule;
  /**
   * Decoupled weight decay: θ ← θ − θ·weightDecay·lr before each update (Keras `weight_decay`).
   * Default null.
   */
  weightDecay?: number | null;
  /** Rescale each gradient tensor to L2 norm ≤ clipnorm (per variable). */
  clipnorm?: number | null;
  /** Clip every gradient element to [−clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Rescale all gradients jointly so their global L2 norm ≤ globalClipnorm (Pascanu et al. 2013). */
  globalClipnorm?: number | null;
  name?: string;
  /**
   * Keep an exponential moving average of every trained weight (Keras `use_ema`): after each update
   * average ← emaMomentum·average + (1 − emaMomentum)·weight (the first update copies the weight); fit ends
   * by writing the averages into the weights. Default false.
   */
  useEma?: boolean;
  /** The averages' momentum, in [0, 1]. Default 0.99. */
  emaMomentum?: number;
  /** Also write the averages into the weights every this many steps (an integer ≥ 1), or null. Default null. */
  emaOverwriteFrequency?: number | null;
}

const clipRule = (what: string): ArgRule => ({
  type: 'number',
  min: 0,
  nullable: true,
  help: `${what}; 0 or null means no clipping (as in Keras).`,
});

/** The options every optimizer reads (camelCase); subclasses extend it with their own. */
/** A moving-average decay rate (Adam's beta1/beta2 and their kin): Keras requires it in [0, 1). */
export function betaRule(kerasDefault: number, what = 'a decay rate for a moving average'): ArgRule {
  return { type: 'number', min: 0, max: 1, maxExclusive: true, help: `${what}; Keras uses ${kerasDefault}.` };
}

export const OPTIMIZER_SPEC: ArgSpec = {
  // A number (LEARNING_RATE_RULE) or a LearningRateSchedule: checked by the base constructor.
  learningRate: { type: 'any' },
  clipnorm: clipRule('clipnorm rescales each gradient tensor to L2 norm ≤ clipnorm'),
  clipvalue: clipRule('clipvalue clips every gradient element to [−clipvalue, clipvalue]'),
  globalClipnorm: clipRule('globalClipnorm rescales all gradients jointly to global L2 norm ≤ globalClipnorm'),
  name: { type: 'string' },
  weightDecay: {
    type: 'number',
    min: 0,
    nullable: true,
    help: 'weightDecay shrinks every weight by weightDecay·lr per step; typical values are 1e-4 to 1e-2.',
  },
  useEma: { type: 'boolean' },
  emaMomentum: {
    type: 'number',
    min: 0,
    max: 1,
    help: "emaMomentum is the moving average's momentum, in [0, 1]; Keras uses 0.99.",
  },
  emaOverwriteFrequency: {
    type: 'number',
    integer: true,
    min: 1,
    nullable: true,
    help: 'emaOverwriteFrequency is a step count ≥ 1 (or null: write the averages only when fit ends).',
  },
};

/** The rule a numeric learning rate follows. */
export const LEARNING_RATE_RULE: ArgRule = {
  type: 'number',
  min: 0,
  minExclusive: true,
  help: 'the learning rate is a step size (typical values are 1e-4 to 1e-1) or a schedule (optimizers.schedules).',
};

export abstract class Optimizer {
  abstract readonly className: string;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly name: string;
  readonly useEma: boolean;
  /**
   * After applyInPlace: true when the update rule itself checked that every weight it wrote is finite (plain
   * SGD's fused kernel), so the training loop need not scan the weights again; false otherwise.
   */
  weightsCheckedFinite = false;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  /** Number of update steps applied so far (Keras `iterations`). */
  iterations = 0;
  /** Per-variable state buffers (momentum, velocity, ...), in `slotNames()` order. */
  protected readonly slots = new Map<Variable, Float32Array[]>();
  private lrValue: number;
  private readonly lrSchedule: LearningRateSchedule | null;
  private lrScale = 1;
  private readonly who: string;
  private excludedVariables = new Set<Variable>();
  private excludedNames: string[] = [];

  /**
   * `args` are checked against OPTIMIZER_SPEC here (values only); each subclass first
   * runs `checkArgs` with its full spec, which also rejects unknown option names.
   */
  constructor(args: OptimizerArgs, defaultLearningRate: number, who: string, defaultWeightDecay: number | null = null) {
    const record = args as Record<string, unknown>;
    for (const [key, rule] of Object.entries(OPTIMIZER_SPEC)) checkArg(record[key], rule, key, who);
    this.who = who;
    this.name = args.name ?? who;
    const lr = args.learningRate ?? defaultLearningRate;
    if (lr instanceof LearningRateSchedule) {
      this.lrSchedule = lr;
      this.lrValue = NaN;
    } else {
      this.lrSchedule = null;
      this.lrValue = checkArg(lr, LEARNING_RATE_RULE, 'learningRate', who);
    }
    this.weightDecay = args.weightDecay === undefined ? defaultWeightDecay : args.weightDecay;
    this.useEma = args.useEma ?? false;
    this.emaMomentum = args.emaMomentum ?? 0.99;
    this.emaOverwriteFrequency = args.emaOverwriteFrequency ?? null;
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

  /**
   * The learning rate of the next update: the number, or the schedule at `iterations` (times
   * `learningRateScale`). Setting it is refused when the rate is a schedule (as in Keras).
   */
  get learningRate(): number {
    return this.lrSchedule === null ? this.lrValue : this.lrScale * this.lrSchedule.call(this.iterations);
  }

  set learningRate(value: number) {
    if (this.lrSchedule !== null)
      throw new Error(
        `${this.who}: the learning rate is a schedule (${this.lrSchedule.className}), so it cannot be set to ` +
          `${formatValue(value)}\nhelp: scale the schedule with learningRateScale (NaN rollback halves it), or ` +
          'create the optimizer with a number as learningRate.',
      );
    this.lrValue = checkArg(value, LEARNING_RATE_RULE, 'learningRate', this.who);
  }

  /** The schedule the learning rate follows, or null for a constant rate. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.lrSchedule;
  }

  /** A factor on the schedule's rates (1 unless changed; NaN rollback halves it). Not part of the config. */
  get learningRateScale(): number {
    return this.lrScale;
  }

  set learningRateScale(value: number) {
    if (this.lrSchedule === null)
      throw new Error(
        `${this.who}: learningRateScale applies to a learning-rate schedule; this optimizer's rate is the ` +
          `number ${this.lrValue}\nhelp: set learningRate instead.`,
      );
    this.lrScale = checkArg(value, LEARNING_RATE_RULE, 'learningRateScale', this.who);
  }

  /**
   * Restores the rate a checkpoint recorded for the current `iterations`: sets the number, or scales the
   * schedule so that it gives `rate` at this step (a schedule at 0 keeps its scale).
   */
  restoreLearningRate(rate: number): void {
    if (this.lrSchedule === null) {
      this.learningRate = rate;
      return;
    }
    const base = this.lrSchedule.call(this.iterations);
    if (base > 0 && Number.isFinite(rate) && rate > 0) this.lrScale = rate / base;
  }

  /**
   * Keras `exclude_from_weight_decay(var_list, var_names)`: these variables, and those whose name contains
   * one of `varNames` (a substring of the full name, e.g. 'bias'), get no weight decay. Each call replaces
   * the previous exclusions.
   */
  excludeFromWeightDecay(varList?: readonly Variable[] | null, varNames?: readonly string[] | null): void {
    const where = `${this.who}.excludeFromWeightDecay`;
    if (varList != null && (!Array.isArray(varList) || varList.some((v) => !(v instanceof Variable))))
      throw invalidArgError('varList', where, 'an array of Variables or null', varList);
    if (varNames != null && (!Array.isArray(varNames) || varNames.some((n) => typeof n !== 'string' || n === '')))
      throw invalidArgError('varNames', where, 'an array of non-empty strings or null', varNames);
    this.excludedVariables = new Set(varList ?? []);
    this.excludedNames = [...(varNames ?? [])];
  }

  /** Whether weight decay applies to `v` (Keras `_use_weight_decay`). */
  usesWeightDecay(v: Variable): boolean {
    if (this.excludedVariables.has(v)) return false;
    return !this.excludedNames.some((n) => v.name.includes(n));
  }

  /** Names of the per-variable state buffers the update rule keeps, e.g. ['momentum', 'velocity']. */
  protected abstract updateSlotNames(): string[];

  /** Names of every per-variable state buffer: the update rule's, then 'average' when `useEma` is set. */
  slotNames(): string[] {
    return this.useEma ? [...this.updateSlotNames(), 'average'] : this.updateSlotNames();
  }

  /**
   * Updates `variable` in place from its (clipped) gradient. `slots` are in `slotNames()` order: the update
   * rule's own first (with `useEma`, the average follows them; an update rule never reads past its own).
   * May return true when the rule checked that every value it wrote is finite (plain SGD's fused kernel does);
   * see `weightsCheckedFinite`.
   */
  protected abstract updateStep(
    grad: Float32Array,
    variable: Variable,
    lr: number,
    slots: Float32Array[],
  ): boolean | void;

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
    const lr = this.learningRate;
    if (this.weightDecay !== null) {
      const decay = this.weightDecay * lr;
      for (const v of variables) {
        if (!this.usesWeightDecay(v)) continue;
        const w = v.data;
        kernels().weightDecay(w, w.length, decay);
      }
    }
    this.beforeUpdates();
    let checked = !this.useEma; // an EMA overwrite writes weights no rule checked
    for (let i = 0; i < grads.length; i++) {
      const v = variables[i]!;
      if (this.updateStep(grads[i]!, v, lr, this.slotsFor(v)) !== true) checked = false;
    }
    this.weightsCheckedFinite = checked;
    if (this.useEma) this.updateAverages(variables);
    this.iterations++;
  }

  /**
   * Keras `_update_model_variables_moving_average` (momentum 0 on the first step, so the average starts as
   * the weight), then every `emaOverwriteFrequency` steps the weights take their averages.
   */
  private updateAverages(variables: readonly Variable[]): void {
    const m = this.iterations === 0 ? 0 : this.emaMomentum;
    for (const v of variables) {
      const average = this.slotsFor(v).at(-1)!;
      kernels().emaUpdate(average, v.data, v.data.length, m, 1 - m);
    }
    const every = this.emaOverwriteFrequency;
    if (every !== null && (this.iterations + 1) % every === 0) this.finalizeVariableValues(variables);
  }

  /**
   * Keras `finalize_variable_values`: with `useEma`, writes each variable's moving average into it (fit
   * calls this when training ends); otherwise nothing.
   */
  finalizeVariableValues(variables: readonly Variable[]): void {
    if (!this.useEma) return;
    for (const v of variables) {
      const average = this.slots.get(v)?.at(-1);
      if (average !== undefined) v.data.set(average);
    }
  }

  /** The value a new state buffer starts from (Adagrad: initialAccumulatorValue). */
  protected initialSlotValue(_slot: string): number {
    return 0;
  }

  /** State buffers for `v` as they are before its first update (for checkpoints and rollbacks). */
  freshSlots(v: Variable): Float32Array[] {
    return this.slotNames().map((name) => new Float32Array(v.size).fill(this.initialSlotValue(name)));
  }

  private slotsFor(v: Variable): Float32Array[] {
    let s = this.slots.get(v);
    if (s === undefined) {
      s = this.slotNames().map((name) => this.slotBuffer(v.size).fill(this.initialSlotValue(name)));
      this.slots.set(v, s);
    }
    return s;
  }

  /**
   * A state buffer the kernels can update in place (for wasm: in its memory, so the update runs there without a
   * copy), given back when the optimizer is collected; setSlots copies into the ones a variable already has.
   */
  private slotBuffer(length: number): Float32Array {
    return ownedKernelBuffer(this, length);
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
    const had = this.slots.get(v);
    this.slots.set(
      v,
      values.map((a, i) => {
        const into = had?.[i]?.length === a.length ? had[i]! : this.slotBuffer(a.length);
        into.set(a);
        return into;
      }),
    );
  }

  /** Keras config (snake_case). */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learning_rate: this.lrSchedule === null ? this.lrValue : serializeSchedule(this.lrSchedule),
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.useEma,
      ema_momentum: this.emaMomentum,
      ema_overwrite_frequency: this.emaOverwriteFrequency,
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
