// A symbolic ONNX graph that can differentiate itself. Each value knows its shape (the batch
// dimension null) and whether it depends on a trainable parameter; each primitive (primitives.ts)
// emits its forward nodes and records its gradient rule, a vector-Jacobian product written with the
// same primitives. `gradients` walks that tape backwards from a scalar, so the training step's
// backward pass is more nodes of the same graph, and ONNX Runtime runs forward and backward in one
// `run` (the optimiser's update is the engine's, runtime/engines/onnx/update.ts).
import { AttributeType, DataType, type AttributeMessage, type NodeMessage, type TensorMessage, type ValueInfoMessage } from '../proto.js';

export type Dim = number | null;

export interface Sym {
  readonly name: string;
  readonly shape: readonly Dim[];
  /** Depends on a value whose gradient is asked for: only these are differentiated through. */
  readonly varying: boolean;
  /** Its unknown dimension is not the batch (the batch merged with other axes, [batch·steps, c]). */
  readonly merged?: boolean;
  /** It is this smaller value broadcast (an Expand): an elementwise op with a value of its own
   *  shape can read the smaller one instead, and the Expand, then unread, leaves (see `finish`). */
  readonly expandedFrom?: Sym;
}

/** The gradient of each input of a primitive, given the gradient of its output (null: none). */
export type GradientRule = (gradient: Sym) => (Sym | null)[];

/** The same for a primitive with several outputs: the gradient of each (null where none reached it). */
export type MultiGradientRule = (gradients: (Sym | null)[]) => (Sym | null)[];

type TapeEntry = { output: Sym; inputs: readonly Sym[]; rule: GradientRule } | { outputs: readonly Sym[]; inputs: readonly Sym[]; multiRule: MultiGradientRule };

export const attr = {
  int: (name: string, i: number): AttributeMessage => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): AttributeMessage => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  float: (name: string, f: number): AttributeMessage => ({ name, type: AttributeType.FLOAT, f }),
};

export class StepGraph {
  readonly nodes: NodeMessage[] = [];
  readonly initializers: TensorMessage[] = [];
  readonly inputs: ValueInfoMessage[] = [];
  readonly outputs: ValueInfoMessage[] = [];
  /** The shape of every float value the primitives make whose unknown dimension is the batch. */
  readonly shapes: ValueInfoMessage[] = [];
  private readonly tape: TapeEntry[] = [];
  private readonly taken = new Set<string>();
  private readonly scalars = new Map<number | string, Sym>();
  private readonly scalarValues = new Map<string, number>();
  private readonly int64Constants = new Map<string, Sym>();
  private readonly renamed = new Map<string, string>();

  /** Per base name, the next suffix to try: an unrolled LSTM makes thousands of 'mul's. */
  private readonly nextSuffix = new Map<string, number>();

  private unique(base: string): string {
    let name = base;
    let n = this.nextSuffix.get(base) ?? 2;
    while (this.taken.has(name)) name = `${base}_${n++}`;
    this.nextSuffix.set(base, n);
    this.taken.add(name);
    return name;
  }

  /** A graph input (a batch, a parameter, a noise draw, an optimiser scalar). */
  input(name: string, shape: readonly Dim[], varying: boolean, elemType: number = DataType.FLOAT): Sym {
    if (this.taken.has(name)) throw new Error(`step graph: input '${name}' declared twice`);
    this.taken.add(name);
    this.inputs.push(valueInfo(name, shape, elemType));
    return { name, shape, varying };
  }

  /**
   * Marks `value` as a graph output under `name`: the node computing it is renamed (see
   * `finish`), as an Identity would copy it at every step (1.2 ms for one Adam slot of MNIST's
   * first layer); a graph input or a value already output goes through an Identity.
   */
  output(name: string, value: Sym): void {
    const out = this.unique(name);
    const producer = this.nodes.find((n) => n.output[0] === value.name);
    if (producer && !this.renamed.has(value.name)) this.renamed.set(value.name, out);
    else this.nodes.push({ name: out, op_type: 'Identity', input: [value.name], output: [out], attribute: [] });
    this.outputs.push(valueInfo(out, value.shape, DataType.FLOAT));
  }

  /** The values the finished graph computes (set by `finish`). */
  private live: Set<string> | undefined;

  /**
   * The nodes with the outputs' renames applied, less those no graph output depends on, and the
   * initializers likewise (call once the graph is complete). ONNX Runtime runs a node nobody reads:
   * the Expand a gradient rule made before its consumer read the value unexpanded (see `mul`) was
   * a pass over the MNIST output at every step.
   */
  finish(): NodeMessage[] {
    const rename = (name: string) => this.renamed.get(name) ?? name;
    const nodes = this.nodes.map((n) => ({ ...n, input: n.input.map(rename), output: n.output.map(rename) }));
    const needed = new Set(this.outputs.map((o) => o.name));
    const kept: NodeMessage[] = [];
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i]!;
      if (!node.output.some((o) => needed.has(o))) continue;
      kept.push(node);
      for (const input of node.input) needed.add(input);
    }
    this.live = needed;
    const initializers = this.initializers.filter((t) => needed.has(t.name));
    this.initializers.splice(0, this.initializers.length, ...initializers);
    return kept.reverse();
  }

  private readonly memos = new Map<string, Sym>();

  /** The value `make` gives the first time `key` is asked for, that same value after (its node
   *  comes before every later reader's, as nodes are emitted in order). */
  memo(key: string, make: () => Sym): Sym {
    let value = this.memos.get(key);
    if (!value) this.memos.set(key, (value = make()));
    return value;
  }

  /** A float scalar constant, made once per value (and rank: see `broadcastable`). */
  scalar(value: number, rank = 0): Sym {
    const key = rank === 0 ? value : `${value}@${rank}`;
    const known = this.scalars.get(key);
    if (known) return known;
    const name = this.unique(rank === 0 ? `const_${value}` : `const_${value}_r${rank}`);
    const shape = Array<number>(rank).fill(1);
    this.initializers.push({ name, dims: shape, data_type: DataType.FLOAT, raw_data: new Uint8Array(Float32Array.of(value).buffer) });
    const sym = { name, shape, varying: false };
    this.scalars.set(key, sym);
    this.scalarValues.set(name, value);
    return sym;
  }

  /**
   * The inputs of a broadcasting elementwise op with each scalar constant given the rank of the
   * op's largest input: ONNX Runtime broadcasts a rank-0 scalar against a value whose last
   * dimension is 1 ([batch, 28, 28, 1]) element by element, 50× slower than against [1, 1, 1, 1].
   */
  private broadcastable(op: string, inputs: readonly Sym[]): readonly Sym[] {
    if (!BROADCASTING.has(op)) return inputs;
    const rank = Math.max(...inputs.map((i) => i.shape.length));
    if (rank < 2) return inputs;
    return inputs.map((i) => {
      const value = i.shape.length === 0 ? this.scalarValues.get(i.name) : undefined;
      return value === undefined ? i : this.scalar(value, rank);
    });
  }

  /** A constant float tensor (a fixed matrix such as an identity). */
  floats(base: string, shape: number[], values: Float32Array): Sym {
    const name = this.unique(base);
    this.initializers.push({ name, dims: shape, data_type: DataType.FLOAT, raw_data: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) });
    return { name, shape, varying: false };
  }

  /** An int64 vector constant (axes, shapes), made once per value. */
  int64s(values: readonly number[]): Sym {
    const key = values.join(',');
    const known = this.int64Constants.get(key);
    if (known) return known;
    const name = this.unique(`ints_${key.replace(/-/g, 'm').replace(/,/g, '_') || 'empty'}`);
    this.initializers.push({ name, dims: [values.length], data_type: DataType.INT64, raw_data: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) });
    const sym = { name, shape: [values.length], varying: false };
    this.int64Constants.set(key, sym);
    return sym;
  }

  /**
   * Emits one ONNX node. With a rule and a varying input, the node joins the tape; without a rule a
   * varying input is an error (a primitive that cannot be differentiated sits on a gradient path).
   */
  emit(op: string, inputs: readonly Sym[], shape: readonly Dim[], options: { attributes?: AttributeMessage[]; rule?: GradientRule; base?: string; merged?: boolean } = {}): Sym {
    const name = this.unique(options.base ?? op.toLowerCase());
    this.nodes.push({ name, op_type: op, input: this.broadcastable(op, inputs).map((i) => i.name), output: [name], attribute: options.attributes ?? [] });
    const varying = options.rule !== undefined && inputs.some((i) => i.varying);
    const output = this.shaped({ name, shape, varying }, options.merged ?? inputs.some((i) => i.merged));
    if (varying) this.tape.push({ output, inputs, rule: options.rule! });
    return output;
  }

  /** Like emit, for an op with a second output that has no gradient (MaxPool's indices). */
  emitWithSecond(op: string, inputs: readonly Sym[], shapes: [readonly Dim[], readonly Dim[]], options: { attributes?: AttributeMessage[]; rule?: GradientRule; base?: string }): [Sym, Sym] {
    const first = this.emit(op, inputs, shapes[0], options);
    const second = this.unique(`${first.name}:second`);
    this.nodes[this.nodes.length - 1]!.output.push(second);
    return [first, { name: second, shape: shapes[1], varying: false }];
  }

  /**
   * Emits one ONNX node with several outputs (Split), whose rule receives every output's gradient
   * at once: an unstack over 512 steps has one backward node, not 512 pads of the whole sequence.
   */
  emitMulti(op: string, inputs: readonly Sym[], shapes: readonly (readonly Dim[])[], options: { attributes?: AttributeMessage[]; rule: MultiGradientRule; base?: string }): Sym[] {
    const base = this.unique(options.base ?? op.toLowerCase());
    const names = shapes.map((_, i) => (i === 0 ? base : this.unique(`${base}:${i}`)));
    this.nodes.push({ name: base, op_type: op, input: inputs.map((i) => i.name), output: names, attribute: options.attributes ?? [] });
    const varying = inputs.some((i) => i.varying);
    const merged = inputs.some((i) => i.merged);
    const outputs = shapes.map((shape, i) => this.shaped({ name: names[i]!, shape, varying }, merged));
    if (varying) this.tape.push({ outputs, inputs, multiRule: options.rule });
    return outputs;
  }

  /**
   * Records `value`'s shape for the model's value_info, the batch named as the inputs name it,
   * unless its unknown dimension is something else (`merged`). ONNX Runtime infers no shape
   * through a Reshape or Expand to a computed shape and names each such dimension anew, and its
   * memory planner compares every value with each freed buffer of another shape: a session of an
   * LSTM unrolled over 32 steps took 12 s to plan, quadratic in the steps; with the shapes, < 1 s.
   */
  private shaped(value: Sym, merged: boolean): Sym {
    if (merged) return { ...value, merged: true };
    if (value.shape.every((d) => d !== undefined)) this.shapes.push(valueInfo(value.name, value.shape, DataType.FLOAT));
    return value;
  }

  /** The value_info of the finished graph: the recorded shapes of values that are not graph outputs. */
  valueInfo(): ValueInfoMessage[] {
    const outputs = new Set(this.outputs.map((o) => o.name));
    const live = (name: string) => this.live === undefined || this.live.has(name);
    return this.shapes.filter((v) => !outputs.has(this.renamed.get(v.name) ?? v.name) && !outputs.has(v.name) && live(v.name)).map((v) => ({ ...v, name: this.renamed.get(v.name) ?? v.name }));
  }

  /** Like emit, for an op with no gradient (shapes, masks, noise): its output never varies. */
  constant(op: string, inputs: readonly Sym[], shape: readonly Dim[], attributes: AttributeMessage[] = []): Sym {
    const name = this.unique(op.toLowerCase());
    this.nodes.push({ name, op_type: op, input: this.broadcastable(op, inputs).map((i) => i.name), output: [name], attribute: attributes });
    return inputs.some((i) => i.merged) ? { name, shape, varying: false, merged: true } : { name, shape, varying: false };
  }

  /**
   * `value`, computed by untaped nodes from `inputs`, with `rule` as its gradient (a custom
   * gradient, as tf.customGrad): a composite whose own rule is cheaper than its parts' together.
   */
  withGradient(value: Sym, inputs: readonly Sym[], rule: GradientRule): Sym {
    if (!inputs.some((i) => i.varying)) return value;
    const output = { ...value, varying: true };
    this.tape.push({ output, inputs, rule });
    return output;
  }

  /**
   * Reverse mode: the gradient of the scalar `loss` with respect to each of `wrt` (null where
   * the loss does not depend on it). Gradients reaching a value twice are summed.
   */
  gradients(loss: Sym, wrt: readonly Sym[], add: (a: Sym, b: Sym) => Sym, ones: (like: Sym) => Sym): (Sym | null)[] {
    const grads = new Map<string, Sym>([[loss.name, ones(loss)]]);
    const accumulate = (value: Sym, gradient: Sym) => {
      const known = grads.get(value.name);
      grads.set(value.name, known ? add(known, gradient) : gradient);
    };
    // New tape entries made while differentiating (gradient rules use primitives) are not walked.
    const entries = this.tape.slice();
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i]!;
      let inputGradients: (Sym | null)[];
      if ('multiRule' in entry) {
        const gradients = entry.outputs.map((o) => grads.get(o.name) ?? null);
        if (gradients.every((d) => d === null)) continue;
        inputGradients = entry.multiRule(gradients);
      } else {
        const gradient = grads.get(entry.output.name);
        if (!gradient) continue;
        inputGradients = entry.rule(gradient);
      }
      entry.inputs.forEach((input, k) => {
        const g = inputGradients[k];
        if (input.varying && g) accumulate(input, g);
      });
    }
    return wrt.map((w) => grads.get(w.name) ?? null);
  }
}

/** The ops that broadcast their inputs against each other, elementwise. */
const BROADCASTING = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Where', 'Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'PRelu']);

function valueInfo(name: string, shape: readonly Dim[], elemType: number): ValueInfoMessage {
  const dim = shape.map((d) => (d === null ? { dim_param: 'batch' } : { dim_value: d }));
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}
