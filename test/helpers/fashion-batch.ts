/**
 * A fixed batch of Fashion-MNIST training images for tests, standardized per
 * pixel with a standardizer fitted on the batch itself (constant pixels map to 0).
 */
import { loadFashionMnist, fitStandardizer, applyStandardizer } from '../../src/data/index.js';
import { tensor, type Tensor } from '../../src/index.js';

export function standardizedFashionBatch(size: number): { x: Tensor; y: Tensor } {
  // The stratified loader takes the first size/10 images of every class.
  const raw = loadFashionMnist({ split: 'train', limit: size });
  const ds = applyStandardizer(raw, fitStandardizer(raw));
  return { x: tensor(ds.x, [ds.numExamples, 784]), y: tensor(ds.y, [ds.numExamples]) };
}
