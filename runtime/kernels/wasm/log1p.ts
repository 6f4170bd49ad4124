import * as tf from '@tensorflow/tfjs-core';
import { runOnCpu } from '../cpu_fallback.js';
import type { KernelArgs } from '../kernel-args.js';
import { heapView, type WasmBackend } from './heap.js';

/**
 * Log1p for wasm, replacing tfjs-backend-wasm 4.22's, which is wrong two ways:
 * - on float32 it computes log(1 + x) in float32, so 1 + x rounds before the log: log1p(7.0e-4)
 *   is 7.01420e-4 instead of 7.01376e-4 (6.3e-5 relative), and log1p(1e-8) is 0. bce from logits
 *   took log1p(exp(−|l|)) of every pixel (found while tracing a lockstep difference with PyTorch,
 *   bench/lockstep.ts), so a confident pixel's term was wrong by up to all of it; bce now uses
 *   softplus, but any log1p must be right. Here each value is Math.log1p of it, in double precision
 *   (what tfjs-backend-cpu computes), written in place: no copy to another backend.
 * - on int32 it logs "Unsupported dtype" and returns the output buffer unwritten (found by
 *   test/backends/survey.test.ts): those calls run the cpu kernel on copies.
 */
const onCpu = runOnCpu(tf.Log1p);

function log1p(args: KernelArgs): tf.TensorInfo {
  const wasm = args.backend as WasmBackend;
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== 'float32') return onCpu(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const out = wasm.makeOutput(x.shape, 'float32');
  const input = heapView(wasm, x);
  const values = heapView(wasm, out);
  for (let i = 0; i < values.length; i++) values[i] = Math.log1p(input[i]!);
  return out;
}

export const log1pWasm: tf.KernelConfig = {
  kernelName: tf.Log1p,
  backendName: 'wasm',
  kernelFunc: log1p as unknown as tf.KernelFunc,
};
