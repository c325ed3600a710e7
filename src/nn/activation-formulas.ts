/**
 * The scalar activation formulas and constants the kernels use, re-exported
 * for code above nn/ (the doctor's theory, experiments) so that they see the
 * very same functions without reaching into the kernels.
 */
export { activate, derivative, SELU_ALPHA, SELU_LAMBDA } from '../kernels/activation-math.js';
export { ActivationCode } from '../kernels/backend.js';
