// The plumbing shared by the layers that train through a custom gradient (dense, stride-1 conv):
// `y = f(x, W) + b` with the backward pass supplied by the layer. tf.customGrad runs the forward
// pass inside a tidy, so what the backward pass reads is saved, not closed over; and the input's
// gradient is skipped when the input depends on no parameter (tfjs prunes it for its own ops, a
// custom gradient has to be told).
import * as tf from '@tensorflow/tfjs-core';

export interface LinearGradient<T extends tf.Tensor> {
  x: T;
  kernel: T;
  bias?: tf.Tensor | undefined;
  /** Whether x depends on parameters (its gradient is needed). */
  inputGradient: boolean;
  /** x and kernel to y, bias included when there is one. */
  forward(x: T, kernel: T, bias: tf.Tensor | undefined): T;
  /** dL/dx from dy and the saved x and kernel. */
  inputGrad(dy: T, x: T, kernel: T): tf.Tensor;
  /** dL/dkernel from dy and the saved x and kernel. */
  kernelGrad(dy: T, x: T, kernel: T): tf.Tensor;
  /** The axes of dy summed into the bias's gradient. */
  biasAxes: number[];
}

type Save = (tensors: tf.Tensor[]) => void;

export function linearWithGradient<T extends tf.Tensor>(op: LinearGradient<T>): T {
  const { x, kernel, bias, inputGradient } = op;
  const fn = tf.customGrad(((...args: (tf.Tensor | Save)[]) => {
    const save = args.pop() as Save;
    const tensors = args as tf.Tensor[];
    const a = (inputGradient ? tensors.shift() : x) as T;
    const w = tensors.shift() as T;
    const b = tensors.shift();
    save([a, w]);
    return {
      value: op.forward(a, w, b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [input, filter] = saved as [T, T];
        const out: tf.Tensor[] = [];
        if (inputGradient) out.push(op.inputGrad(dy as T, input, filter));
        out.push(op.kernelGrad(dy as T, input, filter));
        if (b) out.push(tf.reshape(tf.sum(dy, op.biasAxes), b.shape));
        return out;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const inputs = [...(inputGradient ? [x] : []), kernel, ...(bias ? [bias] : [])];
  return (fn as unknown as (...t: tf.Tensor[]) => T)(...inputs);
}
