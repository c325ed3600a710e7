/**
 * Keel's data module: datasets as plain typed arrays (no tensors), loaders,
 * batching, splitting and standardization.
 *
 * Browser note: fashion-mnist.ts, mnist.ts and csv.ts (loadCsv) read files
 * with node:fs. The lab should import the browser-safe files directly:
 * dataset, rng, synthetic, batching, split, standardize, csv-dataset.
 */
export type { Dataset } from './dataset.js';
export { assertDataset, classCounts, featureSize } from './dataset.js';
export { DataError } from './errors.js';
export type { DataErrorLocation } from './errors.js';
export { createRng } from './rng.js';
export type { Rng } from './rng.js';

export { loadFashionMnist, FASHION_MNIST_CLASSES, fashionMnistCachePath } from './fashion-mnist.js';
export type { ImageLoadOptions } from './fashion-mnist.js';
export { loadMnist, MNIST_CLASSES } from './mnist.js';
export type { MnistLoadOptions } from './mnist.js';
export { loadCsv, csvToDataset } from './csv.js';
export type { CsvOptions } from './csv.js';
export { parseCsv } from './csv-parse.js';

export { spirals, circles, gaussianBlobs, teacherTask } from './synthetic.js';
export type { SpiralsOptions, CirclesOptions, BlobsOptions, TeacherOptions, TeacherTask } from './synthetic.js';

export { shuffleIndices, takeRows, batches, numBatches } from './batching.js';
export type { Batch, BatchOptions } from './batching.js';
export { validationSplit, rowRange, randomSplit } from './split.js';
export type { TrainValidation } from './split.js';
export { fitStandardizer, applyStandardizer } from './standardize.js';
export type { Standardizer } from './standardize.js';
export { addingProblem, copyMemory } from './sequences.js';
export type { AddingProblemOptions, CopyMemoryOptions } from './sequences.js';

export { loadNames, nameSequences } from './names.js';
export type { NameList, NameSequencesOptions, CharSequences } from './names.js';
