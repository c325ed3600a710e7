/** Differentiable ops for custom code (`import { ops } from 'keel'`). */
export { add, sub, mul, div, maximum, minimum, pow, neg, exp, log, sqrt, square, abs, clip } from './elementwise.js';
export { sum, mean } from './reduce.js';
export { matmul } from './matmul.js';
export { reshape } from './reshape.js';
export { concat } from './concat.js';
export { softmax } from './activation.js';
export { dense } from './dense.js';
export { conv2d, pool2d, convGeometry } from './conv.js';
