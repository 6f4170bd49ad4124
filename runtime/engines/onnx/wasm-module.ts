// Just enough of the WebAssembly binary format to write the optimiser's loops (update-kernels.ts):
// functions over i32 and f32 parameters, 128-bit SIMD on f32x4, one imported memory. Written here
// rather than compiled from a .wat file so that no toolchain and no binary blob enter the build.

/** A value type of a parameter or a local. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** The opcodes the loops use (scalar ones are one byte; SIMD ones follow the 0xfd prefix). */
export const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Shl: 0x74,
} as const;

const simd = {
  load: 0x00,
  store: 0x0b,
  f32x4Splat: 0x13,
  f32x4Lt: 0x43,
  v128AndNot: 0x4f,
  f32x4Abs: 0xe0,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
} as const;

/** Unsigned LEB128. */
function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Signed LEB128 (i32.const's immediate). */
function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (text: string): number[] => vector([...new TextEncoder().encode(text)].map((b) => [b]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Instructions of one function body, built in order. */
export class Body {
  readonly bytes: number[] = [];
  get(local: number): this {
    return this.emit(op.localGet, ...uleb(local));
  }
  set(local: number): this {
    return this.emit(op.localSet, ...uleb(local));
  }
  tee(local: number): this {
    return this.emit(op.localTee, ...uleb(local));
  }
  i32(value: number): this {
    return this.emit(op.i32Const, ...sleb(value));
  }
  emit(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  /** f32x4 load from the address on the stack (4-byte aligned: typed arrays guarantee no more). */
  load(): this {
    return this.vector(simd.load, 2, 0);
  }
  store(): this {
    return this.vector(simd.store, 2, 0);
  }
  splat(): this {
    return this.vector(simd.f32x4Splat);
  }
  add(): this {
    return this.vector(simd.f32x4Add);
  }
  sub(): this {
    return this.vector(simd.f32x4Sub);
  }
  mul(): this {
    return this.vector(simd.f32x4Mul);
  }
  div(): this {
    return this.vector(simd.f32x4Div);
  }
  sqrt(): this {
    return this.vector(simd.f32x4Sqrt);
  }
  abs(): this {
    return this.vector(simd.f32x4Abs);
  }
  /** Lane by lane a < b: all ones where it holds, else zero (NaN compares false). */
  lt(): this {
    return this.vector(simd.f32x4Lt);
  }
  /** a & ~b, bit by bit. */
  andNot(): this {
    return this.vector(simd.v128AndNot);
  }
  private vector(code: number, ...immediates: number[]): this {
    return this.emit(0xfd, ...uleb(code), ...immediates.flatMap(uleb));
  }
}

export interface WasmFunction {
  name: string;
  params: number[];
  /** Extra locals, after the parameters. */
  locals: number[];
  body: Body;
}

/** A module of `functions` (no results) over the memory it imports as env.memory. */
export function encodeModule(functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), 0]);
  const imports = vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]]);
  const exports = vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const codes = functions.map((f) => {
    const locals = vector(f.locals.map((t) => [1, t]));
    const body = [...locals, ...f.body.bytes, op.end];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, imports),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, exports),
    ...section(10, vector(codes)),
  ]);
}
