/**
 * Seeded random numbers for the data module: a callable view of Keel's one
 * generator (tensor/rng.ts: xoshiro128** seeded by splitmix32, Box–Muller
 * normals), so data shuffles and weights come from the same, reproducible source.
 */
import { Random } from '../tensor/rng.js';

/** A uniform generator in [0, 1) that is also callable as `() => number`. */
export interface Rng {
  (): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

function wrap(random: Random): Rng {
  const rng = (() => random.uniform()) as Rng;
  rng.uint32 = () => random.nextUint32();
  rng.normal = () => random.normal();
  rng.int = (n: number) => Math.floor(random.uniform() * n);
  return rng;
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  return wrap(new Random(seed));
}

/** The generator from an explicit xoshiro128** state (exported for reference-vector tests). */
export function rngFromState(s0: number, s1: number, s2: number, s3: number): Rng {
  const random = new Random(0);
  const s: [number, number, number, number] = [s0, s1, s2, s3];
  if (s.every((v) => (v | 0) === 0)) s[0] = 1; // the all-zero state is a fixed point
  random.setState({ s, spare: null });
  return wrap(random);
}
