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
// parameter (the model's input, a corruption of it, a frozen layer's code): tfjs prunes it for
// its own ops, a custom gradient has to be told.
import * as tf from '@tensorflow/tfjs-core';

export interface DenseLinearArgs {
  x: tf.Tensor2D;
  kernel: tf.Tensor2D;
  /** The node sees the stored kernel transposed (a dense tied to a dense). */
  transposed: boolean;
  bias?: tf.Tensor | undefined;
  /** Whether x depends on parameters (its gradient is needed). */
  inputGradient: boolean;
}

type Save = (tensors: tf.Tensor[]) => void;

export function denseLinear({ x, kernel, transposed, bias, inputGradient }: DenseLinearArgs): tf.Tensor2D {
  const product = (a: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D =>
    transposed ? (tf.transpose(tf.matMul(w, tf.transpose(a))) as tf.Tensor2D) : tf.matMul(a, w);
  const backward = (dy: tf.Tensor2D, a: tf.Tensor2D, w: tf.Tensor2D): { dx: () => tf.Tensor; dw: tf.Tensor } => ({
    dx: () => (transposed ? tf.matMul(dy, w) : tf.transpose(tf.matMul(w, tf.transpose(dy)))),
    dw: transposed ? tf.matMul(tf.transpose(dy), a) : tf.matMul(tf.transpose(a), dy),
  });
  const withBias = (y: tf.Tensor2D, b: tf.Tensor | undefined): tf.Tensor2D => (b ? tf.add(y, b) : y);

  const fn = tf.customGrad(((...args: (tf.Tensor | Save)[]) => {
    // The forward pass runs in a tidy: what the backward pass reads must be saved, not closed over.
    const save = args.pop() as Save;
    const tensors = args as tf.Tensor[];
    const a = (inputGradient ? tensors.shift() : x) as tf.Tensor2D;
    const w = tensors.shift() as tf.Tensor2D;
    const b = tensors.shift();
    save([a, w]);
    return {
      value: withBias(product(a, w), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const grads = backward(dy as tf.Tensor2D, saved[0] as tf.Tensor2D, saved[1] as tf.Tensor2D);
        const out: tf.Tensor[] = [];
        if (inputGradient) out.push(grads.dx());
        out.push(grads.dw);
        if (b) out.push(tf.reshape(tf.sum(dy, 0), b.shape));
        return out;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const inputs = [...(inputGradient ? [x] : []), kernel, ...(bias ? [bias] : [])];
  return (fn as unknown as (...t: tf.Tensor[]) => tf.Tensor2D)(...inputs);
}
