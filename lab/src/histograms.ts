/**
 * Activation histograms on a robust shared axis. The axis spans the typical layer: the median over layers of
 * each layer's 1st and 99th percentiles (widened to take in 0), so one layer with a long tail (an ELU or ReLU
 * output that grew during training) no longer stretches every row to 0–80. Values outside the axis are not
 * folded into the end bins: each row counts them apart (`under`, `over`) and the chart marks them.
 */
import type { HistogramSet, LayerHistogram } from '../../src/report/html/charts/ridgeline.js';

const BINS = 40;
const SAMPLE = 2048;

function quantile(sorted: Float32Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))]!;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function sample(data: Float32Array): Float32Array {
  const stride = Math.max(1, Math.floor(data.length / SAMPLE));
  const out: number[] = [];
  for (let i = 0; i < data.length; i += stride) if (Number.isFinite(data[i]!)) out.push(data[i]!);
  return Float32Array.from(out).sort();
}

/** The shared axis [lo, hi] for several layers' outputs. */
export function robustRange(layers: readonly Float32Array[]): [number, number] {
  const los: number[] = [],
    his: number[] = [];
  for (const d of layers) {
    const s = sample(d);
    if (s.length === 0) continue;
    los.push(quantile(s, 0.02));
    his.push(quantile(s, 0.98));
  }
  if (los.length === 0) return [-1, 1];
  let lo = Math.min(0, median(los)),
    hi = Math.max(0, median(his));
  if (hi - lo < 1e-6) {
    lo -= 0.5;
    hi += 0.5;
  }
  return [lo, hi];
}

/** Histograms of each layer's outputs over the robust shared range, with the values outside it counted apart. */
export function robustHistogramSet(
  step: number,
  layers: readonly { name: string; data: Float32Array }[],
): HistogramSet & { layers: LayerHistogram[] } {
  const [lo, hi] = robustRange(layers.map((l) => l.data));
  const scale = BINS / (hi - lo);
  return {
    step,
    lo,
    hi,
    layers: layers.map(({ name, data }) => {
      const counts = new Array<number>(BINS).fill(0);
      let under = 0,
        over = 0,
        sum = 0,
        sumSq = 0,
        n = 0,
        min = Infinity,
        max = -Infinity;
      for (let i = 0; i < data.length; i++) {
        const v = data[i]!;
        if (!Number.isFinite(v)) continue;
        sum += v;
        sumSq += v * v;
        n++;
        if (v < min) min = v;
        if (v > max) max = v;
        if (v < lo) under++;
        else if (v > hi) over++;
        else counts[Math.min(BINS - 1, Math.floor((v - lo) * scale))]!++;
      }
      const mean = n > 0 ? sum / n : NaN;
      const std = n > 0 ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : NaN;
      return { layer: name, counts, mean, std, under, over, total: n, min, max };
    }),
  };
}
