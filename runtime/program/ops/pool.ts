// Max pooling that records its switches, unpooling by those switches or by fill, and nearest
// upsampling, all with rank ≤ 4 ops whose gradients tfjs has on every backend (tile's gradient stops
// at rank 5, so nothing here tiles).
// - upsample and unpool(fill) are tf.image.resizeNearestNeighbor by an integer factor (what
//   tfjs-layers' UpSampling2D runs), with half-pixel centres, where each output cell's source
//   index floor((i + ½) / f) is exact whatever the factor.
// - Switches are recorded only for a maxpool whose `switches` output an unpool reads (ctx.wants): the
//   positions of each window's first maximum from maxPoolWithArgmax, turned into a 0/1 mask over the
//   maxpool's input by a scatter of ones. Positions are constants on the tape (detached), so the
//   unpool's gradient is that of upsample × mask. This needs stride = pool (non-overlapping
//   windows), which is what unpooling inverts; 'same' padding is split like tfjs does (the extra
//   cell at the bottom/right).
import * as tf from '@tensorflow/tfjs-core';
import type { Padding } from '../../../ir/types.js';
import { detach } from '../../kernels/detach.js';
import type { Lowering } from '../context.js';

export const maxpool: Lowering<'maxpool'> = (
  [input],
  attrs,
  ctx,
) => {
  const x = input as tf.Tensor4D;
  const pooled = tf.maxPool(x, attrs.pool, attrs.stride, attrs.padding);
  const disjoint = attrs.stride[0] === attrs.pool[0] && attrs.stride[1] === attrs.pool[1];
  if (disjoint && ctx.wants('switches')) ctx.side('switches', switchesOf(x, attrs.pool, attrs.padding));
  return pooled;
};

/** A 0/1 mask shaped like `x`: 1 at the first maximum (row-major) of each pooling window. */
export function switchesOf(x: tf.Tensor4D, pool: [number, number], padding: Padding): tf.Tensor4D {
  const { indexes } = tf.maxPoolWithArgmax(detach(x), pool, pool, padding, true);
  const positions = tf.reshape(indexes, [-1, 1]) as tf.Tensor2D;
  return tf.reshape(tf.scatterND(positions, tf.ones([positions.shape[0]]), [x.size]), x.shape) as tf.Tensor4D;
}

export const unpool: Lowering<'unpool'> = (
  [input, recorded],
  attrs,
  ctx,
) => {
  const v = input as tf.Tensor4D;
  const [, h, w] = v.shape;
  const [ph, pw] = attrs.pool;
  const [, height, width] = ctx.node.shape as [null, number, number, number];
  const full = repeat(v, [ph, pw]);
  if (attrs.mode === 'fill') return fitWindows(full, [h * ph, w * pw], [height, width]);
  if (!recorded) throw new Error(`unpool '${ctx.node.id}' has mode switches but reads no maxpool's switches`);
  const switches = recorded as tf.Tensor4D;
  // The windows cover the maxpool's (padded) input: crop them to it, keep each max, fit to our shape.
  const [, seenHeight, seenWidth] = switches.shape;
  const windows = fitWindows(full, [h * ph, w * pw], [seenHeight, seenWidth]);
  return fitWindows(tf.mul(windows, switches) as tf.Tensor4D, [seenHeight, seenWidth], [height, width]);
};

export const avgpool: Lowering<'avgpool'> = ([input], attrs) => tf.avgPool(input as tf.Tensor4D, attrs.pool, attrs.stride, attrs.padding);

export const upsample: Lowering<'upsample'> = ([input], attrs) => repeat(input as tf.Tensor4D, attrs.factor);

/** Each cell repeated factor × factor times (nearest-neighbour upsampling by an integer factor). */
function repeat(x: tf.Tensor4D, [fh, fw]: [number, number]): tf.Tensor4D {
  if (fh === 1 && fw === 1) return x;
  const [, h, w] = x.shape;
  return tf.image.resizeNearestNeighbor(x, [h * fh, w * fw], false, true);
}

/**
 * Crops or zero-pads a [B, H, W, C] tensor from `from` to `to` spatial size, inverting a maxpool:
 * 'same' pooling pads split as tfjs does (floor of half before, the rest after), so cropping drops
 * that split; 'valid' pooling drops the cells at the end, so growing pads at the end.
 */
function fitWindows(x: tf.Tensor4D, from: [number, number], to: [number, number]): tf.Tensor4D {
  let y = x;
  const pads: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
  const begin = [0, 0, 0, 0];
  const size = [-1, -1, -1, -1];
  let crop = false;
  let pad = false;
  for (const axis of [0, 1] as const) {
    const diff = to[axis] - from[axis];
    if (diff > 0) {
      pads[axis + 1] = [0, diff];
      pad = true;
    } else if (diff < 0) {
      begin[axis + 1] = Math.floor(-diff / 2);
      size[axis + 1] = to[axis];
      crop = true;
    }
  }
  if (crop) y = tf.slice(y, begin, size);
  if (pad) y = tf.pad(y, pads);
  return y;
}
