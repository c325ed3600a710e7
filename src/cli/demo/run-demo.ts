/**
 * Runs every demo variant: gradient norms at initialization, one epoch of
 * training, test accuracy, and a verdict. Returns the rows; printing is the caller's.
 */
import { Tensor } from '../../tensor/tensor.js';
import { parseRunConfig, buildModel, loadRunData, fitArgsOf, type RunConfig } from '../../config/index.js';
import type { LoadedData } from '../../config/index.js';
import type { Callback } from '../../nn/callbacks.js';
import { DEMO_VARIANTS, type DemoVariant } from './variants.js';
import { initialKernelGradNorms } from './measure.js';

export interface DemoRow {
  variant: DemoVariant;
  /** Kernel-gradient norms of the first, middle and last hidden layer at initialization. */
  gradFirst: number; gradMiddle: number; gradLast: number;
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
  const ratio = row.gradFirst / row.gradLast;
  const ratioText = `first/last gradient ${ratio.toExponential(0)}`;
  if (row.diverged) return `diverged (loss became NaN/Inf)`;
  if (row.testAccuracy < 0.2) {
    if (ratio < 1e-3) return `does not learn: gradients vanish (${ratioText})`;
    if (ratio > 1e3) return `does not learn: gradients explode (${ratioText})`;
    return `does not learn (${ratioText})`;
  }
  if (row.testAccuracy < 0.7) return `learns slowly (${ratioText})`;
  if (ratio >= 0.1 && ratio <= 10) return `trains: gradients stay within 10x across depth`;
  return `trains (${ratioText})`;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoRow[]> {
  const cache = new Map<string, LoadedData>();
  const rows: DemoRow[] = [];
  for (const v of DEMO_VARIANTS) {
    if (options.only !== undefined && !options.only.includes(v.key)) continue;
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
    const probe = 256;
    const norms = initialKernelGradNorms(model,
      new Tensor(data.x.data.subarray(0, probe * data.inputShape[0]!), [probe, data.inputShape[0]!]),
      new Tensor(data.y.data.subarray(0, probe), [probe]));
    const hiddenNorms = norms.slice(0, -1);
    const cb = options.progress?.(v, data) ?? null;
    const history = await model.fit(data.x, data.y, fitArgsOf(config, {
      epochs: options.epochs ?? config.fit.epochs, verbose: 0, callbacks: cb ? [cb] : [],
    }));
    const diverged = history.nonFinite !== null;
    const test = diverged ? { accuracy: NaN, loss: NaN } : model.evaluate(data.xTest, data.yTest, { batchSize: 256 });
    const losses = history.history.loss ?? [];
    const partial = {
      variant: v,
      gradFirst: hiddenNorms[0]!, gradMiddle: hiddenNorms[Math.floor(hiddenNorms.length / 2)]!, gradLast: hiddenNorms[hiddenNorms.length - 1]!,
      testAccuracy: test.accuracy ?? NaN, finalLoss: losses[losses.length - 1] ?? NaN, diverged,
      seconds: (Date.now() - started) / 1000,
    };
    rows.push({ ...partial, verdict: verdict(partial) });
  }
  return rows;
}
