// ONNX lowerings of the sequence ops (aelang's sequences are [batch, steps, channels], layout
// 'plain'). Convolutions run as 1-D Conv / ConvTranspose on [batch, channels, steps]; LSTM and GRU
// are ONNX's LSTM and GRU ops (gates reordered for LSTM, linear_before_reset = 1 for Keras's
// reset-after GRU); pooling over steps runs the image lowerings on [batch, steps, 1, channels].
import type { IRModel, IRNode } from '../../ir/types.js';
import { transposedConvGeometry, windowPads } from '../../onnx/geometry.js';
import { GATE_ORDER, gateBias, gateMajor } from '../recurrent.js';
import { asImageNode, asImageShape } from '../sequence-nodes.js';
import { ExportError, storedParameter } from '../weights.js';
import { attr, type Value } from './graph.js';
import type { LoweringContext } from './ops.js';

type Lower<Op extends IRNode['op']> = (node: Extract<IRNode, { op: Op }>, inputs: Value[], ctx: LoweringContext) => Value;

const NWC_NCW = [0, 2, 1];

function steps(ctx: LoweringContext, id: string): number {
  const shape = ctx.shapes.get(id);
  if (!shape || shape.length !== 3) throw new ExportError(`node '${ctx.node.id}' (${ctx.node.op}): input '${id}' is not a sequence`);
  return shape[1] as number;
}

/** The stored values behind a role, as a new initializer converted by `convert` (recurrent weights are never tied). */
function converted(ctx: LoweringContext, role: 'kernel' | 'recurrent_kernel' | 'bias', name: string, convert: (values: Float32Array, shape: number[]) => { shape: number[]; values: Float32Array }): string {
  const { stored } = storedParameter(ctx.ir, ctx.node, role);
  const tensor = ctx.weights.get(stored.id);
  if (!tensor) throw new ExportError(`the weights have no tensor '${stored.id}'`);
  const out = convert(tensor.values, tensor.shape);
  return ctx.graph.floats(name, out.shape, out.values);
}

/** The initializer of a stored kernel, permuted (tied deconv1d reads its conv1d's). */
function kernel(ctx: LoweringContext, perm: number[]): string {
  const { stored } = storedParameter(ctx.ir, ctx.node, 'kernel');
  const tensor = ctx.weights.get(stored.id);
  if (!tensor) throw new ExportError(`the weights have no tensor '${stored.id}'`);
  const name = ctx.graph.initializerFor(stored.id, () => ctx.graph.floats(stored.id, stored.shape, tensor.values));
  return ctx.graph.transposed(name, perm, `${name}:oik`);
}

function bias(ctx: LoweringContext): string[] {
  if (!ctx.node.params?.bias) return [];
  const { stored } = storedParameter(ctx.ir, ctx.node, 'bias');
  const tensor = ctx.weights.get(stored.id)!;
  return [ctx.graph.initializerFor(stored.id, () => ctx.graph.floats(stored.id, stored.shape, tensor.values))];
}

export function sequenceLowerings(activation: (value: Value, spec: Extract<IRNode, { op: 'conv1d' }>['attrs']['activation'], ctx: LoweringContext) => Value, image: ImageLowerings) {
  const backToSteps = (ctx: LoweringContext, ncw: string) => ctx.graph.add('Transpose', [ncw], `${ctx.node.id}.nwc`, [attr.ints('perm', NWC_NCW)]);
  const conv1d: Lower<'conv1d'> = (node, [x], ctx) => {
    const g = ctx.graph;
    const input = g.add('Transpose', [x!.name], `${node.id}.ncw`, [attr.ints('perm', NWC_NCW)]);
    // [k, in, out] → [out, in, k]
    const [top, , bottom] = windowPads(node.attrs.padding, [steps(ctx, node.inputs[0]!), 1], [node.attrs.kernel, 1], [node.attrs.stride, 1]);
    const y = g.add('Conv', [input, kernel(ctx, [2, 1, 0]), ...bias(ctx)], `${node.id}.conv`, [
      attr.ints('kernel_shape', [node.attrs.kernel]),
      attr.ints('strides', [node.attrs.stride]),
      attr.ints('pads', [top, bottom]),
    ]);
    return activation({ name: backToSteps(ctx, y), layout: 'plain' }, node.attrs.activation, ctx);
  };
  const deconv1d: Lower<'deconv1d'> = (node, [x], ctx) => {
    const g = ctx.graph;
    const input = g.add('Transpose', [x!.name], `${node.id}.ncw`, [attr.ints('perm', NWC_NCW)]);
    const { pads, outputPadding } = transposedConvGeometry(node.attrs.padding, [steps(ctx, node.inputs[0]!), 1], [node.shape[1] as number, 1], [node.attrs.kernel, 1], [node.attrs.stride, 1]);
    // [k, out, in] → ConvTranspose's [in, out, k]
    const y = g.add('ConvTranspose', [input, kernel(ctx, [2, 1, 0]), ...bias(ctx)], `${node.id}.deconv`, [
      attr.ints('kernel_shape', [node.attrs.kernel]),
      attr.ints('strides', [node.attrs.stride]),
      attr.ints('pads', [pads[0], pads[2]]),
      attr.ints('output_padding', [outputPadding[0]]),
    ]);
    return activation({ name: backToSteps(ctx, y), layout: 'plain' }, node.attrs.activation, ctx);
  };
  const recurrent = (op: 'LSTM' | 'GRU') => (node: Extract<IRNode, { op: 'lstm' | 'gru' }>, [x]: Value[], ctx: LoweringContext): Value => {
    const g = ctx.graph;
    const id = node.id;
    const units = node.attrs.units;
    const order = op === 'LSTM' ? GATE_ORDER.onnx.lstm : GATE_ORDER.onnx.gru;
    const withDirection = (t: { shape: number[]; values: Float32Array }) => ({ shape: [1, ...t.shape], values: t.values });
    const w = converted(ctx, 'kernel', `${id}.W`, (values, shape) => withDirection(gateMajor({ shape, values }, order)));
    const r = converted(ctx, 'recurrent_kernel', `${id}.R`, (values, shape) => withDirection(gateMajor({ shape, values }, order)));
    // B = [Wb, Rb]: LSTM's one Keras bias is Wb (Rb zeros); the GRU's [2, 3u] is [input, recurrent].
    const b = converted(ctx, 'bias', `${id}.B`, (values) => {
      const gates = order.length * units;
      const out = new Float32Array(2 * gates);
      if (op === 'LSTM') out.set(gateBias(values, order), 0);
      else {
        out.set(gateBias(values.subarray(0, gates), order), 0);
        out.set(gateBias(values.subarray(gates), order), gates);
      }
      return { shape: [1, 2 * gates], values: out };
    });
    const timeMajor = g.add('Transpose', [x!.name], `${id}.tbc`, [attr.ints('perm', [1, 0, 2])]);
    const all = g.unique(`${id}.Y`);
    const last = g.unique(`${id}.Y_h`);
    const attributes = [attr.int('hidden_size', units), ...(op === 'GRU' ? [attr.int('linear_before_reset', 1)] : [])];
    g.nodes.push({ name: all, op_type: op, input: [timeMajor, w, r, b], output: [all, last], attribute: attributes });
    if (!node.attrs.sequences) return { name: g.add('Squeeze', [last, g.int64s(`${id}.axis0`, [0])], id), layout: 'plain' };
    // Y is [steps, directions, batch, units].
    const squeezed = g.add('Squeeze', [all, g.int64s(`${id}.axis1`, [1])], `${id}.steps`);
    return { name: g.add('Transpose', [squeezed], id, [attr.ints('perm', [1, 0, 2])]), layout: 'plain' };
  };
  const repeat_vector: Lower<'repeat_vector'> = (node, [x], ctx) => {
    const g = ctx.graph;
    const one = g.add('Unsqueeze', [x!.name, g.int64s(`${node.id}.axis1`, [1])], `${node.id}.one`);
    return { name: g.add('Tile', [one, g.int64s(`${node.id}.repeats`, [1, node.attrs.steps, 1])], node.id), layout: 'plain' };
  };
  const dense_per_step: Lower<'dense_per_step'> = (node, [x], ctx) => {
    const g = ctx.graph;
    const { stored, transposed } = storedParameter(ctx.ir, node, 'kernel');
    const tensor = ctx.weights.get(stored.id)!;
    const name = g.initializerFor(stored.id, () => g.floats(stored.id, stored.shape, tensor.values));
    const w = transposed ? g.transposed(name, [1, 0], `${name}:T`) : name;
    let y = g.add('MatMul', [x!.name, w], `${node.id}.matmul`);
    if (node.attrs.useBias) y = g.add('Add', [y, ...bias(ctx)], `${node.id}.linear`);
    return activation({ name: y, layout: 'plain' }, node.attrs.activation, ctx);
  };
  // Pooling over steps: the image lowerings on [batch, steps, 1, channels], then back.
  const viaImage = (node: IRNode, [x]: Value[], ctx: LoweringContext): Value => {
    const g = ctx.graph;
    const imageValue: Value = { name: g.add('Unsqueeze', [x!.name, g.int64s(`${node.id}.axis2`, [2])], `${node.id}.image`), layout: 'nhwc' };
    const ir: IRModel = { ...ctx.ir, nodes: ctx.ir.nodes.map(asImageNode) };
    const shapes = new Map([...ctx.shapes].map(([id, shape]) => [id, asImageShape(shape)] as const));
    const imageNode = asImageNode(node);
    const y = image[imageNode.op as 'maxpool'](imageNode as Extract<IRNode, { op: 'maxpool' }>, [imageValue], { ...ctx, ir, shapes, node: imageNode });
    return { name: g.add('Squeeze', [g.nhwc(y), g.int64s(`${node.id}.axis2s`, [2])], node.id), layout: 'plain' };
  };
  return {
    conv1d,
    deconv1d,
    lstm: recurrent('LSTM') as Lower<'lstm'>,
    gru: recurrent('GRU') as Lower<'gru'>,
    repeat_vector,
    dense_per_step,
    maxpool1d: viaImage as Lower<'maxpool1d'>,
    avgpool1d: viaImage as Lower<'avgpool1d'>,
    unpool1d: viaImage as Lower<'unpool1d'>,
    upsample1d: viaImage as Lower<'upsample1d'>,
  };
}

type ImageLowerings = { [K in 'maxpool' | 'avgpool' | 'unpool' | 'upsample']: (node: Extract<IRNode, { op: K }>, inputs: Value[], ctx: LoweringContext) => Value };
