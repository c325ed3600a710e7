/**
 * Seeded random numbers for the data module: xoshiro128** (Blackman & Vigna),
 * a 32-bit generator with 128 bits of state, seeded through splitmix32 so that
 * nearby seeds (0, 1, 2, ...) give unrelated streams. Normals use Box-Muller.
 *
 * Everything is 32-bit integer math (Math.imul, >>> 0), so a seed gives the
 * same stream in Node and in every browser.
 */

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

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const init = splitmix32(Math.floor(seed));
  return rngFromState(init(), init(), init(), init());
}

/** The generator from an explicit xoshiro128** state (exported for reference-vector tests). */
export function rngFromState(s0: number, s1: number, s2: number, s3: number): Rng {
  let a = s0 | 0, b = s1 | 0, c = s2 | 0, d = s3 | 0;
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  // 2^-32: uses all 32 bits, never returns 1.
  const uniform = (() => uint32() * 2.3283064365386963e-10) as Rng;

  let spare: number | null = null;
  uniform.uint32 = uint32;
  uniform.int = (n: number) => Math.floor(uniform() * n);
  uniform.normal = () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform(); // log(0) would be -Infinity
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return uniform;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
