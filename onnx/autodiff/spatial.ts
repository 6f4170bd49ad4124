// The spatial primitives: convolutions, transposed convolutions, max pooling and the shape moves
// around them, on NCHW values (ONNX's layout; lower.ts transposes aelang's NHWC at the edges and
// ONNX Runtime's transpose optimiser cancels the pairs between consecutive layers). Each gradient
// rule is written in these same primitives: a convolution's input gradient is a transposed
// convolution (at stride 1, a convolution with the kernel flipped) and its kernel's gradient a
// convolution of the input with the output gradient, dilated by the stride (at stride 1, of the
// output gradient with the input when it has fewer channels); a max pool's gradient scatters into
// the positions its indices name. Which form is a matter of ONNX Runtime's speed, not of value.
import { AttributeType } from '../proto.js';
import { attr, type Dim, type StepGraph, type Sym } from './graph.js';
import { reshape, shapeOf } from './primitives.js';

export type Pads = [number, number, number, number]; // top, left, bottom, right

export interface Window {
  kernel: [number, number];
  strides: [number, number];
  pads: Pads;
}

const ONNX_PADS = (p: Pads) => [p[0], p[1], p[2], p[3]]; // ONNX: [x1_begin, x2_begin, x1_end, x2_end]

export function transpose(g: StepGraph, x: Sym, perm: readonly number[]): Sym {
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return g.emit('Transpose', [x], perm.map((axis) => x.shape[axis]!), { attributes: [attr.ints('perm', perm)], rule: (dy) => [transpose(g, dy, inverse)] });
}

export const toNCHW = (g: StepGraph, x: Sym) => transpose(g, x, [0, 3, 1, 2]);
export const toNHWC = (g: StepGraph, x: Sym) => transpose(g, x, [0, 2, 3, 1]);

function outputSize(input: number, kernel: number, stride: number, padBegin: number, padEnd: number): number {
  return Math.floor((input + padBegin + padEnd - kernel) / stride) + 1;
}

/** Convolution of x [N, C, H, W] with w [M, C, kh, kw] (ONNX's OIHW). */
export function conv(g: StepGraph, x: Sym, w: Sym, window: Window): Sym {
  const [, , h, wd] = x.shape as [Dim, Dim, number, number];
  const shape = [x.shape[0]!, w.shape[0]!, outputSize(h, window.kernel[0], window.strides[0], window.pads[0], window.pads[2]), outputSize(wd, window.kernel[1], window.strides[1], window.pads[1], window.pads[3])];
  return g.emit('Conv', [x, w], shape, {
    attributes: [attr.ints('kernel_shape', window.kernel), attr.ints('strides', window.strides), attr.ints('pads', ONNX_PADS(window.pads))],
    rule: (dy) => [x.varying ? inputGradient(g, dy, w, window, [h, wd]) : null, w.varying ? kernelGradient(g, x, dy, window) : null],
  });
}

/**
 * The gradient of `conv` with respect to its input. At stride 1 it is a convolution of the output
 * gradient with the kernel transposed and flipped in space, padded by kernel − 1 − pad: ONNX
 * Runtime's ConvTranspose is a product and a col2im per image, 76 of the Keras conv AE's 417 ms
 * step for the last layer's 16 → 1 channels (its profiler), where the convolution is an im2col and
 * one product. Strided convolutions keep the transposed convolution.
 */
function inputGradient(g: StepGraph, dy: Sym, w: Sym, window: Window, size: [number, number]): Sym {
  const [kh, kw] = window.kernel;
  const pads: Pads = [kh - 1 - window.pads[0], kw - 1 - window.pads[1], kh - 1 - window.pads[2], kw - 1 - window.pads[3]];
  if (window.strides[0] !== 1 || window.strides[1] !== 1 || pads.some((p) => p < 0)) return convTranspose(g, dy, w, window, size);
  const [o, c] = w.shape as [number, number];
  const transposed = g.constant('Transpose', [w], [c, o, kh, kw], [attr.ints('perm', [1, 0, 2, 3])]);
  return conv(g, dy, reverseSpatial(g, transposed), { kernel: window.kernel, strides: [1, 1], pads });
}

/** x [A, B, kh, kw] with both spatial axes reversed (a kernel's flip). */
function reverseSpatial(g: StepGraph, x: Sym): Sym {
  const [, , kh, kw] = x.shape as [Dim, Dim, number, number];
  const backwards = (n: number) => g.int64s(Array.from({ length: n }, (_, i) => n - 1 - i));
  const rows = g.constant('Gather', [x, backwards(kh)], x.shape, [attr.int('axis', 2)]);
  return g.constant('Gather', [rows, backwards(kw)], x.shape, [attr.int('axis', 3)]);
}

/**
 * Transposed convolution of x [N, C, H, W] with w [C, M, kh, kw] (ONNX's layout for it) to the
 * spatial size `output`: the gradient of `conv` with that window from `output` to x's size.
 */
export function convTranspose(g: StepGraph, x: Sym, w: Sym, window: Window, output: [number, number]): Sym {
  const [, , h, wd] = x.shape as [Dim, Dim, number, number];
  const outputPadding = [0, 1].map((axis) => output[axis]! - (window.strides[axis]! * ([h, wd][axis]! - 1) + window.kernel[axis]! - window.pads[axis]! - window.pads[axis + 2]!));
  return g.emit('ConvTranspose', [x, w], [x.shape[0]!, w.shape[1]!, ...output], {
    attributes: [attr.ints('kernel_shape', window.kernel), attr.ints('strides', window.strides), attr.ints('pads', ONNX_PADS(window.pads)), attr.ints('output_padding', outputPadding)],
    // x's gradient is the convolution with the same kernel; the kernel's pairs dy's channels (the
    // convolution's input) with x's, [C, M, kh, kw]
    rule: (dy) => [x.varying ? conv(g, dy, w, window) : null, w.varying ? kernelGradient(g, dy, x, window) : null],
  });
}

/**
 * Σ over the batch and positions of v[n, o, i, j] · u[n, c, i·s + a − p, j·s + b − p], as
 * [O, C, kh, kw]: the kernel gradient of a convolution from u to v. Computed as one convolution
 * with the batch as channels: u [C, N, H, W] convolved with v [O, N, Ho, Wo] dilated by the
 * stride, then cropped to the kernel where the stride left rows over.
 */
function kernelGradient(g: StepGraph, u: Sym, v: Sym, window: Window): Sym {
  const [, , h, wd] = u.shape as [Dim, Dim, number, number];
  const [, , ho, wo] = v.shape as [Dim, Dim, number, number];
  const [kh, kw] = window.kernel;
  const [sh, sw] = window.strides;
  if (sh === 1 && sw === 1 && (v.shape[1] as number) < (u.shape[1] as number)) return kernelGradientByOutput(g, u, v, window);
  const padEnd = (size: number, begin: number, out: number, stride: number, kernel: number) => Math.max(0, kernel - 1 + stride * (out - 1) - size - begin + 1);
  const pads: Pads = [window.pads[0], window.pads[1], padEnd(h, window.pads[0], ho, sh, kh), padEnd(wd, window.pads[1], wo, sw, kw)];
  const uT = g.constant('Transpose', [u], [u.shape[1]!, u.shape[0]!, h, wd], [attr.ints('perm', [1, 0, 2, 3])]);
  const vT = g.constant('Transpose', [v], [v.shape[1]!, v.shape[0]!, ho, wo], [attr.ints('perm', [1, 0, 2, 3])]);
  const full = [outputSize(h, sh * (ho - 1) + 1, 1, pads[0], pads[2]), outputSize(wd, sw * (wo - 1) + 1, 1, pads[1], pads[3])];
  let r = g.constant('Conv', [uT, vT], [u.shape[1]!, v.shape[1]!, full[0]!, full[1]!], [attr.ints('dilations', window.strides), attr.ints('strides', [1, 1]), attr.ints('pads', ONNX_PADS(pads))]);
  if (full[0] !== kh || full[1] !== kw) r = g.constant('Slice', [r, g.int64s([0, 0]), g.int64s([kh, kw]), g.int64s([2, 3])], [u.shape[1]!, v.shape[1]!, kh, kw]);
  return g.constant('Transpose', [r], [v.shape[1]!, u.shape[1]!, kh, kw], [attr.ints('perm', [1, 0, 2, 3])]);
}

/**
 * The same kernel gradient at stride 1 with the roles swapped, for O < C: v [O, N, Ho, Wo] as the
 * input (its O channels the batch) and u [C, N, H, W] as the kernel, padded so that the output's
 * positions are the kernel's offsets, reversed. Its im2col is O copies of the batch, not C: the
 * Keras conv AE's last layer (16 → 1) took 117 of its 417 ms step the other way round, with an
 * im2col per input channel and a product of one row.
 */
function kernelGradientByOutput(g: StepGraph, u: Sym, v: Sym, window: Window): Sym {
  const [, c, h, wd] = u.shape as [Dim, number, number, number];
  const [, o, ho, wo] = v.shape as [Dim, number, number, number];
  const [kh, kw] = window.kernel;
  const [top, left] = window.pads;
  // out[o, c, p, q] = Σ v[n, o, i, j] · u[n, c, i − p + kh − 1 − top, …]: offset a = kh − 1 − p
  const pads: Pads = [kh - 1 - top, kw - 1 - left, h - ho + top, wd - wo + left];
  const vT = g.constant('Transpose', [v], [o, v.shape[0]!, ho, wo], [attr.ints('perm', [1, 0, 2, 3])]);
  const uT = g.constant('Transpose', [u], [c, u.shape[0]!, h, wd], [attr.ints('perm', [1, 0, 2, 3])]);
  const reversed = g.constant('Conv', [vT, uT], [o, c, kh, kw], [attr.ints('pads', ONNX_PADS(pads))]);
  return reverseSpatial(g, reversed);
}

/** Max pooling of x [N, C, H, W]; also the flat (NCHW) index of each window's maximum. */
export function maxPool(g: StepGraph, x: Sym, window: Window): { y: Sym; indices: Sym } {
  const [, , h, wd] = x.shape as [Dim, Dim, number, number];
  const shape = [x.shape[0]!, x.shape[1]!, outputSize(h, window.kernel[0], window.strides[0], window.pads[0], window.pads[2]), outputSize(wd, window.kernel[1], window.strides[1], window.pads[1], window.pads[3])];
  const attributes = [attr.ints('kernel_shape', window.kernel), attr.ints('strides', window.strides), attr.ints('pads', ONNX_PADS(window.pads))];
  const [y, indices] = g.emitWithSecond('MaxPool', [x], [shape, shape], {
    attributes,
    rule: (dy) => [disjoint(window) ? unpoolAt(g, dy, indices, x, window) : scatterFlat(g, dy, indices, x)],
  });
  return { y, indices };
}

/** The windows do not overlap: each input cell is in one window at most. */
export function disjoint(window: Window): boolean {
  return window.kernel[0] <= window.strides[0] && window.kernel[1] <= window.strides[1];
}

/**
 * `values` [N, C, Ho, Wo] placed at the flat positions `indices` (a max pool's) of zeros shaped like
 * `like`, for windows that do not overlap, so no position is written twice: MaxUnpool, a plain
 * loop in ONNX Runtime, where the scatter-add that overlapping windows need was 22 of the Keras
 * conv AE's 208 ms step.
 */
export function unpoolAt(g: StepGraph, values: Sym, indices: Sym, like: Sym, window: Window): Sym {
  return g.constant('MaxUnpool', [values, indices, shapeOf(g, like)], like.shape, [attr.ints('kernel_shape', window.kernel), attr.ints('strides', window.strides), attr.ints('pads', ONNX_PADS(window.pads))]);
}

/**
 * Average pooling of x [N, C, H, W] over the cells inside the input (padding not counted, as tfjs
 * and TensorFlow do). Its gradient spreads each output's gradient, divided by its cell count, over
 * its window: a transposed convolution with a kernel of ones, one group per channel.
 */
export function averagePool(g: StepGraph, x: Sym, window: Window): Sym {
  const [, c, h, wd] = x.shape as [Dim, number, number, number];
  const [kh, kw] = window.kernel;
  const oh = outputSize(h, kh, window.strides[0], window.pads[0], window.pads[2]);
  const ow = outputSize(wd, kw, window.strides[1], window.pads[1], window.pads[3]);
  const counts = new Float32Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const rows = Math.min(i * window.strides[0] - window.pads[0] + kh, h) - Math.max(i * window.strides[0] - window.pads[0], 0);
      const cols = Math.min(j * window.strides[1] - window.pads[1] + kw, wd) - Math.max(j * window.strides[1] - window.pads[1], 0);
      counts[i * ow + j] = 1 / (rows * cols);
    }
  }
  return g.emit('AveragePool', [x], [x.shape[0]!, c, oh, ow], {
    attributes: [attr.ints('kernel_shape', window.kernel), attr.ints('strides', window.strides), attr.ints('pads', ONNX_PADS(window.pads)), attr.int('count_include_pad', 0)],
    rule: (dy) => {
      const scaled = g.constant('Mul', [dy, g.floats('avgpool_counts', [1, 1, oh, ow], counts)], dy.shape);
      const ones = g.floats('avgpool_ones', [c, 1, kh, kw], new Float32Array(c * kh * kw).fill(1));
      const outputPadding = [0, 1].map((axis) => [h, wd][axis]! - (window.strides[axis]! * ([oh, ow][axis]! - 1) + window.kernel[axis]! - window.pads[axis]! - window.pads[axis + 2]!));
      return [g.constant('ConvTranspose', [scaled, ones], x.shape, [attr.ints('kernel_shape', window.kernel), attr.ints('strides', window.strides), attr.ints('pads', ONNX_PADS(window.pads)), attr.ints('output_padding', outputPadding), attr.int('group', c)])];
    },
  });
}

/** `values` added into zeros shaped like `like` at the flat positions `indices` (same shapes as values). */
export function scatterFlat(g: StepGraph, values: Sym, indices: Sym, like: Sym): Sym {
  const size = g.constant('Reshape', [g.constant('Size', [like], []), g.int64s([1])], [1]);
  const zeros = g.constant('ConstantOfShape', [size], [null]);
  const flatValues = g.emit('Reshape', [values, g.int64s([-1])], [null], { rule: (dy) => [g.emit('Reshape', [dy, shapeOf(g, values)], values.shape)], merged: true });
  const flatIndices = g.constant('Reshape', [indices, g.int64s([-1])], [null]);
  const scattered = g.emit('ScatterElements', [zeros, flatIndices, flatValues], [null], {
    attributes: [{ name: 'reduction', type: 3, s: new TextEncoder().encode('add') }],
    rule: (dy) => [null, null, g.constant('GatherElements', [dy, flatIndices], [null])],
  });
  return g.emit('Reshape', [scattered, shapeOf(g, like)], like.shape, { rule: (dy) => [g.emit('Reshape', [dy, g.int64s([-1])], [null], { merged: true }), null] });
}

/** Slices [begin, begin + size) on axes 2 and 3 (NCHW spatial); the gradient pads it back. */
export function cropSpatial(g: StepGraph, x: Sym, begin: [number, number], size: [number, number]): Sym {
  const [, , h, w] = x.shape as [Dim, Dim, number, number];
  return g.emit('Slice', [x, g.int64s(begin), g.int64s([begin[0] + size[0], begin[1] + size[1]]), g.int64s([2, 3])], [x.shape[0]!, x.shape[1]!, ...size], {
    rule: (dy) => [padSpatial(g, dy, [begin[0], begin[1], h - begin[0] - size[0], w - begin[1] - size[1]]), null, null, null],
  });
}

/** Zero-pads axes 2 and 3 by [top, left, bottom, right]; the gradient crops it back. */
export function padSpatial(g: StepGraph, x: Sym, pads: Pads): Sym {
  const [, , h, w] = x.shape as [Dim, Dim, number, number];
  const onnxPads = [0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]];
  return g.emit('Pad', [x, g.int64s(onnxPads)], [x.shape[0]!, x.shape[1]!, h + pads[0] + pads[2], w + pads[1] + pads[3]], {
    rule: (dy) => [cropSpatial(g, dy, [pads[0], pads[1]], [h, w]), null],
  });
}

/**
 * Nearest-neighbour upsampling of x [N, C, H, W] by integer factors: each cell repeated fh × fw
 * times, by Resize (nearest, floor of the asymmetric source coordinate: cell i·f + r reads i).
 * Expand over a [N, C, H, 1, W, 1] view gave the same values at a third of the speed (48 of the
 * Keras conv AE's 297 ms step, ONNX Runtime's profiler).
 */
export function repeatSpatial(g: StepGraph, x: Sym, [fh, fw]: [number, number]): Sym {
  if (fh === 1 && fw === 1) return x;
  const [n, c, h, w] = x.shape as [Dim, Dim, number, number];
  const text = (name: string, value: string) => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(value) });
  const noRegion = { name: '', shape: [], varying: false };
  return g.emit('Resize', [x, noRegion, g.floats('upsample_scales', [4], Float32Array.of(1, 1, fh, fw))], [n, c, h * fh, w * fw], {
    attributes: [text('mode', 'nearest'), text('coordinate_transformation_mode', 'asymmetric'), text('nearest_mode', 'floor')],
    // each source cell's gradient is the sum over its copies
    rule: (dy) => [g.constant('ReduceSum', [reshape(g, dy, [n, c, h, fh, w, fw]), g.int64s([3, 5])], [n, c, h, w], [attr.int('keepdims', 0)]), null, null],
  });
}
