// Writes NumPy .npy files (format 1.0) so `np.load` reads encodings and reconstructions directly:
// magic, version 1.0, a 2-byte little-endian header length, the header dict padded with spaces and
// ending in a newline so the data starts at a multiple of 64 bytes, then little-endian float32.

import { writeFileAtomic } from '../runs/run-dir.js';

export function encodeNpy(data: Float32Array, shape: number[]): Uint8Array {
  const elements = shape.reduce((n, d) => n * d, 1);
  if (elements !== data.length) throw new RangeError(`npy: shape [${shape.join(', ')}] holds ${elements} values, data has ${data.length}`);
  // Python's tuple syntax: (n,) for one dimension.
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  const preamble = 10; // magic (6) + version (2) + header length (2)
  const total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  const header = dict.padEnd(total - preamble - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), preamble);
  const values = new DataView(out.buffer, total);
  for (let i = 0; i < data.length; i++) values.setFloat32(i * 4, data[i], true);
  return out;
}

export async function writeNpy(path: string, data: Float32Array, shape: number[]): Promise<void> {
  await writeFileAtomic(path, encodeNpy(data, shape));
}
