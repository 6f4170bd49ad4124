// Weights in PyTorch's layouts, and the safetensors file that holds them.
import type { WeightTensor } from '../weights.js';

/** `tensor` with its axes reordered: result axis i is input axis perm[i]. */
export function permute(tensor: WeightTensor, perm: number[]): WeightTensor {
  const { shape, values } = tensor;
  const outShape = perm.map((axis) => shape[axis]!);
  const inStrides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let axis = 0; axis < perm.length; axis++) source += index[axis]! * inStrides[perm[axis]!]!;
    out[o] = values[source]!;
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      if (++index[axis]! < outShape[axis]!) break;
      index[axis] = 0;
    }
  }
  return { shape: outShape, values: out };
}

/** A safetensors file of float32 tensors: 8-byte little-endian header length, JSON header, data. */
export function encodeSafetensors(tensors: ReadonlyMap<string, WeightTensor>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.values.byteLength] };
    offset += t.values.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // keeps the data 8-byte aligned
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), at);
    at += t.values.byteLength;
  }
  return out;
}
