// The protobuf wire format, as much as TensorBoard's Event and Summary messages need: varints,
// 64-bit doubles, 32-bit floats and length-delimited fields (strings, bytes, nested messages).
// https://protobuf.dev/programming-guides/encoding/
export type Field =
  | { n: number; varint: number }
  | { n: number; double: number }
  | { n: number; float: number }
  | { n: number; bytes: Uint8Array | string | Field[] };

export function encodeMessage(fields: readonly Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    if ('varint' in field) parts.push(varint(field.n * 8), varint(field.varint));
    else if ('double' in field) {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setFloat64(0, field.double, true);
      parts.push(varint(field.n * 8 + 1), bytes);
    } else if ('float' in field) {
      const bytes = new Uint8Array(4);
      new DataView(bytes.buffer).setFloat32(0, field.float, true);
      parts.push(varint(field.n * 8 + 5), bytes);
    } else {
      const body = typeof field.bytes === 'string' ? new TextEncoder().encode(field.bytes) : Array.isArray(field.bytes) ? encodeMessage(field.bytes) : field.bytes;
      parts.push(varint(field.n * 8 + 2), varint(body.length), body);
    }
  }
  return concat(parts);
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return Uint8Array.from(out);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
