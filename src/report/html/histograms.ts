/**
 * A step observer that takes histograms of every layer's output at chosen
 * steps, all layers over one shared range (robust: the 0.5th–99.5th
 * percentile across layers), so rows of a ridgeline compare directly.
 */
import { Callback } from '../../nn/callbacks.js';
import type { StepObserver, StepView } from '../../nn/training.js';
import type { HistogramSet, LayerHistogram } from './charts/ridgeline.js';

const HISTOGRAM_BINS = 40;
const SAMPLE = 2048;

export interface ActivationSamplerArgs {
  /** Which steps to sample; default: 4 steps spread over the run (set when training starts). */
  steps?: (step: number) => boolean;
  /** Keep only the latest set (the lab) instead of all of them (the report). */
  latestOnly?: boolean;
  onSample?: (set: HistogramSet) => void;
}

export class ActivationSampler extends Callback implements StepObserver {
  readonly sets: HistogramSet[] = [];
  private chosen: (step: number) => boolean;
  private readonly explicit: boolean;

  constructor(private readonly args: ActivationSamplerArgs = {}) {
    super();
    this.explicit = args.steps !== undefined;
    this.chosen = args.steps ?? ((s) => s === 0);
  }

  override onTrainBegin(): void {
    if (this.explicit || this.params === null) return;
    const total = Math.max(1, this.params.steps * (this.params.epochs - this.params.initialEpoch));
    const picks = new Set(
      [0, Math.round(total / 3), Math.round((2 * total) / 3), total - 1].map(
        (s) => s + this.params!.steps * this.params!.initialEpoch,
      ),
    );
    this.chosen = (s) => picks.has(s);
  }

  wantsStep(step: number): boolean {
    return this.chosen(step);
  }

  beforeUpdate(view: StepView): void {
    const set = histogramSet(
      view.step,
      view.layerOutputs.map(({ layer, output }) => ({ name: layer.name, data: output.data })),
    );
    if (this.args.latestOnly) this.sets.length = 0;
    this.sets.push(set);
    this.args.onSample?.(set);
  }

  afterUpdate(): void {}
}

/** Histograms of several layers' outputs over one shared range. */
export function histogramSet(step: number, layers: readonly { name: string; data: Float32Array }[]): HistogramSet {
  let lo = Infinity,
    hi = -Infinity;
  for (const l of layers) {
    const s = sample(l.data);
    if (s.length === 0) continue;
    s.sort();
    lo = Math.min(lo, s[Math.floor(0.005 * (s.length - 1))]!);
    hi = Math.max(hi, s[Math.ceil(0.995 * (s.length - 1))]!);
  }
  if (!(lo <= hi)) {
    lo = -1;
    hi = 1;
  }
  if (hi - lo < 1e-6) {
    lo -= 0.5;
    hi += 0.5;
  }
  return { step, lo, hi, layers: layers.map((l) => histogram(l.name, l.data, lo, hi)) };
}

function sample(data: Float32Array): Float32Array {
  const stride = Math.max(1, Math.floor(data.length / SAMPLE));
  const out: number[] = [];
  for (let i = 0; i < data.length; i += stride) {
    const v = data[i]!;
    if (Number.isFinite(v)) out.push(v);
  }
  return Float32Array.from(out);
}

function histogram(layer: string, data: Float32Array, lo: number, hi: number): LayerHistogram {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const scale = HISTOGRAM_BINS / (hi - lo);
  let sum = 0,
    sumSq = 0,
    n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    sum += v;
    sumSq += v * v;
    n++;
    const k = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((v - lo) * scale)));
    counts[k]!++;
  }
  const mean = n > 0 ? sum / n : NaN;
  return { layer, counts, mean, std: n > 0 ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : NaN };
}
