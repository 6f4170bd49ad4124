import * as tf from '@tensorflow/tfjs-core';
import { heapView, outputFrom, type WasmBackend } from './heap.js';
import { maxPositions } from './max_positions.js';
import type { KernelArgs } from '../kernel-args.js';

/**
 * MaxPoolWithArgmax for wasm, replacing tfjs-backend-wasm 4.22's, which returns index 0 (and so
 * unpools to the wrong place) whenever every value in a window is negative. These positions are
 * the "switches" that `unpool(mode = switches)` scatters back through.
 */
function maxPoolWithArgmax({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as WasmBackend;
  const { x } = inputs as { x: tf.TensorInfo };
  const { filterSize, strides, pad, includeBatchInIndex } = attrs as unknown as tf.MaxPoolWithArgmaxAttrs;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, [1, 1], pad);
  const values = heapView(wasm, x);
  const positions = maxPositions(values, info);
  const pooled = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i++) pooled[i] = positions[i]! >= 0 ? values[positions[i]!]! : 0;
  if (!includeBatchInIndex) {
    const perImage = info.inHeight * info.inWidth * info.inChannels;
    for (let i = 0; i < positions.length; i++) if (positions[i]! >= 0) positions[i] = positions[i]! % perImage;
  }
  return [
    outputFrom(wasm, info.outShape, x.dtype, x.dtype === 'int32' ? Int32Array.from(pooled) : pooled),
    outputFrom(wasm, info.outShape, 'int32', positions),
  ];
}

export const maxPoolWithArgmaxWasm: tf.KernelConfig = {
  kernelName: tf.MaxPoolWithArgmax,
  backendName: 'wasm',
  kernelFunc: maxPoolWithArgmax as unknown as tf.KernelFunc,
};
