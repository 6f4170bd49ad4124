import * as tf from '@tensorflow/tfjs-core';
import { heapView, type WasmBackend } from './heap.js';
import type { KernelArgs } from '../kernel-args.js';

/**
 * OneHot for wasm, replacing tfjs-backend-wasm 4.22's, which writes on/off values as int32 bit
 * patterns whatever the dtype: `tf.oneHot(indices, n, 1, 0, 'float32')` gives 1.4e-45 (the float
 * whose bits are the integer 1) where it should give 1, and 2.8e-45 for an on-value of 2.5. The
 * runtime one-hots in float32 for the VQ codebook lookup, `onehot(k)` codes and cross_entropy's
 * labels, so on wasm VQ quantised every vector to 0 and cross_entropy was ~0. Indices outside
 * [0, depth) give a row of off-values, as on cpu.
 */
function oneHot({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const wasm = backend as WasmBackend;
  const { indices } = inputs as { indices: tf.TensorInfo };
  const { dtype, depth, onValue, offValue } = attrs as unknown as tf.OneHotAttrs;
  const out = wasm.makeOutput([...indices.shape, depth], dtype);
  const ids = heapView(wasm, indices);
  const values = heapView(wasm, out);
  values.fill(offValue);
  for (let row = 0; row < ids.length; row++) {
    const id = ids[row]!;
    if (id >= 0 && id < depth) values[row * depth + id] = onValue;
  }
  return out;
}

export const oneHotWasm: tf.KernelConfig = {
  kernelName: tf.OneHot,
  backendName: 'wasm',
  kernelFunc: oneHot as unknown as tf.KernelFunc,
};
