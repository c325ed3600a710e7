/** Small statistics over Float32Arrays, accumulated in float64. */

export interface Moments {
  mean: number;
  std: number;
}

export function moments(a: ArrayLike<number>): Moments {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  const mean = s / a.length;
  let q = 0;
  for (let i = 0; i < a.length; i++) q += (a[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(q / a.length) };
}

/** Root mean square. */
export function rms(a: ArrayLike<number>): number {
  let q = 0;
  for (let i = 0; i < a.length; i++) q += a[i]! * a[i]!;
  return Math.sqrt(q / a.length);
}

export function l2(a: ArrayLike<number>): number {
  let q = 0;
  for (let i = 0; i < a.length; i++) q += a[i]! * a[i]!;
  return Math.sqrt(q);
}

export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
