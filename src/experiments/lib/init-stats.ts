/**
 * Statistics of a stack of Dense → Activation blocks at initialization:
 * activation std per layer (forward) and std of the back-propagated gradient
 * ∂C/∂z of each pre-activation (backward), with a random N(0, 1) gradient
 * injected at the top (Glorot & Bengio 2010, §4.2.2 and Fig. 6–7).
 */
import { Sequential } from '../../nn/model.js';
import { Dense } from '../../nn/layers/dense.js';
import { Activation } from '../../nn/layers/activation.js';
import { Random } from '../../tensor/rng.js';
import { setSeed } from '../../tensor/rng.js';
import type { Layer } from '../../nn/layers/layer.js';
import type { ActivationIdentifier } from '../../nn/activations.js';
import { traceLayers, injectedGradient, gaussian } from './probe.js';
import { moments, rms } from './stats.js';
import type { Kernel } from './mlp.js';

export interface StackStats {
  /** std of each block's activation output (layer 1 first). */
  activationStd: number[];
  /** rms of each block's pre-activation z. */
  preRms: number[];
  /** std of ∂C/∂z of each block. */
  gradStd: number[];
}

export interface StackSpec {
  inputDim: number;
  width: number;
  depth: number;
  activation: ActivationIdentifier;
  /** Kernel initializer of block i (its fan-in is inputDim for i = 0, else width). */
  kernel: (index: number) => Kernel;
  batch: number;
  useBias?: boolean;
  seed: number;
}

export function stackStats(spec: StackSpec): StackStats {
  setSeed(spec.seed);
  const layers: Layer[] = [];
  const dense: Dense[] = [],
    acts: Activation[] = [];
  for (let i = 0; i < spec.depth; i++) {
    const d = new Dense(spec.width, { kernelInitializer: spec.kernel(i), useBias: spec.useBias ?? false });
    const a = new Activation(spec.activation);
    dense.push(d);
    acts.push(a);
    layers.push(d, a);
  }
  const model = new Sequential(layers);
  model.build([spec.inputDim]);
  const rng = new Random(spec.seed + 1);
  const x = gaussian(spec.batch, spec.inputDim, rng);
  const r = gaussian(spec.batch, spec.width, rng);
  const { layers: trace } = traceLayers(model, x, injectedGradient(r));
  const byLayer = new Map(trace.map((t) => [t.layer, t]));
  return {
    activationStd: acts.map((a) => moments(byLayer.get(a)!.output).std),
    preRms: dense.map((d) => rms(byLayer.get(d)!.output)),
    gradStd: dense.map((d) => moments(byLayer.get(d)!.grad).std),
  };
}
