import * as tf from '@tensorflow/tfjs-core';

/**
 * The same values as `x`, cut off from the gradient tape (TF's stop_gradient, which tfjs lacks).
 *
 * Needed wherever integer positions are computed from differentiable values and then used as
 * indices: the VQ nearest code (argMin → gather) and max-pooling switches (maxPoolWithArgmax →
 * unpool). Without it tfjs fails the whole backward pass ("The gradient of input indices must
 * have 'float32' dtype"), and MaxPoolWithArgmax has no gradient at all. Also the straight-through
 * estimator: z + detach(q − z). Zero-copy: a new tensor on the same data, made without running a
 * kernel, so nothing is recorded; disposing it releases only its own reference.
 */
export function detach<T extends tf.Tensor>(x: T): T {
  const engine = tf.engine();
  const backend = engine.state.tensorInfo.get(x.dataId)?.backend ?? engine.backend;
  backend.incRef(x.dataId);
  return engine.makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape, dtype: x.dtype }, backend) as T;
}
