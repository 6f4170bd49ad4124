// Window geometry as the runtime (tfjs) computes it, for the onnx engine and the exporters, whose
// frameworks want the padding spelled out.
import type { Padding } from '../ir/types.js';

/** [top, left, bottom, right]: 'same' splits the total padding with the extra cell at the end. */
export function windowPads(padding: Padding, input: [number, number], kernel: [number, number], stride: [number, number]): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  const [top, bottom, left, right] = [0, 1].flatMap((axis) => {
    const total = Math.max((Math.ceil(input[axis]! / stride[axis]!) - 1) * stride[axis]! + kernel[axis]! - input[axis]!, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }) as [number, number, number, number];
  return [top, left, bottom, right];
}

/**
 * A transposed convolution as tfjs runs it (the gradient of the convolution from `output` to
 * `input`): that convolution's padding, and the extra rows/columns at the end (`outputPadding`) that
 * strides leave over.
 */
export function transposedConvGeometry(padding: Padding, input: [number, number], output: [number, number], kernel: [number, number], stride: [number, number]) {
  const pads = windowPads(padding, output, kernel, stride);
  const outputPadding = [0, 1].map((axis) => output[axis]! - (stride[axis]! * (input[axis]! - 1) + kernel[axis]! - pads[axis]! - pads[axis + 2]!)) as [number, number];
  return { pads, outputPadding };
}
