// x·K + bias for dense layers in training, with a backward pass made of plain matMuls.
//
// Why: tfjs's MatMul gradient multiplies with transposeA / transposeB, and tfjs-backend-wasm 4.22
// runs a transposed BatchMatMul about 10× slower than a plain one (XNNPACK serves only the plain
// layout): on the Hinton MLP, 16 backward matMuls took 1.35 s of a 1.4 s step, the 8 forward ones
// 0.06 s. Here every product is plain and only activation-sized operands ([batch, width]) are
// transposed, never a kernel:
//   y = x·W:   dx = (W·dyᵀ)ᵀ,  dW = xᵀ·dy
//   y = x·Wᵀ (tied, W stored [out, in]):  y = (W·xᵀ)ᵀ,  dx = dy·W,  dW = dyᵀ·x
// and db = Σ_batch dy. The input's gradient is skipped when the input does not depend on any
// parameter (the model's input, a corruption of it, a frozen layer's code).
import * as tf from '@tensorflow/tfjs-core';
import { linearWithGradient } from './linear-gradient.js';

export interface DenseLinearArgs {
  x: tf.Tensor2D;
  kernel: tf.Tensor2D;
  /** The node sees the stored kernel transposed (a dense tied to a dense). */
  transposed: boolean;
  bias?: tf.Tensor | undefined;
  /** Whether x depends on parameters (its gradient is needed). */
  inputGradient: boolean;
}

export function denseLinear({ x, kernel, transposed, bias, inputGradient }: DenseLinearArgs): tf.Tensor2D {
  return linearWithGradient<tf.Tensor2D>({
    x,
    kernel,
    bias,
    inputGradient,
    forward: (a, w, b) => {
      const y = transposed ? tf.transpose(tf.matMul(w, tf.transpose(a))) : tf.matMul(a, w);
      return (b ? tf.add(y, b) : y) as tf.Tensor2D;
    },
    inputGrad: (dy, _a, w) => (transposed ? tf.matMul(dy, w) : tf.transpose(tf.matMul(w, tf.transpose(dy)))),
    kernelGrad: (dy, a) => (transposed ? tf.matMul(tf.transpose(dy), a) : tf.matMul(tf.transpose(a), dy)),
    biasAxes: [0],
  });
}
