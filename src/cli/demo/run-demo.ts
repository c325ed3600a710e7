/**
 * Runs every demo variant: gradient norms at initialization, one epoch of
 * training, test accuracy, and a verdict. Returns the rows; printing is the caller's.
 */
import { Tensor } from '../../tensor/tensor.js';
import { parseRunConfig, buildModel, loadRunData, fitArgsOf, type RunConfig } from '../../run-config/index.js';
import type { LoadedData } from '../../run-config/index.js';
import type { Callback } from '../../nn/callbacks.js';
import { DEMO_VARIANTS, type DemoVariant } from './variants.js';
import { measureAtInit } from './measure.js';
import { closest } from '../../util/suggest.js';

export interface DemoRow {
  variant: DemoVariant;
  /** Kernel-gradient norms of the first, middle and last hidden layer at initialization. */
  gradFirst: number;
  gradMiddle: number;
  gradLast: number;
  /** Fraction of saturated hidden units at initialization (saturating activations only). */
  saturated: number | null;
  testAccuracy: number;
  finalLoss: number;
  diverged: boolean;
  seconds: number;
  verdict: string;
}

export interface DemoOptions {
  /** Training examples (stratified); undefined = all 60,000. */
  limit?: number;
  testLimit?: number;
  epochs?: number;
  seed?: number;
  only?: string[];
  /** A callback per variant (progress bar). */
  progress?: (variant: DemoVariant, data: LoadedData) => Callback | null;
}

export function verdict(row: Omit<DemoRow, 'verdict'>): string {
  if (row.diverged) return 'diverged (loss became NaN/Inf)';
  const ratio = row.gradFirst / row.gradLast;
  const largest = Math.max(row.gradFirst, row.gradMiddle, row.gradLast);
  const status = row.testAccuracy < 0.2 ? 'does not learn' : row.testAccuracy < 0.7 ? 'learns slowly' : 'trains';
  // The reason, from the gradient columns: vanishing across depth, exploding in size, or healthy.
  if (ratio < 1e-3) return `${status}: gradients vanish (first/last gradient ${ratio.toExponential(0)})`;
  if (row.saturated !== null && row.saturated > 0.4)
    return `${status}: ${(row.saturated * 100).toFixed(0)}% of units saturated (sigmoid′ ≈ 0 there)`;
  if (largest > 1e4) return `${status}: gradients explode (‖∇W‖ up to ${largest.toExponential(0)})`;
  if (ratio > 1e3) return `${status}: gradients explode toward the input (first/last ${ratio.toExponential(0)})`;
  if (ratio >= 0.1 && ratio <= 10) return `${status}: gradients stay within 10x across depth`;
  return `${status} (first/last gradient ${ratio.toExponential(0)})`;
}

/** The variants `only` names, in the demo's order; an unknown key is an error with a suggestion. */
export function selectVariants(only: readonly string[] | undefined): DemoVariant[] {
  if (only === undefined) return [...DEMO_VARIANTS];
  const keys = DEMO_VARIANTS.map((v) => v.key);
  for (const k of only) {
    if (keys.includes(k)) continue;
    const near = keys.find((key) => k.length >= 3 && key.startsWith(k)) ?? closest(k, keys);
    throw new Error(
      `unknown demo variant '${k}'.${near !== null ? ` Did you mean '${near}'?` : ''} Known: ${keys.join(', ')}`,
    );
  }
  if (only.length === 0) throw new Error(`--only selects no variant. Known: ${keys.join(', ')}`);
  return DEMO_VARIANTS.filter((v) => only.includes(v.key));
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoRow[]> {
  const cache = new Map<string, LoadedData>();
  const rows: DemoRow[] = [];
  for (const v of selectVariants(options.only)) {
    const doc = structuredClone(v.config) as Record<string, unknown> & { data: Record<string, unknown> };
    if (options.limit !== undefined) doc.data.limit = options.limit;
    if (options.testLimit !== undefined) doc.data.test_limit = options.testLimit;
    if (options.seed !== undefined) doc.seed = options.seed;
    const config: RunConfig = parseRunConfig(doc);
    const dataKey = JSON.stringify(config.data);
    if (!cache.has(dataKey)) cache.set(dataKey, loadRunData(config));
    const data = cache.get(dataKey)!;
    const started = Date.now();
    const model = buildModel(config, data.inputShape);
    // The gradients at initialization are measured on up to 256 training images (fewer with a small --limit).
    const probe = Math.min(256, data.x.shape[0]!);
    const measured = measureAtInit(
      model,
      new Tensor(data.x.data.subarray(0, probe * data.inputShape[0]!), [probe, data.inputShape[0]!]),
      new Tensor(data.y.data.subarray(0, probe), [probe]),
    );
    const hiddenNorms = measured.kernelGradNorms.slice(0, -1);
    const cb = options.progress?.(v, data) ?? null;
    const history = await model.fit(
      data.x,
      data.y,
      fitArgsOf(config, {
        epochs: options.epochs ?? config.fit.epochs,
        verbose: 0,
        callbacks: cb ? [cb] : [],
      }),
    );
    const diverged = history.nonFinite !== null;
    const test = diverged ? { accuracy: NaN, loss: NaN } : model.evaluate(data.xTest, data.yTest, { batchSize: 256 });
    const losses = history.history.loss ?? [];
    const partial = {
      variant: v,
      gradFirst: hiddenNorms[0]!,
      gradMiddle: hiddenNorms[Math.floor(hiddenNorms.length / 2)]!,
      gradLast: hiddenNorms[hiddenNorms.length - 1]!,
      saturated: measured.saturated,
      testAccuracy: test.accuracy ?? NaN,
      finalLoss: losses[losses.length - 1] ?? NaN,
      diverged,
      seconds: (Date.now() - started) / 1000,
    };
    rows.push({ ...partial, verdict: verdict(partial) });
  }
  return rows;
}
