// Sequence ops besides convolutions and recurrent layers: repeat_vector, the per-step dense, and
// pooling over the steps. Pooling runs the image ops (pool.ts) on [batch, steps, 1, channels] with
// windows [k, 1], so maxpool1d's switches and unpool1d's use of them are the image ones exactly.
import * as tf from '@tensorflow/tfjs-core';
import type { IRNode } from '../../../ir/types.js';
import type { Lowering, OpContext } from '../context.js';
import { applyActivation, leakyAlpha } from './activation.js';
import { withActivation } from './dense.js';
import { denseLinear } from './matmul.js';
import { avgpool, maxpool, unpool, upsample } from './pool.js';

export const repeatVector: Lowering<'repeat_vector'> = ([input], attrs) => tf.tile(tf.expandDims(input!, 1), [1, attrs.steps, 1]);

export const densePerStep: Lowering<'dense_per_step'> = ([input], attrs, ctx) => {
  const [batch, steps, channels] = input!.shape as [number, number, number];
  const x = tf.reshape(input!, [batch * steps, channels]) as tf.Tensor2D;
  const kernel = ctx.param('kernel');
  const bias = attrs.useBias ? ctx.param('bias').value : undefined;
  const back = (y: tf.Tensor) => tf.reshape(y, [batch, steps, attrs.units]);
  const linear = (): tf.Tensor =>
    back(
      ctx.training
        ? denseLinear({ x, kernel: kernel.value as tf.Tensor2D, transposed: kernel.transposed, bias, inputGradient: ctx.dependsOnParameters(0) })
        : tf.fused.matMul({ a: x, b: kernel.value as tf.Tensor2D, transposeB: kernel.transposed, bias }),
    );
  if (ctx.training) return withActivation(linear, attrs.activation, ctx, () => applyActivation(linear(), attrs.activation));
  return withActivation(linear, attrs.activation, ctx, (act) =>
    back(tf.fused.matMul({ a: x, b: kernel.value as tf.Tensor2D, transposeB: kernel.transposed, bias, activation: act, leakyreluAlpha: leakyAlpha(attrs.activation) })),
  );
};

const asImage = (x: tf.Tensor): tf.Tensor4D => tf.reshape(x, [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!]) as tf.Tensor4D;
const asSequence = (x: tf.Tensor): tf.Tensor3D => tf.reshape(x, [x.shape[0]!, x.shape[1]!, x.shape[3]!]) as tf.Tensor3D;

/** The op context with this node's shape as an image [t, 1, c] (what the image lowerings read); a
 *  named output (maxpool1d's switches) goes out as a sequence, the shape ir/ops.ts declares. */
function imageContext(ctx: OpContext): OpContext {
  const [, steps, channels] = ctx.node.shape;
  return { ...ctx, node: { ...ctx.node, shape: [null, steps!, 1, channels!] } as IRNode, side: (name, value) => ctx.side(name, asSequence(value)) };
}

export const maxpool1d: Lowering<'maxpool1d'> = ([x], a, ctx) =>
  asSequence(maxpool([asImage(x!)], { pool: [a.pool, 1], stride: [a.stride, 1], padding: a.padding }, imageContext(ctx)));

export const avgpool1d: Lowering<'avgpool1d'> = ([x], a, ctx) =>
  asSequence(avgpool([asImage(x!)], { pool: [a.pool, 1], stride: [a.stride, 1], padding: a.padding }, imageContext(ctx)));

export const unpool1d: Lowering<'unpool1d'> = ([x, switches], a, ctx) =>
  asSequence(unpool([asImage(x!), ...(switches ? [asImage(switches)] : [])], { pool: [a.pool, 1], mode: a.mode }, imageContext(ctx)));

export const upsample1d: Lowering<'upsample1d'> = ([x], a, ctx) => asSequence(upsample([asImage(x!)], { factor: [a.factor, 1] }, imageContext(ctx)));
