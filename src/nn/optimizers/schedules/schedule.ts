/**
 * The learning-rate schedule base (Keras 3 `LearningRateSchedule`): `call(step)` gives the rate for an
 * optimizer step (the optimizer passes its `iterations` before the update, as Keras passes
 * `self.iterations`); `getConfig()` gives Keras's snake_case config. Subclass it for a custom schedule.
 */
import { checkArg, formatValue, type ArgRule, type ArgSpec } from '../../../util/args.js';

export abstract class LearningRateSchedule {
  /** The Keras class name ('ExponentialDecay', ...). */
  abstract readonly className: string;

  /** The learning rate at optimizer step `step` (0 before the first update). */
  abstract call(step: number): number;

  /** Keras config (snake_case keys). */
  abstract getConfig(): Record<string, unknown>;

  /**
   * The config keys that hold learning rates (numbers or lists of numbers); the schedule's rate is linear in
   * them, so multiplying each by c multiplies every rate by c (the doctor's learning-rate remedies do this).
   * None for a schedule that does not say.
   */
  rateKeys(): readonly string[] {
    return [];
  }
}

/** A step must be a number ≥ 0 (an optimizer's iteration count). */
const STEP_RULE: ArgRule = { type: 'number', min: 0, help: 'the step is the optimizer step count, 0 or more.' };

export function checkStep(step: number, where: string): number {
  return checkArg(step, STEP_RULE, 'step', `${where}.call`);
}

/** Options that have no default (Keras's positional arguments): `Foo: missing option 'decaySteps'`. */
export function requireOptions(args: object, names: readonly string[], spec: ArgSpec, where: string): void {
  const record = args as Record<string, unknown>;
  for (const name of names) {
    if (record[name] === undefined)
      throw new Error(
        `${where}: missing option '${name}'; expected ${describe(spec[name]!)}` +
          `\nhelp: ${where} has no default for ${name} (Keras: ${snake(name)}).`,
      );
  }
}

function describe(rule: ArgRule): string {
  return rule.type === 'number' ? 'a number' : rule.type === 'any' ? 'a value' : `a ${rule.type}`;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export const INITIAL_LR_RULE: ArgRule = {
  type: 'number',
  min: 0,
  help: 'the initial learning rate is a step size ≥ 0; typical values are 1e-4 to 1e-1.',
};

export const DECAY_STEPS_RULE: ArgRule = {
  type: 'number',
  min: 0,
  minExclusive: true,
  help: 'decay steps count optimizer steps and must be > 0 (Keras: "must be > 0").',
};

/** A list of finite numbers (PiecewiseConstantDecay's boundaries and values). */
export function checkNumberList(value: unknown, name: string, where: string): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
    throw new Error(
      `Invalid ${name} for ${where}: expected an array of finite numbers; received ${formatValue(value)}`,
    );
  return [...(value as number[])];
}
