/** The small CNN of issue 12, described once for the accuracy comparison and `npm run bench`. */
import { Sequential, layers, optimizers, setSeed } from '../src/index.js';

/**
 * Conv2D 16 3×3 relu he_normal → MaxPool 2 → Conv2D 32 3×3 relu → MaxPool 2 → Flatten → Dense 10 softmax,
 * compiled with Adam 1e-3 and sparse categorical cross-entropy (the other initializers are Keras's defaults).
 */
export function buildCnn(seed: number): Sequential {
  setSeed(seed);
  const model = new Sequential([
    new layers.Conv2D(16, {
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: 'he_normal',
      inputShape: [28, 28, 1],
    }),
    new layers.MaxPooling2D(2),
    new layers.Conv2D(32, { kernelSize: 3, activation: 'relu' }),
    new layers.MaxPooling2D(2),
    new layers.Flatten(),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 1e-3 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Multiply–adds of one forward pass per image: 26²·9·16 + 11²·9·16·32; training ≈ 3× forward. */
export const CNN_FORWARD_FLOPS_PER_IMAGE = 2 * (26 * 26 * 9 * 16 + 11 * 11 * 9 * 16 * 32 + 800 * 10);
