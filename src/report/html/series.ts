/** From a RunRecord to chart inputs (pure; shared by the report and the lab). */
import type { ProbeHistory, StepRecord } from '../doctor-adapter.js';
import type { HeatmapData } from './charts/heatmap.js';
import type { LayerValue } from './charts/bars.js';
import type { Series } from './charts/line-chart.js';
import type { RunRecord } from './record.js';

/** Evenly spaced records, at most `max` of them (always keeping the last). */
function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return out;
}

/** Layers that have a main weight (their gradient norm is defined), in order. */
function weightedLayers(r: StepRecord): string[] {
  return r.layers.filter((l) => l.gradNorm !== null).map((l) => l.layer);
}

/** Kernel-gradient norm per layer (rows) over sampled steps (columns). */
export function gradientHeatmap(probe: ProbeHistory, maxCols = 150): HeatmapData {
  const recs = thin(probe.steps, maxCols);
  const rows = recs.length > 0 ? weightedLayers(recs[0]!) : [];
  const values = rows.map((name) => recs.map((r) => r.layers.find((l) => l.layer === name)?.gradNorm ?? null));
  return { rows, cols: recs.map((r) => r.step), values };
}

/** Gradient norm per layer at one record. */
export function gradientBars(r: StepRecord | undefined): LayerValue[] {
  if (r === undefined) return [];
  return r.layers.filter((l) => l.gradNorm !== null).map((l) => ({ layer: l.layer, value: l.gradNorm }));
}

/** Batch loss by step, smoothed by a centred moving average (window ≈ 1% of the run, at least 1). */
export function lossByStep(losses: readonly number[], maxPoints = 400): [number, number][] {
  const w = Math.max(1, Math.floor(losses.length / 100));
  const pts: [number, number][] = [];
  let sum = 0,
    n = 0;
  const q: number[] = [];
  losses.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    q.push(v);
    sum += v;
    n++;
    if (q.length > w) {
      sum -= q.shift()!;
      n--;
    }
    pts.push([i, sum / n]);
  });
  return thin(pts, maxPoints);
}

/** Per-epoch curves for metric names (train and validation). */
export function epochSeries(epochs: Record<string, number[]>, names: readonly string[]): Series[] {
  return names
    .filter((k) => (epochs[k]?.length ?? 0) > 0)
    .map((k, i) => ({
      name: k.startsWith('val_') ? `validation ${k.slice(4)}` : `train ${k}`,
      points: epochs[k]!.map((v, e) => [e + 1, v] as [number, number]),
      markers: true,
      style: i,
    }));
}

/** Predicted vs measured output variance, and kernel-gradient norm, by layer at initialization. */
export function varianceByDepth(run: RunRecord): { layers: string[]; variance: Series[]; gradient: Series[] } {
  const first = run.probe.steps[0];
  const layers = run.theory?.layers.map((l) => l.layer) ?? first?.layers.map((l) => l.layer) ?? [];
  const idx = (name: string) => layers.indexOf(name) + 1;
  const variance: Series[] = [],
    gradient: Series[] = [];
  if (run.theory !== null) {
    variance.push({
      name: 'predicted (theory)',
      markers: true,
      style: 0,
      points: run.theory.layers.filter((l) => l.outputVariance > 0).map((l) => [idx(l.layer), l.outputVariance]),
    });
    gradient.push({
      name: 'predicted (theory)',
      markers: true,
      style: 0,
      points: run.theory.layers.filter((l) => l.kernelGradNorm !== null).map((l) => [idx(l.layer), l.kernelGradNorm!]),
    });
  }
  if (first !== undefined) {
    variance.push({
      name: `measured (step ${first.step})`,
      markers: true,
      style: 1,
      points: first.layers.map((l) => [idx(l.layer), l.std * l.std]),
    });
    gradient.push({
      name: `measured (step ${first.step})`,
      markers: true,
      style: 1,
      points: first.layers.filter((l) => l.gradNorm !== null).map((l) => [idx(l.layer), l.gradNorm!]),
    });
  }
  return { layers, variance, gradient };
}

/**
 * Variance and gradient by BLOCK rather than by layer: a block starts at a layer with weights (Dense) and takes
 * the layers after it (BatchNormalization, Activation, Dropout) up to the next one. Variance is read at each
 * block's last layer, the gradient at its weighted layer, so a 20-block stack draws 20 points, not a 61-point
 * sawtooth mixing Dense, BN and activation outputs.
 */
export function varianceByBlock(run: RunRecord): {
  blocks: number;
  example: string;
  variance: Series[];
  gradient: Series[];
} {
  const first = run.probe.steps[0];
  // Blocks start at layers of the first weighted layer's type (Dense), not at every layer with a weight
  // (BatchNormalization's gamma would split each block in two).
  const classOf = new Map<string, string>();
  for (const l of run.theory?.layers ?? []) classOf.set(l.layer, l.className);
  for (const l of first?.layers ?? []) classOf.set(l.layer, l.className);
  const firstWeighted =
    run.theory?.layers.find((l) => l.kernelGradNorm !== null)?.className ??
    first?.layers.find((l) => l.gradNorm !== null)?.className;
  const weighted = new Set<string>([...classOf].filter(([, c]) => c === firstWeighted).map(([n]) => n));
  const order = run.theory?.layers.map((l) => l.layer) ?? first?.layers.map((l) => l.layer) ?? [];
  const blockOf = new Map<string, number>();
  const lastOf = new Map<number, string>();
  let b = 0;
  for (const name of order) {
    if (weighted.has(name) || b === 0) b++;
    blockOf.set(name, b);
    lastOf.set(b, name);
  }
  const members = order.filter((n) => blockOf.get(n) === Math.min(2, b));
  const isEnd = (name: string) => lastOf.get(blockOf.get(name) ?? -1) === name;
  const variance: Series[] = [],
    gradient: Series[] = [];
  if (run.theory !== null) {
    variance.push({
      name: 'predicted (theory)',
      markers: true,
      style: 0,
      points: run.theory.layers
        .filter((l) => isEnd(l.layer) && l.outputVariance > 0)
        .map((l) => [blockOf.get(l.layer)!, l.outputVariance]),
    });
    gradient.push({
      name: 'predicted (theory)',
      markers: true,
      style: 0,
      points: run.theory.layers
        .filter((l) => l.kernelGradNorm !== null && weighted.has(l.layer))
        .map((l) => [blockOf.get(l.layer)!, l.kernelGradNorm!]),
    });
  }
  if (first !== undefined) {
    variance.push({
      name: `measured (step ${first.step})`,
      markers: true,
      style: 1,
      points: first.layers.filter((l) => isEnd(l.layer)).map((l) => [blockOf.get(l.layer)!, l.std * l.std]),
    });
    gradient.push({
      name: `measured (step ${first.step})`,
      markers: true,
      style: 1,
      points: first.layers
        .filter((l) => l.gradNorm !== null && weighted.has(l.layer))
        .map((l) => [blockOf.get(l.layer)!, l.gradNorm!]),
    });
  }
  return { blocks: b, example: members.join(' → ') || 'none', variance, gradient };
}

/** One row per layer with per-channel statistics (conv feature maps), at one sampled step. */
export interface ChannelRow {
  layer: string;
  className: string;
  std: number[];
  mean: number[];
  dead: number[];
}

/** The layers with per-channel statistics at a record (first or last sampled step). */
export function channelRows(r: StepRecord | undefined): ChannelRow[] {
  if (r === undefined) return [];
  return r.layers.flatMap((l) =>
    l.channels === undefined
      ? []
      : [{ layer: l.layer, className: l.className, std: l.channels.std, mean: l.channels.mean, dead: l.channels.dead }],
  );
}

/** Per-channel output std (columns: channel 0 … max − 1; a layer with fewer channels leaves the rest empty). */
export function channelHeatmap(rows: readonly ChannelRow[]): HeatmapData {
  const width = Math.max(0, ...rows.map((r) => r.std.length));
  return {
    rows: rows.map((r) => r.layer),
    cols: Array.from({ length: width }, (_v, c) => c),
    values: rows.map((r) => Array.from({ length: width }, (_v, c) => r.std[c] ?? null)),
  };
}
