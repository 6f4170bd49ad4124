import * as tf from '@tensorflow/tfjs-core';
import { detach } from '../../runtime/kernels/detach.js';
import type { InputSpec } from './seeded.js';

/**
 * The ops a model lowers to, each as a small function of seeded inputs. The conformance suite runs
 * every case forward and backward (gradient of sum(op(x) · w) for seeded w) on cpu and on wasm.
 * `grad: false` inputs (indices, masks) are not differentiated.
 */
export interface OpCase {
  name: string;
  inputs: (InputSpec & { grad?: boolean })[];
  run: (...xs: tf.Tensor[]) => tf.Tensor;
  /** Default 1e-4, relative to max(1, |value|). */
  tolerance?: number;
}

const t4 = (x: tf.Tensor) => x as tf.Tensor4D;
const t2 = (x: tf.Tensor) => x as tf.Tensor2D;

const geluErf = (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
const geluTanh = (x: tf.Tensor) =>
  tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));

/** Unpooling by switches: each pooled value goes back to the position its max came from. */
function unpoolBySwitches(x: tf.Tensor4D, k: number): tf.Tensor {
  const pooled = tf.maxPool(x, k, k, 'valid');
  const { indexes } = tf.maxPoolWithArgmax(x, k, k, 'valid', true);
  // Switches are positions, not values: they carry no gradient (MaxPoolWithArgmax has none).
  const switches = tf.reshape(detach(indexes), [-1]) as tf.Tensor1D;
  return tf.reshape(tf.unsortedSegmentSum(tf.reshape(pooled, [-1]), switches, x.size), x.shape);
}

/** Unpooling by fill: every cell of the k×k window receives the value (broadcast, then merge axes). */
function unpoolByFill(x: tf.Tensor4D, k: number): tf.Tensor {
  const [n, h, w, c] = x.shape;
  const spread = tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, k, 1, k, 1]));
  return tf.reshape(spread, [n, h * k, w * k, c]);
}

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
}

function batchNormByMoments(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, axes: number[]): tf.Tensor {
  const { mean, variance } = tf.moments(x, axes);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), gamma), beta);
}

/**
 * VQ: nearest codebook row by squared distance (argMin, detached), gather, and the straight-through
 * estimator z + detach(q − z); both the quantised output and q itself (for the codebook loss).
 */
function vqNearest(z: tf.Tensor, codebook: tf.Tensor): tf.Tensor {
  const distances = tf.sum(tf.squaredDifference(tf.expandDims(z, 1), tf.expandDims(codebook, 0)), 2);
  const q = tf.gather(codebook, detach(tf.argMin(distances, 1)));
  return tf.concat([tf.add(z, detach(tf.sub(q, z))), q], 1);
}

export const OP_CASES: OpCase[] = [
  // dense
  { name: 'matMul + bias', inputs: [{ shape: [4, 6] }, { shape: [6, 5] }, { shape: [5] }], run: (x, w, b) => tf.add(tf.matMul(x, w), b) },
  { name: 'matMul transposed (tied weights)', inputs: [{ shape: [4, 5] }, { shape: [6, 5] }], run: (x, w) => tf.matMul(x, w, false, true) },
  ...(['linear', 'relu', 'elu', 'sigmoid', 'leakyrelu'] as const).map((activation) => ({
    name: `fused matMul + bias + ${activation}`,
    inputs: [{ shape: [4, 6] }, { shape: [6, 5] }, { shape: [5] }],
    run: (a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor) =>
      tf.fused.matMul({ a: t2(a), b: t2(b), bias, activation, leakyreluAlpha: 0.2 }),
  })),
  ...(['linear', 'relu', 'sigmoid'] as const).map((activation) => ({
    name: `fused matMul transposeB + bias + ${activation} (tied inference)`,
    inputs: [{ shape: [4, 6] }, { shape: [5, 6] }, { shape: [5] }],
    run: (a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor) =>
      tf.fused.matMul({ a: t2(a), b: t2(b), transposeB: true, bias, activation }),
  })),
  {
    name: 'fused matMul transposeA + bias',
    inputs: [{ shape: [6, 4] }, { shape: [6, 5] }, { shape: [5] }],
    run: (a, b, bias) => tf.fused.matMul({ a: t2(a), b: t2(b), transposeA: true, bias }),
  },
  {
    name: 'fused matMul batched + bias + elu',
    inputs: [{ shape: [2, 4, 6] }, { shape: [2, 6, 5] }, { shape: [5] }],
    run: (a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor3D, b: b as tf.Tensor3D, bias, activation: 'elu' }),
  },
  // one-hot (VQ lookup, onehot codes, cross_entropy labels)
  {
    name: 'oneHot float32 × codebook',
    inputs: [{ shape: [7], kind: { ints: 5 }, grad: false }, { shape: [5, 3] }],
    run: (ids, codebook) => tf.matMul(tf.oneHot(ids, 5, 1, 0, 'float32'), codebook),
  },
  // convolutions
  { name: 'conv2d 3x3 stride 1 same', inputs: [{ shape: [2, 5, 5, 3] }, { shape: [3, 3, 3, 4] }], run: (x, f) => tf.conv2d(t4(x), t4(f), 1, 'same') },
  { name: 'conv2d 3x3 stride 2 same', inputs: [{ shape: [2, 6, 6, 3] }, { shape: [3, 3, 3, 4] }], run: (x, f) => tf.conv2d(t4(x), t4(f), 2, 'same') },
  { name: 'conv2d 3x3 stride 2 same (odd input)', inputs: [{ shape: [2, 7, 7, 2] }, { shape: [3, 3, 2, 3] }], run: (x, f) => tf.conv2d(t4(x), t4(f), 2, 'same') },
  { name: 'conv2d 3x3 stride 2 valid', inputs: [{ shape: [2, 7, 7, 3] }, { shape: [3, 3, 3, 4] }], run: (x, f) => tf.conv2d(t4(x), t4(f), 2, 'valid') },
  { name: 'conv2d 4x4 stride 2 same', inputs: [{ shape: [1, 8, 8, 2] }, { shape: [4, 4, 2, 3] }], run: (x, f) => tf.conv2d(t4(x), t4(f), 2, 'same') },
  {
    name: 'fused conv2d + bias + relu',
    inputs: [{ shape: [2, 6, 6, 3] }, { shape: [3, 3, 3, 4] }, { shape: [4] }],
    run: (x, f, b) => tf.fused.conv2d({ x: t4(x), filter: t4(f), bias: b, strides: 2, pad: 'same', activation: 'relu' }),
  },
  {
    name: 'conv2dTranspose stride 2 same',
    inputs: [{ shape: [2, 3, 3, 4] }, { shape: [3, 3, 2, 4] }],
    run: (x, f) => tf.conv2dTranspose(t4(x), t4(f), [2, 6, 6, 2], 2, 'same'),
  },
  {
    name: 'conv2dTranspose stride 2 valid',
    inputs: [{ shape: [2, 3, 3, 4] }, { shape: [3, 3, 2, 4] }],
    run: (x, f) => tf.conv2dTranspose(t4(x), t4(f), [2, 7, 7, 2], 2, 'valid'),
  },
  // pooling, switches, unpooling, upsampling
  { name: 'maxPool 2x2 stride 2', inputs: [{ shape: [2, 4, 4, 3] }], run: (x) => tf.maxPool(t4(x), 2, 2, 'valid') },
  { name: 'maxPool 3x3 stride 2 same', inputs: [{ shape: [2, 5, 5, 2] }], run: (x) => tf.maxPool(t4(x), 3, 2, 'same') },
  {
    name: 'maxPoolWithArgmax switches (forward)',
    inputs: [{ shape: [2, 4, 4, 3], grad: false }],
    run: (x) => tf.cast(tf.maxPoolWithArgmax(t4(x), 2, 2, 'valid', true).indexes, 'float32'),
  },
  { name: 'unpool by switches', inputs: [{ shape: [2, 4, 4, 3] }], run: (x) => unpoolBySwitches(t4(x), 2) },
  { name: 'unpool by fill', inputs: [{ shape: [2, 2, 3, 3] }], run: (x) => unpoolByFill(t4(x), 2) },
  { name: 'upsample (resizeNearestNeighbor)', inputs: [{ shape: [2, 3, 3, 2] }], run: (x) => tf.image.resizeNearestNeighbor(t4(x), [6, 6]) },
  { name: 'reshape', inputs: [{ shape: [2, 12] }], run: (x) => tf.reshape(x, [2, 2, 3, 2]) },
  // A conditional encoder/decoder (`encoder on x, y`): the label one-hot, concatenated after the input.
  {
    name: 'concat (last axis) with a one-hot label',
    inputs: [{ shape: [3, 4] }, { shape: [3], kind: { ints: 5 }, grad: false }],
    run: (x, y) => tf.concat([x, tf.cast(tf.oneHot(tf.cast(y, 'int32'), 5), 'float32')], -1),
  },
  // regularisation and normalisation
  { name: 'dropout (seeded)', inputs: [{ shape: [4, 8] }], run: (x) => tf.dropout(x, 0.3, undefined, 17) },
  { name: 'batchnorm (moments over batch)', inputs: [{ shape: [6, 4] }, { shape: [4] }, { shape: [4] }], run: (x, g, b) => batchNormByMoments(x, g, b, [0]) },
  {
    name: 'batchnorm (moments over N,H,W)',
    inputs: [{ shape: [2, 3, 3, 4] }, { shape: [4] }, { shape: [4] }],
    run: (x, g, b) => batchNormByMoments(x, g, b, [0, 1, 2]),
  },
  {
    name: 'tf.batchNorm (FusedBatchNorm)',
    inputs: [{ shape: [6, 4] }, { shape: [4] }, { shape: [4], kind: 'positive' }, { shape: [4] }, { shape: [4] }],
    run: (x, mean, variance, offset, scale) => tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
  },
  { name: 'layernorm', inputs: [{ shape: [3, 8] }, { shape: [8] }, { shape: [8] }], run: layerNorm },
  // activations
  { name: 'relu', inputs: [{ shape: [3, 7] }], run: (x) => tf.relu(x) },
  { name: 'tanh', inputs: [{ shape: [3, 7] }], run: (x) => tf.tanh(x) },
  { name: 'sigmoid', inputs: [{ shape: [3, 7] }], run: (x) => tf.sigmoid(x) },
  { name: 'leakyRelu', inputs: [{ shape: [3, 7] }], run: (x) => tf.leakyRelu(x, 0.2) },
  { name: 'elu', inputs: [{ shape: [3, 7] }], run: (x) => tf.elu(x) },
  { name: 'gelu (erf)', inputs: [{ shape: [3, 7] }], run: geluErf },
  { name: 'gelu (tanh approximation)', inputs: [{ shape: [3, 7] }], run: geluTanh },
  { name: 'softplus', inputs: [{ shape: [3, 7] }], run: (x) => tf.softplus(x) },
  { name: 'softmax', inputs: [{ shape: [3, 7] }], run: (x) => tf.softmax(x) },
  { name: 'logSoftmax', inputs: [{ shape: [3, 7] }], run: (x) => tf.logSoftmax(x) },
  // elementwise and reductions used by losses
  { name: 'log', inputs: [{ shape: [3, 5], kind: 'positive' }], run: (x) => tf.log(x) },
  { name: 'exp', inputs: [{ shape: [3, 5] }], run: (x) => tf.exp(x) },
  { name: 'sum (axis 1)', inputs: [{ shape: [3, 5] }], run: (x) => tf.sum(x, 1) },
  { name: 'mean', inputs: [{ shape: [3, 5] }], run: (x) => tf.mean(x, 0) },
  { name: 'max (axis 1)', inputs: [{ shape: [3, 5] }], run: (x) => tf.max(x, 1) },
  { name: 'abs', inputs: [{ shape: [3, 5] }], run: (x) => tf.abs(x) },
  { name: 'sign (times x)', inputs: [{ shape: [3, 5] }], run: (x) => tf.mul(tf.sign(x), tf.square(x)) },
  { name: 'clipByValue', inputs: [{ shape: [3, 5] }], run: (x) => tf.clipByValue(x, -0.5, 0.7) },
  {
    name: 'where (constant mask)',
    inputs: [{ shape: [3, 5] }, { shape: [3, 5] }, { shape: [3, 5], kind: { ints: 2 }, grad: false }],
    run: (a, b, mask) => tf.where(tf.cast(mask, 'bool'), a, b),
  },
  { name: 'sqrt, square, div, sub, neg', inputs: [{ shape: [3, 5], kind: 'positive' }, { shape: [3, 5] }], run: (a, b) => tf.neg(tf.div(tf.sub(tf.sqrt(a), tf.square(b)), a)) },
  { name: 'logSumExp', inputs: [{ shape: [3, 5] }], run: (x) => tf.logSumExp(x, 1) },
  { name: 'sigmoid cross-entropy (logits)', inputs: [{ shape: [3, 5] }, { shape: [3, 5], kind: 'positive', grad: false }], run: (x, t) => tf.losses.sigmoidCrossEntropy(tf.div(t, 2), x) },
  // randomness (seeded tfjs ops are generated in JS, so both backends see the same numbers)
  {
    name: 'reparameterisation (randomNormal)',
    inputs: [{ shape: [3, 4] }, { shape: [3, 4] }],
    run: (mu, logVar) => tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), tf.randomNormal([3, 4], 0, 1, 'float32', 5))),
  },
  { name: 'randomUniform noise', inputs: [{ shape: [3, 4] }], run: (x) => tf.add(x, tf.randomUniform([3, 4], -0.1, 0.1, 'float32', 6)) },
  // VQ codebook lookup
  { name: 'vq: argMin + gather + straight-through', inputs: [{ shape: [5, 3] }, { shape: [4, 3] }], run: vqNearest },
  { name: 'gather rows (repeated ids)', inputs: [{ shape: [6, 3] }, { shape: [8], kind: { ints: 6 }, grad: false }], run: (x, ids) => tf.gather(x, ids) },
];
