/**
 * Per-channel statistics of a channels-last output (a convolution's feature maps): each channel's mean and std
 * over the batch and every position, and which channels are dead (exactly 0 everywhere, as a ReLU channel whose
 * pre-activation never turns positive). A CNN's trouble is often per channel: a whole map dies or saturates while
 * the layer's overall moments look fine.
 */
import type { Layer } from '../nn/layers/layer.js';
import type { ChannelStats } from './types.js';

/** Statistics per channel of a buffer whose last axis (size `channels`) is the channel. */
export function channelStats(data: Float32Array, channels: number): ChannelStats {
  const sum = new Float64Array(channels),
    sumSq = new Float64Array(channels),
    nonZero = new Uint8Array(channels);
  const n = channels > 0 ? Math.floor(data.length / channels) : 0;
  for (let i = 0, k = 0; i < n; i++) {
    for (let c = 0; c < channels; c++, k++) {
      const v = data[k]!;
      sum[c]! += v;
      sumSq[c]! += v * v;
      if (v !== 0) nonZero[c] = 1;
    }
  }
  const mean: number[] = [],
    std: number[] = [],
    dead: number[] = [];
  for (let c = 0; c < channels; c++) {
    const m = n > 0 ? sum[c]! / n : 0;
    mean.push(m);
    std.push(Math.sqrt(Math.max(0, (n > 0 ? sumSq[c]! / n : 0) - m * m)));
    if (nonZero[c] === 0) dead.push(c);
  }
  return { mean, std, dead };
}

/**
 * A layer's per-channel statistics when its output is a channels-last feature map: rank 4 ([batch, h, w, c]:
 * Conv2D, pooling, BatchNormalization or an activation on images), or rank 3 from a convolution ([batch, steps, c]:
 * Conv1D, whose doctor facts give a receptive field). Null for other layers (Dense, recurrent sequences).
 */
export function channelStatsOf(layer: Layer, data: Float32Array, shape: readonly number[]): ChannelStats | null {
  const rank = shape.length;
  const conv = layer.doctorFacts().kernel?.receptiveField !== undefined;
  if (rank !== 4 && !(rank === 3 && conv)) return null;
  return channelStats(data, shape[rank - 1]!);
}
