// Building an ONNX graph: named values with their layout, nodes, constants and initializers.
// aelang keeps images NHWC; ONNX's Conv, ConvTranspose, MaxPool, Resize and BatchNormalization
// want NCHW. Each rank-4 value records which it is in, and a Transpose is inserted only where an
// op needs the other one (once per value), so a chain of convolutions stays NCHW throughout.
import { AttributeType, DataType, type AttributeMessage, type NodeMessage, type TensorMessage } from '../../onnx/proto.js';

export type Layout = 'nhwc' | 'nchw' | 'plain';

export interface Value {
  name: string;
  layout: Layout;
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

export const attr = {
  int: (name: string, i: number): AttributeMessage => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: number[]): AttributeMessage => ({ name, type: AttributeType.INTS, ints }),
  float: (name: string, f: number): AttributeMessage => ({ name, type: AttributeType.FLOAT, f }),
  string: (name: string, s: string): AttributeMessage => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) }),
};

export class OnnxGraph {
  readonly nodes: NodeMessage[] = [];
  readonly initializers: TensorMessage[] = [];
  private readonly taken = new Set<string>();
  private readonly converted = new Map<string, string>();
  private readonly stored = new Map<string, string>();

  /** A value name not used yet, from a readable base (`encoder.0.conv:nchw`). */
  unique(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    return name;
  }

  /** Marks graph inputs and initializer names as taken. */
  reserve(name: string): void {
    this.taken.add(name);
  }

  /** Adds a node with one output named after `output` (made unique) and returns that name. */
  add(op: string, inputs: string[], output: string, attributes: AttributeMessage[] = [], doc?: string): string {
    const name = this.unique(output);
    this.nodes.push({ name, op_type: op, input: inputs, output: [name], attribute: attributes, ...(doc ? { doc_string: doc } : {}) });
    return name;
  }

  floats(base: string, shape: number[], values: ArrayLike<number>): string {
    return this.tensor(base, shape, DataType.FLOAT, new Uint8Array(Float32Array.from(values).buffer));
  }

  int64s(base: string, values: readonly number[]): string {
    return this.tensor(base, [values.length], DataType.INT64, new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer));
  }

  /** An initializer holding trained values, under the parameter's id. */
  tensor(base: string, shape: number[], dataType: number, raw: Uint8Array): string {
    const name = this.unique(base);
    this.initializers.push({ name, dims: shape, data_type: dataType, raw_data: raw });
    return name;
  }

  /** The initializer of a stored parameter, created by `create` on first use only. */
  initializerFor(id: string, create: () => string): string {
    const known = this.stored.get(id);
    if (known) return known;
    const name = create();
    this.stored.set(id, name);
    return name;
  }

  /** `name` transposed by `perm`, computed once however many nodes read it (tied weights). */
  transposed(name: string, perm: number[], base: string): string {
    const key = `${name}|${perm.join(',')}`;
    const known = this.converted.get(key);
    if (known) return known;
    const out = this.add('Transpose', [name], base, [attr.ints('perm', perm)]);
    this.converted.set(key, out);
    return out;
  }

  nchw(value: Value): string {
    return value.layout === 'nhwc' ? this.transposed(value.name, TO_NCHW, `${value.name}:nchw`) : value.name;
  }

  nhwc(value: Value): string {
    return value.layout === 'nchw' ? this.transposed(value.name, TO_NHWC, `${value.name}:nhwc`) : value.name;
  }
}
