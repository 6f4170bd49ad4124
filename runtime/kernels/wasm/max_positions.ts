import type * as tf from '@tensorflow/tfjs-core';

/**
 * For each output cell of a max pool over NHWC `x`, the flat index into `x` (batch included) of
 * the window's maximum: the first strictly greatest value in row-major window order, starting
 * from −∞ exactly as tfjs-backend-cpu does (so ties resolve the same way). −1 for an empty window.
 */
export function maxPositions(x: ArrayLike<number>, info: tf.backend_util.Conv2DInfo): Int32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;
  const positions = new Int32Array(batchSize * outHeight * outWidth * inChannels);
  let at = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowCorner = oh * strideHeight - top;
      let rowMin = rowCorner;
      while (rowMin < 0) rowMin += dilationHeight;
      const rowMax = Math.min(inHeight, rowCorner + effectiveFilterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const colCorner = ow * strideWidth - left;
        let colMin = colCorner;
        while (colMin < 0) colMin += dilationWidth;
        const colMax = Math.min(inWidth, colCorner + effectiveFilterWidth);
        for (let c = 0; c < inChannels; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let position = -1;
          for (let r = rowMin; r < rowMax; r += dilationHeight) {
            for (let q = colMin; q < colMax; q += dilationWidth) {
              const index = ((n * inHeight + r) * inWidth + q) * inChannels + c;
              const value = x[index]!;
              if (value > best) {
                best = value;
                position = index;
              }
            }
          }
          positions[at++] = position;
        }
      }
    }
  }
  return positions;
}
