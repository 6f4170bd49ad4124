// Recurrent weights in the layouts other frameworks want. aelang keeps Keras's: kernel [in, G·u] and
// recurrent_kernel [u, G·u] with the gates side by side (LSTM i, f, c, o; GRU z, r, h), GRU bias
// [2, 3u] (input, recurrent). ONNX and PyTorch take gate-major matrices [G·u, in] (x·Wᵀ), in their
// own gate orders: ONNX LSTM i, o, f, c and GRU z, r, h; PyTorch LSTM i, f, g, o and GRU r, z, n.
import type { WeightTensor } from './weights.js';

/** Keras gate indices in the order a target wants them (LSTM keras order: i0 f1 c2 o3; GRU: z0 r1 h2). */
export const GATE_ORDER = {
  onnx: { lstm: [0, 3, 1, 2], gru: [0, 1, 2] },
  pytorch: { lstm: [0, 1, 2, 3], gru: [1, 0, 2] },
} as const;

/** [in, G·u] (gates side by side) → [G·u, in], gate blocks in `order` (indices into Keras's order). */
export function gateMajor(kernel: WeightTensor, order: readonly number[]): WeightTensor {
  const [rows, columns] = kernel.shape as [number, number];
  const units = columns / order.length;
  const out = new Float32Array(kernel.values.length);
  order.forEach((gate, block) => {
    for (let u = 0; u < units; u++) {
      for (let r = 0; r < rows; r++) out[(block * units + u) * rows + r] = kernel.values[r * columns + gate * units + u]!;
    }
  });
  return { shape: [columns, rows], values: out };
}

/** A bias [G·u] with its gate blocks in `order`. */
export function gateBias(values: Float32Array, order: readonly number[]): Float32Array {
  const units = values.length / order.length;
  const out = new Float32Array(values.length);
  order.forEach((gate, block) => out.set(values.subarray(gate * units, (gate + 1) * units), block * units));
  return out;
}
