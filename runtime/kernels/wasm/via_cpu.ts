import * as tf from '@tensorflow/tfjs-core';
import { runOnCpu } from '../cpu_fallback.js';
import { originalKernel } from '../originals.js';
import type { KernelArgs } from '../kernel-args.js';

/**
 * A wasm kernel that is right except for some calls (some dtypes, long reductions): those run
 * tfjs-backend-cpu's kernel on copies, the rest the original wasm kernel.
 */
function viaCpuWhen(kernelName: string, wrong: (args: KernelArgs) => boolean): tf.KernelConfig {
  const onCpu = runOnCpu(kernelName);
  const kernelFunc = (args: KernelArgs) =>
    wrong(args) ? onCpu(args as Parameters<tf.KernelFunc>[0]) : originalKernel(kernelName, 'wasm').kernelFunc(args as Parameters<tf.KernelFunc>[0]);
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

const inputDtype = (args: KernelArgs, name = 'x') => (args.inputs[name] as tf.TensorInfo).dtype;

/** How many values each output of a Sum or Mean adds up (all of them when no axis is given). */
function reducedCount(args: KernelArgs): number {
  const { shape } = args.inputs['x'] as tf.TensorInfo;
  const axis = (args.attrs as unknown as tf.SumAttrs).axis as number | number[] | null | undefined;
  const axes = axis == null ? shape.map((_, i) => i) : Array.isArray(axis) ? axis : [axis];
  return axes.reduce((n, a) => n * shape[a < 0 ? a + shape.length : a]!, 1);
}

/** Reductions this long drift in a float32 accumulator (a sum of n similar values by up to ~n·2⁻²⁴). */
const LONG_REDUCTION = 1024;

/** A float32 Sum or Mean of many values to one number: how every loss and metric is reduced. */
const longTotal = (args: KernelArgs) => {
  const x = args.inputs['x'] as tf.TensorInfo;
  const count = reducedCount(args);
  return x.dtype === 'float32' && count >= LONG_REDUCTION && count === x.shape.reduce((a, b) => a * b, 1);
};

/**
 * tfjs-backend-wasm 4.22 kernels found wrong by test/backends/survey.test.ts, each with what it gives:
 * - Cast to bool truncates to a byte instead of testing ≠ 0: cast([0.5, -2, 3], 'bool') is
 *   [0, 254, 3] (so sum() of it is 257, and 0.5 reads as false), not [1, 1, 1].
 * - ClipByValue on int32 reads the ints as floats: clip(int32 -1, -1, 2) is -1082130432.
 * - Reciprocal on int32 likewise: reciprocal(int32 0) is 2139095040 (the bits of +Infinity).
 * - Sum and Mean add float32 values into one float32 accumulator, so long reductions drift: the
 *   mean of the 100,352 bce terms of a 128-image batch at initialisation (values near ln 2) comes
 *   out 0.637999 where it is 0.638119 (1.9e-4 low; cpu and PyTorch agree on the latter), and every
 *   loss and metric the runtime reports is such a mean (found by bench/lockstep.ts). Totals (a
 *   reduction to one number) of 1,024 or more values run on cpu, which adds in double precision;
 *   the rest stay on wasm: short ones are exact enough, and moving a conv layer's bias gradient
 *   (a sum over batch × height × width per channel) to cpu made conv training 2.5× slower.
 * (Log1p, wrong on int32 and inaccurate on float32, has a kernel of its own: log1p.ts.)
 */
export const VIA_CPU_WASM: tf.KernelConfig[] = [
  viaCpuWhen(tf.Cast, (args) => (args.attrs as unknown as tf.CastAttrs).dtype === 'bool' && inputDtype(args) !== 'bool'),
  viaCpuWhen(tf.ClipByValue, (args) => inputDtype(args) === 'int32'),
  viaCpuWhen(tf.Reciprocal, (args) => inputDtype(args) === 'int32'),
  viaCpuWhen(tf.Sum, longTotal),
  viaCpuWhen(tf.Mean, longTotal),
];
