// Max pooling that records its switches, unpooling by those switches or by fill, and nearest
// upsampling. Switches are computed with core ops only (reshape, transpose, argMax, oneHot), so they
// work on every backend: each window becomes a row, argMax takes its first maximum, and the one-hot
// row is the switch. This needs stride = pool (non-overlapping windows), which is what unpooling
// inverts; 'same' padding is split like tfjs does (the extra cell at the bottom/right).
import * as tf from '@tensorflow/tfjs-core';
import type { Padding } from '../../../compiler/ir/types.js';
import type { OpFn } from '../context.js';

export const maxpool: OpFn<{ pool: [number, number]; stride: [number, number]; padding: Padding }> = (
  [input],
  attrs,
  ctx,
) => {
  const x = input as tf.Tensor4D;
  const pooled = tf.maxPool(x, attrs.pool, attrs.stride, attrs.padding);
  if (attrs.stride[0] === attrs.pool[0] && attrs.stride[1] === attrs.pool[1]) {
    ctx.side('switches', switchesOf(x, attrs.pool, pooled.shape));
  }
  return pooled;
};

/** One-hot masks [B, h, w, C, ph*pw]: 1 at the first maximum of each window. */
export function switchesOf(x: tf.Tensor4D, pool: [number, number], pooledShape: number[]): tf.Tensor {
  const [batch, height, width, channels] = x.shape;
  const [, h, w] = pooledShape as [number, number, number, number];
  const [ph, pw] = pool;
  const windows = tf.reshape(
    fitWindows(x, [height, width], [h * ph, w * pw], -3.4e38, 'pad'),
    [batch, h, ph, w, pw, channels],
  );
  const rows = tf.reshape(tf.transpose(windows, [0, 1, 3, 5, 2, 4]), [batch, h, w, channels, ph * pw]);
  return tf.oneHot(tf.argMax(rows, -1), ph * pw, 1, 0, 'float32');
}

export const unpool: OpFn<{ pool: [number, number]; mode: 'switches' | 'fill'; switchesFrom?: string }> = (
  [input],
  attrs,
  ctx,
) => {
  const v = input as tf.Tensor4D;
  const [batch, h, w, channels] = v.shape;
  const [ph, pw] = attrs.pool;
  const [, height, width] = ctx.node.shape as [null, number, number, number];
  let windows: tf.Tensor;
  if (attrs.mode === 'switches') {
    if (!attrs.switchesFrom) throw new Error(`unpool '${ctx.node.id}' has mode switches but no switchesFrom`);
    const switches = ctx.outputs.get(`${attrs.switchesFrom}:switches`);
    if (!switches) {
      throw new Error(
        `unpool '${ctx.node.id}': maxpool '${attrs.switchesFrom}' recorded no switches (it needs stride = pool)`,
      );
    }
    windows = tf.reshape(tf.mul(tf.expandDims(v, -1), switches), [batch, h, w, channels, ph, pw]);
    windows = tf.transpose(windows, [0, 1, 4, 2, 5, 3]);
  } else {
    windows = tf.tile(tf.reshape(v, [batch, h, 1, w, 1, channels]), [1, 1, ph, 1, pw, 1]);
  }
  const full = tf.reshape(windows, [batch, h * ph, w * pw, channels]) as tf.Tensor4D;
  return fitWindows(full, [h * ph, w * pw], [height, width], 0, 'crop');
};

export const upsample: OpFn<{ factor: [number, number] }> = ([input], attrs) => {
  const x = input as tf.Tensor4D;
  const [batch, h, w, channels] = x.shape;
  const [fh, fw] = attrs.factor;
  // Nearest neighbour with an integer factor is a repeat; tile's gradient is core ops everywhere.
  const tiled = tf.tile(tf.reshape(x, [batch, h, 1, w, 1, channels]), [1, 1, fh, 1, fw, 1]);
  return tf.reshape(tiled, [batch, h * fh, w * fw, channels]);
};

/**
 * Crops or pads a [B, H, W, C] tensor from `from` to `to` spatial size. 'same' pooling pads split as
 * tfjs does (floor of half before, the rest after) and 'valid' pooling drops the cells at the end, so
 * the maxpool side splits when padding and the unpool side (its inverse) splits when cropping.
 */
function fitWindows(
  x: tf.Tensor4D,
  from: [number, number],
  to: [number, number],
  fill: number,
  split: 'pad' | 'crop',
): tf.Tensor4D {
  let y = x;
  const pads: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
  const begin = [0, 0, 0, 0];
  const size = [-1, -1, -1, -1];
  let crop = false;
  let pad = false;
  for (const axis of [0, 1] as const) {
    const diff = to[axis] - from[axis];
    if (diff > 0) {
      const before = split === 'pad' ? Math.floor(diff / 2) : 0;
      pads[axis + 1] = [before, diff - before];
      pad = true;
    } else if (diff < 0) {
      begin[axis + 1] = split === 'crop' ? Math.floor(-diff / 2) : 0;
      size[axis + 1] = to[axis];
      crop = true;
    }
  }
  if (crop) y = tf.slice(y, begin, size);
  if (pad) y = tf.pad(y, pads, fill);
  return y;
}
