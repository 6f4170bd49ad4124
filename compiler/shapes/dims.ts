// Dimension arithmetic where an unknown dimension (null) stays unknown, and shapes as people read them.
import type { Dimension, Shape } from '../../ir/types.js';

/** Output length of a convolution or pooling window along one axis (Keras/TF arithmetic). */
export function windowOutput(length: Dimension, kernel: number, stride: number, padding: 'same' | 'valid'): Dimension {
  if (length === null) return null;
  return padding === 'same' ? Math.ceil(length / stride) : Math.floor((length - kernel) / stride) + 1;
}

/** Output length of a transposed convolution along one axis (Keras's deconv_output_length). */
export function transposedOutput(length: Dimension, kernel: number, stride: number, padding: 'same' | 'valid'): Dimension {
  if (length === null) return null;
  return padding === 'same' ? length * stride : length * stride + Math.max(kernel - stride, 0);
}

/** Product of the non-batch dimensions, or null when one is unknown. */
export function elementCount(shape: Shape): number | null {
  let count = 1;
  for (const d of shape.slice(1)) {
    if (d === null) return null;
    count *= d;
  }
  return count;
}

/** Equal ranks and dimensions; an unknown dimension agrees with anything. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
}

/** `[28, 28, 1]`: without the batch dimension, `?` for unknown. */
export function formatShape(shape: Shape): string {
  return `[${shape.slice(1).map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** Values per sample: the product of the non-batch dimensions, an unknown one counted as 1. A
 *  loop, not slice and reduce: it runs per node of every model. */
export function valuesPerSample(shape: Shape): number {
  let values = 1;
  for (let i = 1; i < shape.length; i++) values *= shape[i] ?? 1;
  return values;
}

export function lastDim(shape: Shape): Dimension {
  return shape.length > 1 ? shape[shape.length - 1]! : null;
}
