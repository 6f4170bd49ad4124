import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-args.js';

/**
 * ResizeNearestNeighborGrad for any backend, written as the exact adjoint of the forward op: each
 * output pixel's gradient is added to the source pixel the forward pass copied it from (the same
 * index arithmetic as tfjs-backend-cpu's ResizeNearestNeighbor). Used by `upsample`.
 *
 * Registered for cpu and wasm, replacing both 4.22 kernels: tfjs-backend-cpu's reads dy at the
 * images' batch stride instead of dy's, so every image after the first in a batch gets a wrong
 * gradient; tfjs-backend-wasm's is not the adjoint of its forward op when halfPixelCenters is set.
 */
function resizeNearestNeighborGrad({ inputs, backend: target, attrs }: KernelArgs): tf.TensorInfo {
  const backend = target as tf.KernelBackend;
  const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const { alignCorners, halfPixelCenters } = attrs as unknown as tf.ResizeNearestNeighborGradAttrs;
  const [batch, oldHeight, oldWidth, channels] = images.shape as [number, number, number, number];
  const [, newHeight, newWidth] = dy.shape as [number, number, number, number];
  const rows = sourceIndices(oldHeight, newHeight, alignCorners, halfPixelCenters);
  const cols = sourceIndices(oldWidth, newWidth, alignCorners, halfPixelCenters);

  const grads = backend.readSync(dy.dataId) as Float32Array;
  const sums = new Float32Array(tf.util.sizeFromShape(images.shape));
  let at = 0;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < newHeight; r++) {
      const rowBase = (n * oldHeight + rows[r]!) * oldWidth;
      for (let c = 0; c < newWidth; c++) {
        const base = (rowBase + cols[c]!) * channels;
        for (let d = 0; d < channels; d++) sums[base + d] += grads[at++]!;
      }
    }
  }
  return { dataId: backend.write(sums, [...images.shape], 'float32'), shape: [...images.shape], dtype: 'float32' };
}

/** For each output coordinate, the input coordinate nearest-neighbour resizing reads. */
function sourceIndices(oldSize: number, newSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const effectiveIn = alignCorners && newSize > 1 ? oldSize - 1 : oldSize;
  const effectiveOut = alignCorners && newSize > 1 ? newSize - 1 : newSize;
  const ratio = effectiveIn / effectiveOut;
  return Int32Array.from({ length: newSize }, (_, i) => {
    const fraction = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
    const nearest = Math.min(oldSize - 1, alignCorners ? Math.round(fraction) : Math.floor(fraction));
    return halfPixelCenters ? Math.max(0, nearest) : nearest;
  });
}

export function resizeNearestNeighborGradFor(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.ResizeNearestNeighborGrad,
    backendName,
    kernelFunc: resizeNearestNeighborGrad as unknown as tf.KernelFunc,
  };
}
