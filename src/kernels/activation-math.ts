/**
 * Scalar activation functions and their derivatives, in numerically stable form.
 * Formulas follow Keras 3 (`keras/src/activations/activations.py`); see
 * shared keras-semantics.md §2. Used by the JS reference kernels and by tests.
 */
import { ActivationCode } from './backend.js';

/** SELU constants (Klambauer et al. 2017, eq. 14). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_LAMBDA = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2 = 1 / Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Logistic sigmoid without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * erf(x) via the complementary error function of Numerical Recipes (erfcc,
 * Chebyshev fit, fractional error < 1.2e-7 everywhere): enough for float32.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/** f(x) for the given activation. */
export function activate(act: ActivationCode, x: number, param: number): number {
  switch (act) {
    case ActivationCode.Linear:
      return x;
    // max(x, 0) with NaN propagating, as TF's Relu kernel (cwiseMax<PropagateNaN>) and every Keras backend.
    case ActivationCode.Relu:
      return x < 0 ? 0 : x;
    case ActivationCode.Elu:
      return x > 0 ? x : param * Math.expm1(x);
    case ActivationCode.Selu:
      return x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * Math.expm1(x);
    case ActivationCode.Sigmoid:
      return sigmoid(x);
    case ActivationCode.Tanh:
      return Math.tanh(x);
    // softplus(x) = max(x, 0) + log1p(exp(−|x|)): finite for any x.
    case ActivationCode.Softplus:
      return (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)));
    case ActivationCode.Softsign:
      return x / (1 + Math.abs(x));
    case ActivationCode.Swish:
      return x * sigmoid(x);
    case ActivationCode.GeluTanh:
      return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
    case ActivationCode.GeluErf:
      return 0.5 * x * (1 + erf(x * INV_SQRT_2));
    case ActivationCode.HardSigmoid:
      return x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5;
    case ActivationCode.Exponential:
      return Math.exp(x);
    // TF LeakyRelu kernel: x > 0 ? x : alpha·x (NaN → alpha·NaN = NaN).
    case ActivationCode.LeakyRelu:
      return x > 0 ? x : param * x;
    case ActivationCode.HardSigmoidKeras2: {
      const t = 0.2 * x + 0.5;
      return t <= 0 ? 0 : t >= 1 ? 1 : t;
    }
  }
}

/**
 * f'(x) given the input x and the output y = f(x). At the kinks (x exactly 0,
 * hard_sigmoid's ±3) this is what Keras 3's TensorFlow backend computes
 * (keras/src/backend/tensorflow/nn.py → the TF gradient kernels in
 * tensorflow/core/kernels/relu_op_functor.h):
 *   relu'(0) = 0                 ReluGrad = g·(x > 0)
 *   leaky_relu'(0) = alpha       LeakyReluGrad = x > 0 ? g : g·alpha
 *   elu'(0) = alpha              EluGrad = y < 0 ? g·(y + 1) : g, so 1 for alpha = 1; Keras
 *                                computes alpha ≠ 1 as tf.where(x > 0, elu(x), alpha·elu(x)),
 *                                whose gradient at 0 takes the alpha branch: alpha·1
 *   selu'(0) = λ ≈ 1.0507        SeluGrad = y < 0 ? g·(y + λα) : g·λ
 *   hard_sigmoid'(±3) = 0        Keras: relu6(x + 3)/6; Relu6Grad = g·(0 < x + 3 < 6)
 *   hard_sigmoid_keras2'(±2.5) = 0.2  tf.keras 2 / TF.js: clip_by_value(0.2x + 1/2, 0, 1) passes g at both ends
 * A NaN input gives the x > 0 test false (TF's choice); the forward pass has
 * already made the output NaN, so the NaN is not hidden (and g·0 is NaN for a NaN g).
 */
export function derivative(act: ActivationCode, x: number, y: number, param: number): number {
  switch (act) {
    case ActivationCode.Linear:
      return 1;
    case ActivationCode.Relu:
      return x > 0 ? 1 : 0;
    case ActivationCode.Elu:
      return x > 0 ? 1 : y + param;
    case ActivationCode.Selu:
      return x < 0 ? y + SELU_LAMBDA * SELU_ALPHA : SELU_LAMBDA;
    case ActivationCode.Sigmoid:
      return y * (1 - y);
    case ActivationCode.Tanh:
      return 1 - y * y;
    case ActivationCode.Softplus:
      return sigmoid(x);
    case ActivationCode.Softsign: {
      const d = 1 + Math.abs(x);
      return 1 / (d * d);
    }
    case ActivationCode.Swish: {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    }
    case ActivationCode.GeluTanh: {
      const inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
      const t = Math.tanh(inner);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
    }
    case ActivationCode.GeluErf:
      return 0.5 * (1 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    case ActivationCode.HardSigmoid:
      return x > -3 && x < 3 ? 1 / 6 : 0;
    case ActivationCode.Exponential:
      return y;
    case ActivationCode.LeakyRelu:
      return x > 0 ? 1 : param;
    // tf.keras 2 / TF.js: clip_by_value's gradient passes where 0 ≤ 0.2x + 1/2 ≤ 1 (both ends included).
    case ActivationCode.HardSigmoidKeras2: {
      const t = 0.2 * x + 0.5;
      return t >= 0 && t <= 1 ? 0.2 : 0;
    }
  }
}
