import * as tf from '@tensorflow/tfjs-core';
import { runOnCpu } from '../cpu_fallback.js';
import { originalKernel } from '../originals.js';
import type { KernelArgs } from '../kernel-args.js';

/**
 * A wasm kernel that is right except for some dtypes: those calls run tfjs-backend-cpu's kernel
 * on copies (rare, small tensors: masks and integer ids), the rest the original wasm kernel.
 */
function viaCpuWhen(kernelName: string, wrong: (args: KernelArgs) => boolean): tf.KernelConfig {
  const onCpu = runOnCpu(kernelName);
  const kernelFunc = (args: KernelArgs) =>
    wrong(args) ? onCpu(args as Parameters<tf.KernelFunc>[0]) : originalKernel(kernelName, 'wasm').kernelFunc(args as Parameters<tf.KernelFunc>[0]);
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

const inputDtype = (args: KernelArgs, name = 'x') => (args.inputs[name] as tf.TensorInfo).dtype;

/**
 * tfjs-backend-wasm 4.22 kernels found wrong by test/backends/survey.test.ts, each with what it gives:
 * - Cast to bool truncates to a byte instead of testing ≠ 0: cast([0.5, -2, 3], 'bool') is
 *   [0, 254, 3] (so sum() of it is 257, and 0.5 reads as false), not [1, 1, 1].
 * - ClipByValue on int32 reads the ints as floats: clip(int32 -1, -1, 2) is -1082130432.
 * - Reciprocal on int32 likewise: reciprocal(int32 0) is 2139095040 (the bits of +Infinity).
 * - Log1p on int32 logs "Unsupported dtype" and returns the output buffer unwritten.
 */
export const VIA_CPU_WASM: tf.KernelConfig[] = [
  viaCpuWhen(tf.Cast, (args) => (args.attrs as unknown as tf.CastAttrs).dtype === 'bool' && inputDtype(args) !== 'bool'),
  viaCpuWhen(tf.ClipByValue, (args) => inputDtype(args) === 'int32'),
  viaCpuWhen(tf.Reciprocal, (args) => inputDtype(args) === 'int32'),
  viaCpuWhen(tf.Log1p, (args) => inputDtype(args) === 'int32'),
];
