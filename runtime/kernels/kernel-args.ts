import type * as tf from '@tensorflow/tfjs-core';

/** What tfjs hands every kernel function (tf.KernelFunc's parameter, named once for our kernels). */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}
