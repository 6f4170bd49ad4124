import * as tf from '@tensorflow/tfjs-core';
import { originalKernel } from '../originals.js';
import type { KernelArgs } from '../kernel-args.js';

type KernelFuncArgs = Parameters<tf.KernelFunc>[0];

/**
 * _FusedMatMul for wasm, wrapping tfjs-backend-wasm 4.22's, which adds the bias at the wrong
 * positions whenever either operand is transposed or there is a batch of matrices: for
 * `tf.fused.matMul({a: [[1,2,3],[4,5,6]], b: W [4,3], transposeB: true, bias: [10,20,30,40]})`
 * it gives [[14,24,39,46],[50,53,61,55]] instead of [[14,24,39,46],[20,33,51,55]] (the second row
 * gets bias[3] everywhere), wrong by up to 18 (36 with relu) on a tied MNIST dense layer. Every
 * inference of a tied dense layer goes through this path. Without a bias, and with a bias on a
 * plain 2-D product, the original is right (test/backends), so only the wrong case is unfused:
 * the product without bias, then the bias added and the activation applied by their own kernels.
 */
function fusedMatMul(args: KernelArgs): tf.TensorInfo {
  const original = originalKernel(tf._FusedMatMul, 'wasm').kernelFunc;
  const { a, b, bias, preluActivationWeights } = args.inputs as unknown as tf._FusedMatMulInputs;
  const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
  const batched = [...a.shape.slice(0, -2), ...b.shape.slice(0, -2)].some((d) => d !== 1);
  if (bias == null || !(attrs.transposeA || attrs.transposeB || batched)) return original(args as KernelFuncArgs) as tf.TensorInfo;

  const backend = args.backend as tf.KernelBackend;
  const run = (kernelName: string, inputs: tf.NamedTensorInfoMap, kernelAttrs: tf.NamedAttrMap = {}) =>
    tf.getKernel(kernelName, 'wasm')!.kernelFunc({ inputs, backend, attrs: kernelAttrs }) as tf.TensorInfo;
  const product = original({
    inputs: { a, b },
    backend,
    attrs: { ...attrs, activation: 'linear' } as unknown as tf.NamedAttrMap,
  } as KernelFuncArgs) as tf.TensorInfo;
  const biased = run(tf.Add, { a: product, b: bias });
  backend.disposeData(product.dataId);
  const activated = activate(run, biased, attrs, preluActivationWeights);
  if (activated !== biased) backend.disposeData(biased.dataId);
  return activated;
}

type Run = (kernelName: string, inputs: tf.NamedTensorInfoMap, attrs?: tf.NamedAttrMap) => tf.TensorInfo;

/** The fused activation as its own kernel (the same set tfjs fuses: linear, relu, relu6, elu, sigmoid, leakyrelu, prelu). */
function activate(run: Run, x: tf.TensorInfo, attrs: tf._FusedMatMulAttrs, preluWeights: tf.TensorInfo | undefined): tf.TensorInfo {
  switch (attrs.activation) {
    case 'linear':
      return x;
    case 'relu':
      return run(tf.Relu, { x });
    case 'relu6':
      return run(tf.Relu6, { x });
    case 'elu':
      return run(tf.Elu, { x });
    case 'sigmoid':
      return run(tf.Sigmoid, { x });
    case 'leakyrelu':
      return run(tf.LeakyRelu, { x }, { alpha: attrs.leakyreluAlpha ?? 0.2 });
    case 'prelu':
      return run(tf.Prelu, { x, alpha: preluWeights! });
    default:
      throw new Error(`_FusedMatMul: unknown activation '${String(attrs.activation)}'`);
  }
}

export const fusedMatMulWasm: tf.KernelConfig = {
  kernelName: tf._FusedMatMul,
  backendName: 'wasm',
  kernelFunc: fusedMatMul as unknown as tf.KernelFunc,
};
