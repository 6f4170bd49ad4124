import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from './seeded.js';

/**
 * The variants of every kernel the runtime calls that a wasm kernel might get wrong while the
 * common case is right: transposed and fused forms, bias and batch broadcasting, every fused
 * activation, int32 and bool inputs, casts between all dtypes, ties and axes. Forward only (the
 * gradients of the ops models use are in cases.ts and the property test). Each variant names the
 * tfjs kernel it exercises; inputs come from a generator seeded by the variant's position, so a
 * variant computes on the same numbers on every backend.
 */
export interface KernelVariant {
  kernel: string;
  name: string;
  run: (input: Inputs) => tf.Tensor | tf.Tensor[];
}

export interface Inputs {
  float(shape: number[]): tf.Tensor;
  int(shape: number[]): tf.Tensor;
  bool(shape: number[]): tf.Tensor;
}

export function seededInputs(seed: number): Inputs {
  const random = seededRandom(seed);
  const values = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 4 - 2);
  return {
    float: (shape) => tf.tensor(values(shape), shape, 'float32'),
    int: (shape) => tf.tensor(values(shape).map((v) => Math.round(v * 3)), shape, 'int32'),
    bool: (shape) => tf.tensor(values(shape).map((v) => (v > 0 ? 1 : 0)), shape, 'bool'),
  };
}

const t3 = (x: tf.Tensor) => x as tf.Tensor3D;
const t4 = (x: tf.Tensor) => x as tf.Tensor4D;
const ACTIVATIONS = ['linear', 'relu', 'elu', 'sigmoid', 'leakyrelu', 'relu6', 'prelu'] as const;
const DTYPES = ['float32', 'int32', 'bool'] as const;
const make = (input: Inputs, dtype: (typeof DTYPES)[number], shape: number[]) =>
  dtype === 'float32' ? input.float(shape) : dtype === 'int32' ? input.int(shape) : input.bool(shape);

const variants: KernelVariant[] = [];
const add = (kernel: string, name: string, run: KernelVariant['run']) => variants.push({ kernel, name, run });

// Products: every transpose, bias, activation and batch combination (m=3, k=5, n=4).
for (const transposeA of [false, true])
  for (const transposeB of [false, true]) {
    const aShape = (batch: number[]) => [...batch, ...(transposeA ? [5, 3] : [3, 5])];
    const bShape = (batch: number[]) => [...batch, ...(transposeB ? [4, 5] : [5, 4])];
    const flags = `transposeA=${transposeA} transposeB=${transposeB}`;
    add('BatchMatMul', `matMul ${flags}`, (i) => tf.matMul(i.float(aShape([])), i.float(bShape([])), transposeA, transposeB));
    add('BatchMatMul', `matMul ${flags}, batch 2 × broadcast 1`, (i) =>
      tf.matMul(i.float(aShape([2])), i.float(bShape([1])), transposeA, transposeB),
    );
    for (const bias of [false, true])
      for (const activation of ACTIVATIONS)
        for (const batch of [[], [2]])
          add('_FusedMatMul', `fused matMul ${flags} bias=${bias} ${activation} batch=[${batch}]`, (i) =>
            tf.fused.matMul({
              a: t3(i.float(aShape(batch))),
              b: t3(i.float(bShape(batch))),
              transposeA,
              transposeB,
              bias: bias ? i.float([4]) : undefined,
              activation,
              leakyreluAlpha: 0.2,
              preluActivationWeights: activation === 'prelu' ? i.float([4]) : undefined,
            }),
          );
  }

// Convolutions: fused with and without bias, every activation, strides and paddings.
for (const bias of [false, true])
  for (const activation of ACTIVATIONS)
    for (const stride of [1, 2])
      for (const pad of ['same', 'valid'] as const)
        add('FusedConv2D', `fused conv2d bias=${bias} ${activation} stride ${stride} ${pad}`, (i) =>
          tf.fused.conv2d({
            x: t4(i.float([2, 5, 5, 3])),
            filter: t4(i.float([3, 3, 3, 4])),
            strides: stride,
            pad,
            bias: bias ? i.float([4]) : undefined,
            activation,
            leakyreluAlpha: 0.2,
            preluActivationWeights: activation === 'prelu' ? i.float([4]) : undefined,
          }),
        );
add('Conv2D', 'conv2d 2x2 kernel stride 2 same', (i) => tf.conv2d(t4(i.float([2, 5, 5, 3])), t4(i.float([2, 2, 3, 4])), 2, 'same'));
add('Conv2D', 'conv2d dilation 2', (i) => tf.conv2d(t4(i.float([2, 5, 5, 3])), t4(i.float([3, 3, 3, 4])), 1, 'same', 'NHWC', 2));
add('Conv2DBackpropInput', 'conv2dTranspose 4x4 stride 2 same', (i) =>
  tf.conv2dTranspose(t4(i.float([2, 3, 3, 4])), t4(i.float([4, 4, 2, 4])), [2, 6, 6, 2], 2, 'same'),
);

// Casts between every pair of dtypes (to bool: ≠ 0), including fractional and negative floats.
for (const from of DTYPES) for (const to of DTYPES) add('Cast', `cast ${from} → ${to}`, (i) => tf.cast(make(i, from, [3, 4]), to));
add('Cast', 'cast float32 → bool of 0.5, -2, 3', () => tf.cast(tf.tensor1d([0, 0.5, -2, 0, 3]), 'bool'));

// One-hot in both dtypes, other on/off values, out-of-range ids, 2-D ids.
for (const dtype of ['float32', 'int32'] as const)
  for (const [on, off] of [[1, 0], [2.5, -0.5]] as const)
    add('OneHot', `oneHot ${dtype} on=${on} off=${off}`, () => tf.oneHot(tf.tensor1d([0, 3, 1, 2, 9, -1], 'int32'), 4, on, off, dtype));
add('OneHot', 'oneHot float32 of 2-D ids', () => tf.oneHot(tf.tensor2d([[0, 3], [1, 2]], undefined, 'int32'), 4, 1, 0, 'float32'));

// Arg reductions: axes, ties (first index wins), all-negative rows, int32, rank 3.
for (const axis of [0, 1, -1]) {
  add('ArgMax', `argMax axis ${axis}`, (i) => tf.argMax(i.float([4, 5]), axis));
  add('ArgMin', `argMin axis ${axis}`, (i) => tf.argMin(i.float([4, 5]), axis));
}
add('ArgMax', 'argMax ties', () => tf.argMax(tf.tensor2d([[1, 3, 3, 0], [-2, -2, -5, -2]]), 1));
add('ArgMin', 'argMin ties', () => tf.argMin(tf.tensor2d([[1, 0, 0, 3], [-2, -5, -5, -2]]), 1));
add('ArgMax', 'argMax all negative', () => tf.argMax(tf.tensor2d([[-3, -1, -2], [-9, -8, -7]]), 1));
add('ArgMax', 'argMax int32', (i) => tf.argMax(i.int([4, 5]), 1));
add('ArgMax', 'argMax rank 3 axis 1', (i) => tf.argMax(i.float([2, 4, 3]), 1));
add('ArgMin', 'argMin rank 3 last axis', (i) => tf.argMin(i.float([2, 4, 3]), -1));

// Gather: axes, repeated ids, int32 data, float ids, 2-D ids.
add('GatherV2', 'gather axis 0, repeated ids', (i) => tf.gather(i.float([6, 3]), tf.tensor1d([5, 0, 0, 2], 'int32')));
add('GatherV2', 'gather axis 1', (i) => tf.gather(i.float([6, 3]), tf.tensor1d([2, 0], 'int32'), 1));
add('GatherV2', 'gather int32 data', (i) => tf.gather(i.int([6, 3]), tf.tensor1d([5, 0, 2], 'int32')));
add('GatherV2', 'gather float ids', (i) => tf.gather(i.float([6, 3]), tf.tensor1d([5, 0, 2])));
add('GatherV2', 'gather 2-D ids', (i) => tf.gather(i.float([6, 3]), tf.tensor2d([[1, 2], [3, 4]], undefined, 'int32')));

// Select: broadcast condition, int32 branches.
add('Select', 'where', (i) => tf.where(i.bool([3, 4]), i.float([3, 4]), i.float([3, 4])));
add('Select', 'where, condition broadcast', (i) => tf.where(tf.tensor1d([1, 0, 1, 0], 'bool'), i.float([3, 4]), i.float([3, 4])));
add('Select', 'where int32', (i) => tf.where(i.bool([3, 4]), i.int([3, 4]), i.int([3, 4])));

// Binary ops under every broadcasting pattern a bias or a statistic produces, then on int32.
const BROADCASTS: [number[], number[]][] = [
  [[3, 4], [4]],
  [[2, 3, 3, 4], [4]],
  [[2, 3, 3, 4], [1, 1, 1, 4]],
  [[3, 1], [1, 4]],
  [[2, 3, 4], [3, 1]],
  [[4], [3, 4]],
  [[2, 1, 3, 1], [1, 4, 1, 5]],
];
const BINARY = {
  Add: tf.add, Sub: tf.sub, Multiply: tf.mul, RealDiv: tf.div, Maximum: tf.maximum, Minimum: tf.minimum,
  SquaredDifference: tf.squaredDifference, Less: tf.less, LessEqual: tf.lessEqual, Greater: tf.greater,
  GreaterEqual: tf.greaterEqual, Equal: tf.equal, NotEqual: tf.notEqual,
} as const;
for (const [a, b] of BROADCASTS) {
  for (const [kernel, op] of Object.entries(BINARY)) add(kernel, `${kernel} [${a}] with [${b}]`, (i) => op(i.float(a), i.float(b)));
  add('Pow', `pow [${a}] with [${b}]`, (i) => tf.pow(tf.abs(i.float(a)), i.float(b)));
}
for (const [kernel, op] of Object.entries({ ...BINARY, FloorDiv: tf.floorDiv, Mod: tf.mod }))
  add(kernel, `${kernel} int32`, (i) => op(i.int([3, 4]), tf.tensor1d([1, 2, 3, 5], 'int32')));
add('LogicalAnd', 'logicalAnd', (i) => tf.logicalAnd(i.bool([3, 4]), i.bool([3, 4])));
add('LogicalAnd', 'logicalAnd broadcast', (i) => tf.logicalAnd(i.bool([3, 4]), i.bool([4])));
add('AddN', 'addN of three', (i) => tf.addN([i.float([3, 4]), i.float([3, 4]), i.float([3, 4])]));

// Reductions over every axis set, keepDims, float and int32; moments as batchnorm takes them.
const REDUCTIONS = { Sum: tf.sum, Mean: tf.mean, Max: tf.max, Min: tf.min, Prod: tf.prod } as const;
for (const [kernel, op] of Object.entries(REDUCTIONS))
  for (const axis of [undefined, 0, 1, [0, 1]])
    for (const keepDims of [false, true])
      for (const dtype of ['float32', 'int32'] as const)
        add(kernel, `${kernel} ${dtype} axis ${JSON.stringify(axis)} keepDims ${keepDims}`, (i) => op(make(i, dtype, [3, 5]), axis, keepDims));
// Long reductions of similar values (a loss: the mean of a batch's bce terms near ln 2), where a
// float32 accumulator drifts; and Log1p of small arguments (bce's log1p(exp(−|l|))), checked
// relative to the value since a tolerance on the scale of 1 cannot see it.
const nearLn2 = (i: Inputs, shape: number[]) => tf.add(Math.LN2, tf.mul(1e-4, i.float(shape)));
add('Sum', 'sum of 100,352 values near ln 2', (i) => tf.sum(nearLn2(i, [128, 784])));
add('Sum', 'sum over each image of [128, 28, 28, 1] near ln 2', (i) => tf.sum(nearLn2(i, [128, 28, 28, 1]), [1, 2, 3]));
add('Mean', 'mean of [128, 28, 28, 1] near ln 2', (i) => tf.mean(nearLn2(i, [128, 28, 28, 1])));
add('Log1p', 'log1p of 1e-2 … 1e-12, scaled to 1 by the exact value', () =>
  tf.div(tf.log1p(tf.tensor1d([1e-2, 1e-4, 7e-4, 1e-6, 1e-8, 1e-12])), tf.tensor1d([1e-2, 1e-4, 7e-4, 1e-6, 1e-8, 1e-12].map(Math.log1p))),
);
for (const axes of [[0, 1, 2], [1, 2], [3], [0]]) {
  add('Mean', `moments over [${axes}] of [2,3,3,4]`, (i) => {
    const { mean, variance } = tf.moments(i.float([2, 3, 3, 4]), axes, true);
    return [mean, variance];
  });
  add('Max', `max over [${axes}] of [2,3,3,4]`, (i) => tf.max(i.float([2, 3, 3, 4]), axes));
}

// Elementwise unary ops, on floats (positive where the domain needs it) and on int32. Expm1 on
// int32 is left out: backends disagree on its dtype (cpu truncates to int32, wasm returns float32),
// a convention rather than a wrong value, and nothing calls it on integers.
const UNARY = {
  Abs: tf.abs, Neg: tf.neg, Exp: tf.exp, Log: tf.log, Sqrt: tf.sqrt, Square: tf.square, Sigmoid: tf.sigmoid,
  Tanh: tf.tanh, Relu: tf.relu, Elu: tf.elu, Softplus: tf.softplus, Sign: tf.sign, Step: tf.step,
  Floor: tf.floor, Round: tf.round, Ceil: tf.ceil, Erf: tf.erf, Log1p: tf.log1p, Expm1: tf.expm1,
  Relu6: tf.relu6, Selu: tf.selu, Reciprocal: tf.reciprocal, Rsqrt: tf.rsqrt, ZerosLike: tf.zerosLike,
  OnesLike: tf.onesLike, IsNan: tf.isNaN,
} as const;
const POSITIVE_DOMAIN = new Set(['Log', 'Sqrt', 'Rsqrt', 'Log1p']);
for (const [kernel, op] of Object.entries(UNARY)) {
  add(kernel, `${kernel} float32`, (i) => op(POSITIVE_DOMAIN.has(kernel) ? tf.abs(i.float([3, 7])) : i.float([3, 7])));
  if (kernel !== 'Expm1') add(kernel, `${kernel} int32`, (i) => op(tf.abs(i.int([3, 7]))));
}
add('Step', 'step with alpha 0.3', (i) => tf.step(i.float([3, 7]), 0.3));
add('LeakyRelu', 'leakyRelu 0.2', (i) => tf.leakyRelu(i.float([3, 7]), 0.2));
add('Prelu', 'prelu', (i) => tf.prelu(i.float([3, 7]), i.float([7])));
add('ClipByValue', 'clipByValue float32', (i) => tf.clipByValue(i.float([3, 7]), -0.5, 0.7));
add('ClipByValue', 'clipByValue int32', (i) => tf.clipByValue(i.int([3, 7]), -1, 2));
add('Softmax', 'softmax last axis', (i) => tf.softmax(i.float([3, 7])));
add('Softmax', 'softmax rank 3', (i) => tf.softmax(i.float([2, 3, 7])));
add('Softmax', 'logSoftmax axis 0', (i) => tf.logSoftmax(i.float([3, 7]), 0));
add('Max', 'logSumExp', (i) => tf.logSumExp(i.float([3, 5]), 1));

// Shape and data movement, including int32 and bool.
add('Transpose', 'transpose rank 4', (i) => tf.transpose(i.float([2, 3, 4, 5]), [0, 3, 1, 2]));
add('Transpose', 'transpose int32', (i) => tf.transpose(i.int([3, 4])));
add('Transpose', 'transpose bool', (i) => tf.transpose(i.bool([3, 4])));
add('Reverse', 'reverse axes 0, 1', (i) => tf.reverse(i.float([3, 3, 2, 4]), [0, 1]));
add('PadV2', 'pad', (i) => tf.pad(i.float([2, 3, 3, 2]), [[0, 0], [1, 2], [0, 1], [0, 0]]));
add('PadV2', 'pad with 1.5', (i) => tf.pad(i.float([2, 3]), [[1, 0], [2, 1]], 1.5));
add('Slice', 'slice', (i) => tf.slice(i.float([2, 5, 5, 3]), [0, 1, 0, 0], [2, 3, 4, 3]));
add('Slice', 'slice int32', (i) => tf.slice(i.int([4, 5]), [1, 1], [2, 3]));
add('Concat', 'concat axis 1', (i) => tf.concat([i.float([3, 2]), i.float([3, 4])], 1));
add('Concat', 'concat int32', (i) => tf.concat([i.int([3, 2]), i.int([3, 4])], 1));
add('Pack', 'stack', (i) => tf.stack([i.float([3]), i.float([3])]));
add('Pack', 'stack scalars', () => tf.stack([tf.scalar(1.5), tf.scalar(-2)]));
add('Tile', 'tile', (i) => tf.tile(i.float([2, 3]), [2, 2]));
add('Fill', 'eye', () => tf.eye(5));
add('Fill', 'fill int32', () => tf.fill([3, 4], 3, 'int32'));
add('SplitV', 'split', (i) => tf.split(i.float([3, 6]), [2, 4], 1));
add('Unpack', 'unstack', (i) => tf.unstack(i.float([3, 4]), 1));
add('ScatterNd', 'scatterND with a repeated index', () =>
  tf.scatterND(tf.tensor2d([[3], [0], [7], [3]], undefined, 'int32'), tf.tensor1d([1, 2, 3, 4]), [9]),
);
add('ScatterNd', 'scatterND 2-D', () => tf.scatterND(tf.tensor2d([[1, 0], [0, 2]], undefined, 'int32'), tf.tensor1d([5, 6]), [2, 3]));
add('UnsortedSegmentSum', 'unsortedSegmentSum', (i) => tf.unsortedSegmentSum(i.float([5, 2]), tf.tensor1d([1, 0, 1, 3, 2], 'int32'), 4));
add('Cumsum', 'cumsum', (i) => tf.cumsum(i.float([3, 5]), 1));

// Pooling and resizing.
for (const [size, stride, pad] of [[2, 2, 'valid'], [3, 2, 'same'], [3, 1, 'same'], [2, 1, 'valid'], [3, 3, 'same']] as const) {
  const what = `${size}x${size} stride ${stride} ${pad}`;
  add('MaxPool', `maxPool ${what}`, (i) => tf.maxPool(t4(i.float([2, 5, 5, 3])), size, stride, pad));
  add('AvgPool', `avgPool ${what}`, (i) => tf.avgPool(t4(i.float([2, 5, 5, 3])), size, stride, pad));
  for (const includeBatch of [true, false])
    add('MaxPoolWithArgmax', `maxPoolWithArgmax ${what} includeBatchInIndex=${includeBatch}`, (i) => {
      const { result, indexes } = tf.maxPoolWithArgmax(t4(i.float([2, 5, 5, 3])), size, stride, pad, includeBatch);
      return [result, indexes];
    });
}
for (const [alignCorners, halfPixelCenters] of [[false, false], [true, false], [false, true]]) {
  const mode = `alignCorners=${alignCorners} halfPixelCenters=${halfPixelCenters}`;
  add('ResizeNearestNeighbor', `resizeNearestNeighbor ${mode}`, (i) =>
    tf.image.resizeNearestNeighbor(t4(i.float([2, 3, 4, 2])), [7, 9], alignCorners, halfPixelCenters),
  );
  add('ResizeBilinear', `resizeBilinear ${mode}`, (i) => tf.image.resizeBilinear(t4(i.float([2, 3, 4, 2])), [7, 9], alignCorners, halfPixelCenters));
}

// Normalisation and seeded randomness.
for (const shape of [[6, 4], [2, 3, 3, 4]]) {
  add('FusedBatchNorm', `batchNorm [${shape}]`, (i) => tf.batchNorm(i.float(shape), i.float([4]), tf.abs(i.float([4])), i.float([4]), i.float([4]), 1e-3));
  add('FusedBatchNorm', `batchNorm [${shape}] without offset and scale`, (i) => tf.batchNorm(i.float(shape), i.float([4]), tf.abs(i.float([4]))));
}
add('RandomStandardNormal', 'randomNormal seeded', () => tf.randomNormal([4, 5], 0, 1, 'float32', 3));
add('RandomUniform', 'randomUniform seeded', () => tf.randomUniform([4, 5], 0, 1, 'float32', 3));
add('Multiply', 'dropout seeded', (i) => tf.dropout(i.float([4, 5]), 0.3, undefined, 4));

export const KERNEL_VARIANTS: readonly KernelVariant[] = variants;
