/**
 * Seeded random numbers. Every random draw in Keel goes through a `Random`, so
 * the same seed gives the same weights and the same training run.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), 128-bit state, seeded by
 * splitmix32. Normals: Box–Muller, the spare value kept in the state so that
 * saving and restoring the state reproduces the stream exactly.
 */

export interface RandomState {
  s: [number, number, number, number];
  spare: number | null;
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed: number) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    if (!Number.isFinite(seed)) throw new Error(`Random: seed must be a finite number; received ${seed}`);
    const next = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = null;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of randomness. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer seed for a child generator (e.g. an initializer created without a seed). */
  nextSeed(): number {
    return this.nextUint32();
  }

  getState(): RandomState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  setState(state: RandomState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.s.map((v) => v >>> 0) as [number, number, number, number];
    this.spare = state.spare;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const globalRandom = new Random(Date.now() >>> 0);

/** Seeds Keel's global generator (weights of initializers without a seed, dropout masks, shuffling). */
export function setSeed(seed: number): void {
  globalRandom.reseed(seed);
}

/** The global generator. */
export function getGlobalRandom(): Random {
  return globalRandom;
}

/** Checks a value read from a file is a generator state; returns a copy. */
export function checkRandomState(v: unknown, where: string): RandomState {
  const o = v as { s?: unknown; spare?: unknown } | null;
  const ok =
    typeof o === 'object' &&
    o !== null &&
    Array.isArray(o.s) &&
    o.s.length === 4 &&
    o.s.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= -0x80000000 && x <= 0xffffffff) &&
    (o.spare === null || typeof o.spare === 'number');
  if (!ok) {
    let text: string;
    try {
      text = JSON.stringify(v)?.slice(0, 100) ?? String(v);
    } catch {
      text = String(v);
    }
    throw new Error(
      `${where}: expected a generator state {s: [4 × 32-bit integers], spare: number | null}; received ${text}`,
    );
  }
  return { s: [...(o.s as number[])] as RandomState['s'], spare: o.spare as number | null };
}
