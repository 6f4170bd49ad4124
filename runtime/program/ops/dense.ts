// Dense layers. In inference one fused matMul (bias + activation where tfjs fuses it); in training
// x·K + bias with plain-matMul gradients (matmul.ts: tfjs's own are ~10× slower on wasm, and under a
// gradient tape tfjs unfuses every activation but linear anyway), then the activation. A tied kernel
// arrives as the stored tensor of the layer it mirrors and is never copied.
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec } from '../../../ir/types.js';
import type { Lowering, OpContext } from '../context.js';
import { applyActivation, fusedActivation, leakyAlpha } from './activation.js';
import { denseLinear } from './matmul.js';

export const dense: Lowering<'dense'> = ([input], attrs, ctx) => {
  const x = input!.rank === 2 ? (input as tf.Tensor2D) : tf.reshape(input!, [input!.shape[0]!, -1]) as tf.Tensor2D;
  const kernel = ctx.param('kernel');
  const bias = attrs.useBias ? ctx.param('bias').value : undefined;
  if (ctx.training) {
    const linear = () =>
      denseLinear({ x, kernel: kernel.value as tf.Tensor2D, transposed: kernel.transposed, bias, inputGradient: ctx.dependsOnParameters(0) });
    return withActivation(linear, attrs.activation, ctx, () => applyActivation(linear(), attrs.activation));
  }
  const linear = (): tf.Tensor =>
    tf.fused.matMul({ a: x, b: kernel.value as tf.Tensor2D, transposeB: kernel.transposed, bias, activation: 'linear' });
  return withActivation(linear, attrs.activation, ctx, (act) =>
    tf.fused.matMul({
      a: x,
      b: kernel.value as tf.Tensor2D,
      transposeB: kernel.transposed,
      bias,
      activation: act,
      leakyreluAlpha: leakyAlpha(attrs.activation),
    }),
  );
};

/**
 * Runs the fused form when tfjs fuses the activation, else linear + activation. Sigmoid and softmax
 * always run separately and publish their input as the named output `logits` (ir/ops.ts), which
 * a loss term's `fromLogits` reads.
 */
export function withActivation(
  linear: () => tf.Tensor,
  spec: ActivationSpec,
  ctx: OpContext,
  fused: (act: NonNullable<ReturnType<typeof fusedActivation>>) => tf.Tensor,
): tf.Tensor {
  if (spec.fn === 'sigmoid' || spec.fn === 'softmax') {
    const logits = linear();
    ctx.side('logits', logits);
    return applyActivation(logits, spec);
  }
  const act = fusedActivation(spec);
  if (act !== undefined) return fused(act);
  return applyActivation(linear(), spec);
}
