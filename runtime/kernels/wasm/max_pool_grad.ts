import * as tf from '@tensorflow/tfjs-core';
import { heapView, zerosOutput, type WasmBackend } from './heap.js';
import { maxPositions } from './max_positions.js';
import type { KernelArgs } from '../kernel-args.js';

/**
 * MaxPoolGrad for wasm, replacing tfjs-backend-wasm 4.22's, which drops the gradient of every
 * window whose values are all negative (it starts its running max at 0). Each output's gradient
 * goes to the position of its window's maximum.
 */
function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const wasm = backend as WasmBackend;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = zerosOutput(wasm, [...input.shape], input.dtype);
  const positions = maxPositions(heapView(wasm, input), info);
  const grads = heapView(wasm, dy);
  const sums = heapView(wasm, dx);
  for (let i = 0; i < positions.length; i++) if (positions[i]! >= 0) sums[positions[i]!] += grads[i]!;
  return dx;
}

export const maxPoolGradWasm: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
