/** Every activation code the kernels implement, with the parameter each test uses (one list for all kernel tests). */
import { ActivationCode } from '../../src/kernels/backend.js';

export const ACTIVATION_CODES: readonly [string, ActivationCode, number][] = [
  ['linear', ActivationCode.Linear, 0],
  ['relu', ActivationCode.Relu, 0],
  ['elu', ActivationCode.Elu, 1],
  ['elu(0.5)', ActivationCode.Elu, 0.5],
  ['selu', ActivationCode.Selu, 0],
  ['sigmoid', ActivationCode.Sigmoid, 0],
  ['tanh', ActivationCode.Tanh, 0],
  ['softplus', ActivationCode.Softplus, 0],
  ['softsign', ActivationCode.Softsign, 0],
  ['swish', ActivationCode.Swish, 0],
  ['gelu_approximate', ActivationCode.GeluTanh, 0],
  ['gelu', ActivationCode.GeluErf, 0],
  ['hard_sigmoid', ActivationCode.HardSigmoid, 0],
  ['hard_sigmoid_keras2', ActivationCode.HardSigmoidKeras2, 0],
  ['exponential', ActivationCode.Exponential, 0],
  ['leaky_relu(0.2)', ActivationCode.LeakyRelu, 0.2],
  ['leaky_relu(0)', ActivationCode.LeakyRelu, 0],
];
