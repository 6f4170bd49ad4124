// The graph under construction: nodes in topological order with their parameters. A layer is added
// through its op's declaration (shape rule, parameters, attrs); a shape error is reported at the
// layer's call and the caller stops that part of the graph (later shapes would only echo it).
import type { Call, SourceRange } from '../../grammar/ast.js';
import type { ActivationSpec, IRNode, IROpAttrs, IRParameter, IRSourceLocation, ParameterRole, Shape, ModelPart } from '../../ir/types.js';
import type { LayerOp, ParamSpec, ShapeContext } from '../shapes/layers.js';
import type { BoundArgs } from '../shapes/signature.js';
import { rangeOf, type Located, type Reporter } from '../../diagnostics/reporter.js';
import { formatShape, valuesPerSample } from '../shapes/dims.js';
import { outputRef } from '../../ir/outputs.js';
import { message, type MessageValues } from '../../diagnostics/message.js';

/** A parameter this node shares instead of owning: the stored one, seen transposed or not. */
export interface Tie {
  to: string;
  transpose: boolean;
}

export interface BuiltLayer {
  id: string;
  opName: string;
  op: LayerOp;
  args: BoundArgs;
  inputShape: Shape;
  shape: Shape;
  activation?: ActivationSpec;
  params: Partial<Record<ParameterRole, string>>;
  /** Where it was written, for diagnostics about it. */
  at: Located;
  file: string;
}

export interface AddLayerRequest {
  id: string;
  opName: string;
  op: LayerOp;
  args: BoundArgs;
  input: { id: string; shape: Shape };
  stage: ModelPart;
  at: Located;
  file: string;
  name?: string;
  layer?: number;
  context?: ShapeContext;
  ties?: Partial<Record<ParameterRole, Tie>>;
}

/** A recurrent layer (one with a recurrent kernel: `lstm`, `gru`) as built: what it reads and the
 *  call it was built from (a mirror's is its twin's). */
export interface RecurrentLayer {
  op: string;
  input: Shape;
  range: SourceRange;
  file: string;
}

export class Graph {
  readonly nodes: IRNode[] = [];
  readonly parameters: IRParameter[] = [];
  /** By id: a tied mirror looks up two per layer, and a search made 16,000 layers quadratic. */
  private parametersById: Map<string, IRParameter> | undefined;
  /** Nodes by id: the ids taken, and the lookup the tensor facts need once the graph is built. */
  private readonly nodesById = new Map<string, IRNode>();
  /** Every recurrent layer built, with the shape it reads and where it is written (AE5011's lint). */
  readonly recurrences: RecurrentLayer[] = [];

  constructor(
    private readonly reporter: Reporter,
    /** Turns a source range into the IR's location (file relative to the working directory). */
    readonly locate: (range: SourceRange, file: string) => IRSourceLocation,
  ) {}

  /** A unique id: the preferred one, or with a numeric suffix. */
  uniqueId(preferred: string): string {
    let id = preferred;
    for (let n = 2; this.nodesById.has(id); n++) id = `${preferred}_${n}`;
    return id;
  }

  addNode(node: {
    id: string;
    ir: IROpAttrs;
    inputs: string[];
    shape: Shape;
    stage: ModelPart;
    params?: Partial<Record<ParameterRole, string>>;
    name?: string;
    layer?: number;
    at?: Located;
    file?: string;
  }): string {
    const id = this.uniqueId(node.id);
    const range = node.at === undefined ? undefined : 'range' in node.at ? node.at.range : node.at;
    // The key order (id, op, inputs, attrs, the op's other keys, shape, stage, ...) keeps the JSON
    // byte-identical. The op's other keys are copied one by one, as a spread of them did: an object
    // spread after the first element of a literal is a slow call into V8's runtime, once a node.
    const ir = node.ir as unknown as Record<string, unknown>;
    const built = { id, op: node.ir.op, inputs: node.inputs, attrs: node.ir.attrs } as IRNode & Record<string, unknown>;
    for (const key in ir) if (key !== 'op' && key !== 'attrs' && Object.hasOwn(ir, key)) built[key] = ir[key];
    built.shape = node.shape;
    built.stage = node.stage;
    // The optional keys are assigned, not spread from a fresh object each: a few objects fewer per
    // node, on a file of thousands of models (the key order, hence the JSON, is the same).
    if (node.params && Object.keys(node.params).length) built.params = node.params;
    if (node.name !== undefined) built.name = node.name;
    if (node.layer !== undefined) built.layer = node.layer;
    if (range && node.file !== undefined) built.source = this.locate(range, node.file);
    this.nodes.push(built);
    this.nodesById.set(id, built);
    return id;
  }

  node(id: string): IRNode | undefined {
    return this.nodesById.get(id);
  }

  addParameters(nodeId: string, specs: readonly ParamSpec[], ties?: Partial<Record<ParameterRole, Tie>>): Partial<Record<ParameterRole, string>> {
    const ids: Partial<Record<ParameterRole, string>> = {};
    for (const spec of specs) {
      const id = `${nodeId}.${spec.role}`;
      const tie = ties?.[spec.role];
      const parameter: IRParameter = { id, node: nodeId, role: spec.role, shape: spec.shape, init: spec.init, trainable: spec.trainable };
      // Assigned last, as the spread of them was (the same key order, hence the same JSON).
      if (tie) {
        parameter.tiedTo = tie.to;
        parameter.transpose = tie.transpose;
      }
      this.parameters.push(parameter);
      ids[spec.role] = id;
    }
    return ids;
  }

  parameter(id: string): IRParameter | undefined {
    // Indexed when first asked, and then only the parameters added since: only a tied mirror asks,
    // and most models would pay a Map entry per parameter for nothing. Ids are unique, so the
    // index's size is the count of parameters it holds.
    const byId = (this.parametersById ??= new Map());
    for (let i = byId.size; i < this.parameters.length; i++) byId.set(this.parameters[i]!.id, this.parameters[i]!);
    return byId.get(id);
  }

  /** Adds one layer through its op's declaration; undefined after reporting a shape error. */
  addLayer(request: AddLayerRequest): BuiltLayer | undefined {
    const { op, args, input } = request;
    const result = op.infer(input.shape, args, request.context);
    if ('code' in result) {
      const fix = result.appendArgument && appendArgumentFix(request.at, result.appendArgument);
      this.reporter.report(result.code, request.at, result.message, { file: request.file, notes: result.notes ?? [], ...(fix ? { fix } : {}) });
      return undefined;
    }
    const specs = op.params(input.shape, args);
    const overflow = countOverflow(request.opName, result.shape, specs);
    if (overflow) {
      this.reporter.report('AE3013', request.at, message('AE3013', { ...overflow }), { file: request.file, notes: ['make the layer smaller'] });
      return undefined;
    }
    if (specs.some(isRecurrentKernel)) this.recurrences.push({ op: request.opName, input: input.shape, range: rangeOf(request.at), file: request.file });
    const id = this.uniqueId(request.id);
    const params = this.addParameters(id, specs, request.ties);
    // An unpool with switches reads them as its second input, the maxpool's named output.
    const switches = request.context?.switches;
    const inputs = switches ? [input.id, outputRef(switches.from, 'switches')] : [input.id];
    // name and layer are passed as they are: addNode writes only those that are defined.
    this.addNode({ id, ir: op.ir(input.shape, args, request.context), inputs, shape: result.shape, stage: request.stage, params, name: request.name, layer: request.layer, at: request.at, file: request.file });
    const layer: BuiltLayer = { id, opName: request.opName, op, args, inputShape: input.shape, shape: result.shape, params, at: request.at, file: request.file };
    if (op.activation) layer.activation = op.activation(args);
    return layer;
  }
}

function isRecurrentKernel(spec: ParamSpec): boolean {
  return spec.role === 'recurrent_kernel';
}

/** A fix adding `text` as the last argument of the call at `at` (when it is a call written with parentheses). */
function appendArgumentFix(at: Located, argument: { text: string; message: string }) {
  if (!('kind' in at) || (at as { kind: string }).kind !== 'Call') return undefined;
  const call = at as unknown as Call;
  if (!call.hasParens) return undefined;
  // Just before the closing parenthesis: the call's range ends after it.
  const end = { ...call.range.end, offset: call.range.end.offset - 1, column: call.range.end.column - 1 };
  const newText = call.args.length > 0 ? `, ${argument.text}` : argument.text;
  return { message: argument.message, edits: [{ range: { start: end, end }, newText }] };
}

/** Sizes past 2^53 cannot be counted exactly in a float64 (nor allocated): AE3013, before the lint
 *  about large models (AE5007) would print a rounded count. */
function countOverflow(opName: string, shape: Shape, specs: readonly ParamSpec[]): MessageValues<'AE3013'> | undefined {
  const values = valuesPerSample(shape);
  if (!Number.isSafeInteger(values)) {
    return { what: `the output of this \`${opName}\`, ${formatShape(shape)},`, things: 'values' };
  }
  for (const spec of specs) {
    const size = spec.shape.reduce((n, d) => n * d, 1);
    if (!Number.isSafeInteger(size)) {
      return { what: `the ${spec.role} of this \`${opName}\`, [${spec.shape.join(', ')}],`, things: 'values' };
    }
  }
  return undefined;
}
