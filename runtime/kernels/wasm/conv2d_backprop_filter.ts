import * as tf from '@tensorflow/tfjs-core';
import { heapView, outputFrom, type WasmBackend } from './heap.js';
import type { KernelArgs } from '../kernel-args.js';

/**
 * Conv2DBackpropFilter for wasm (tfjs-backend-wasm 4.22 has none, so no conv layer could train).
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·sh − top + kh, ow·sw − left + kw, ci] · dy[n,oh,ow,co]
 *
 * computed as one matrix product dW = colsᵀ · dy, where `cols` is the im2col matrix
 * [N·Ho·Wo, kh·kw·Cin] built in JS and the product runs in the wasm BatchMatMul kernel (XNNPACK).
 * Images are processed in chunks so `cols` stays under COLS_BUDGET floats for large batches.
 */
const COLS_BUDGET = 8 * 1024 * 1024;

/** The kernel function; `colsBudget` (floats) is a parameter so tests can force chunking. */
export function makeConv2DBackpropFilter(colsBudget = COLS_BUDGET): (args: KernelArgs) => tf.TensorInfo {
  return (args) => conv2DBackpropFilter(args, colsBudget);
}

function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs, colsBudget: number): tf.TensorInfo {
  const wasm = backend as WasmBackend;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const matMul = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
  const channelsLast = info.dataFormat === 'channelsLast';
  const { batchSize, outHeight, outWidth, outChannels, filterHeight, filterWidth, inChannels } = info;
  const k = filterHeight * filterWidth * inChannels;
  const pixels = outHeight * outWidth;
  const imagesPerChunk = Math.max(1, Math.min(batchSize, Math.floor(colsBudget / (pixels * k))));

  const filterGrad = new Float32Array(k * outChannels);
  for (let first = 0; first < batchSize; first += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - first);
    const rows = images * pixels;
    const cols = wasm.makeOutput([1, rows, k], 'float32');
    const dyRows = wasm.makeOutput([1, rows, outChannels], 'float32');
    fillIm2col(heapView(wasm, cols), heapView(wasm, x), info, first, images, channelsLast);
    fillDyRows(heapView(wasm, dyRows), heapView(wasm, dy), info, first, images, channelsLast);
    const product = matMul({
      inputs: { a: cols, b: dyRows },
      backend: wasm,
      attrs: { transposeA: true, transposeB: false },
    }) as tf.TensorInfo;
    const partial = heapView(wasm, product);
    for (let i = 0; i < filterGrad.length; i++) filterGrad[i] += partial[i];
    wasm.disposeData(product.dataId);
    wasm.disposeData(cols.dataId);
    wasm.disposeData(dyRows.dataId);
  }
  return outputFrom(wasm, [...filterShape], 'float32', filterGrad);
}

/** Row r = (image, oh, ow); column = (kh, kw, ci); zeros where the window hangs over the padding. */
function fillIm2col(
  cols: Float32Array | Int32Array,
  x: Float32Array | Int32Array,
  info: tf.backend_util.Conv2DInfo,
  firstImage: number,
  images: number,
  channelsLast: boolean,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { filterHeight, filterWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  // Element strides of x along (n, h, w, c) in either layout.
  const [sN, sH, sW, sC] = channelsLast
    ? [inHeight * inWidth * inChannels, inWidth * inChannels, inChannels, 1]
    : [inChannels * inHeight * inWidth, inWidth, 1, inHeight * inWidth];
  let at = 0;
  for (let n = firstImage; n < firstImage + images; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight - top + kh * dilationHeight;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth - left + kw * dilationWidth;
            if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) {
              cols.fill(0, at, at + inChannels);
            } else {
              const base = n * sN + ih * sH + iw * sW;
              for (let c = 0; c < inChannels; c++) cols[at + c] = x[base + c * sC];
            }
            at += inChannels;
          }
        }
      }
    }
  }
}

/** dy as a [images·Ho·Wo, Cout] matrix (a plain copy for NHWC, a transpose for NCHW). */
function fillDyRows(
  rows: Float32Array | Int32Array,
  dy: Float32Array | Int32Array,
  info: tf.backend_util.Conv2DInfo,
  firstImage: number,
  images: number,
  channelsLast: boolean,
): void {
  const { outHeight, outWidth, outChannels } = info;
  const pixels = outHeight * outWidth;
  const perImage = pixels * outChannels;
  if (channelsLast) {
    rows.set(dy.subarray(firstImage * perImage, (firstImage + images) * perImage));
    return;
  }
  let at = 0;
  for (let n = firstImage; n < firstImage + images; n++) {
    for (let p = 0; p < pixels; p++) {
      for (let co = 0; co < outChannels; co++) rows[at++] = dy[n * perImage + co * pixels + p];
    }
  }
}

export const conv2DBackpropFilterWasm: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: makeConv2DBackpropFilter() as unknown as tf.KernelFunc,
};
