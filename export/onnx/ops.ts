// The lowering table: one function per IR op, writing its inference-mode computation as ONNX nodes
// (opset 17). Ops that only act in training (corruptions, dropout, clip) and a Gaussian latent (its
// mean in inference) pass their input through. Weights are initializers in aelang's layouts, turned
// into ONNX's by Transpose nodes, one per stored tensor and layout: a tied pair reads one initializer.
import type { ActivationSpec, IRModel, IRNode, ParameterRole, Shape } from '../../ir/types.js';
import { transposedConvGeometry, windowPads as pads } from '../../onnx/geometry.js';
import { ExportError, storedParameter, type Weights } from '../weights.js';
import { attr, type OnnxGraph, type Value } from './graph.js';
import { DataType } from '../../onnx/proto.js';
import { sequenceLowerings } from './sequences.js';

export interface LoweringContext {
  graph: OnnxGraph;
  ir: IRModel;
  weights: Weights;
  node: IRNode;
  /** Shapes (batch dimension null) of every node and input, by id. */
  shapes: ReadonlyMap<string, Shape>;
  /** For each maxpool an unpool reads switches from: its Indices output and its (NCHW) input. */
  switches: Map<string, { indices: string; input: string }>;
}

type Lowering<N extends IRNode> = (node: N, inputs: Value[], ctx: LoweringContext) => Value;
type LoweringTable = { [K in IRNode['op']]: Lowering<Extract<IRNode, { op: K }>> };

const KERNEL_TO_ONNX = [3, 2, 0, 1]; // [kh, kw, a, b] → [b, a, kh, kw]

/** The initializer holding the stored tensor behind `role` (added on first use). */
function weight(ctx: LoweringContext, role: ParameterRole): { name: string; transposed: boolean; shape: number[] } {
  const { stored, transposed } = storedParameter(ctx.ir, ctx.node, role);
  const values = ctx.weights.get(stored.id);
  if (!values) throw new ExportError(`the weights have no tensor '${stored.id}'`);
  const name = ctx.graph.initializerFor(stored.id, () => ctx.graph.floats(stored.id, stored.shape, values.values));
  return { name, transposed, shape: stored.shape };
}

function hasParam(node: IRNode, role: ParameterRole): boolean {
  return node.params?.[role] !== undefined;
}

function spatial(ctx: LoweringContext, id: string): [number, number] {
  const shape = ctx.shapes.get(id);
  if (!shape || shape.length !== 4) throw new ExportError(`node '${ctx.node.id}' (${ctx.node.op}): input '${id}' is not an image`);
  return [shape[1] as number, shape[2] as number];
}

function activation(value: Value, spec: ActivationSpec, ctx: LoweringContext): Value {
  const g = ctx.graph;
  const out = ctx.node.id;
  const unary = (op: string, attributes = [] as ReturnType<typeof attr.float>[]) => ({ name: g.add(op, [value.name], out, attributes), layout: value.layout });
  switch (spec.fn) {
    case 'linear':
      return value;
    case 'relu':
      return unary('Relu');
    case 'tanh':
      return unary('Tanh');
    case 'sigmoid':
      return unary('Sigmoid');
    case 'leaky_relu':
      return unary('LeakyRelu', [attr.float('alpha', spec.alpha ?? 0.2)]);
    case 'elu':
      return unary('Elu', [attr.float('alpha', 1)]);
    case 'softplus':
      return unary('Softplus');
    case 'gelu': {
      // x·Φ(x) = x · ½ · (1 + erf(x / √2)), as the runtime computes it (opset 17 has no Gelu).
      const scaled = g.add('Div', [value.name, g.floats(`${out}.sqrt2`, [], [Math.SQRT2])], `${out}.gelu.scaled`);
      const cdf = g.add('Add', [g.add('Erf', [scaled], `${out}.gelu.erf`), g.floats(`${out}.one`, [], [1])], `${out}.gelu.cdf`);
      const half = g.add('Mul', [value.name, g.floats(`${out}.half`, [], [0.5])], `${out}.gelu.half`);
      return { name: g.add('Mul', [half, cdf], out), layout: value.layout };
    }
    case 'softmax': {
      // Over the last axis of aelang's layout (channels for an image).
      const x = g.nhwc(value);
      return { name: g.add('Softmax', [x], out, [attr.int('axis', -1)]), layout: value.layout === 'plain' ? 'plain' : 'nhwc' };
    }
  }
}

/** Flattens a rank > 2 value to [batch, features] in aelang's (NHWC) element order. */
function flat(value: Value, ctx: LoweringContext, rank: number): string {
  if (rank <= 2) return value.name;
  return ctx.graph.add('Flatten', [ctx.graph.nhwc(value)], `${ctx.node.id}.flat`, [attr.int('axis', 1)]);
}

function rankOf(ctx: LoweringContext, id: string): number {
  return ctx.shapes.get(id)?.length ?? 2;
}

const passThrough = <N extends IRNode>(_node: N, [x]: Value[]): Value => x!;

const imageLowerings = {} as Pick<LoweringTable, 'maxpool' | 'avgpool' | 'unpool' | 'upsample'>;

export const lowerings: LoweringTable = {
  ...sequenceLowerings(activation, imageLowerings),
  dense: (node, [x], ctx) => {
    const g = ctx.graph;
    const kernel = weight(ctx, 'kernel');
    const w = kernel.transposed ? g.transposed(kernel.name, [1, 0], `${kernel.name}:T`) : kernel.name;
    let y = g.add('MatMul', [flat(x!, ctx, rankOf(ctx, node.inputs[0]!)), w], `${node.id}.matmul`);
    if (node.attrs.useBias) y = g.add('Add', [y, weight(ctx, 'bias').name], `${node.id}.linear`);
    return activation({ name: y, layout: 'plain' }, node.attrs.activation, ctx);
  },
  conv2d: (node, [x], ctx) => {
    const g = ctx.graph;
    const kernel = weight(ctx, 'kernel');
    const w = g.transposed(kernel.name, KERNEL_TO_ONNX, `${kernel.name}:oihw`);
    const inputs = [g.nchw(x!), w, ...(hasParam(node, 'bias') ? [weight(ctx, 'bias').name] : [])];
    const y = g.add('Conv', inputs, `${node.id}.linear`, [
      attr.ints('kernel_shape', node.attrs.kernel),
      attr.ints('strides', node.attrs.stride),
      attr.ints('pads', pads(node.attrs.padding, spatial(ctx, node.inputs[0]!), node.attrs.kernel, node.attrs.stride)),
    ]);
    return activation({ name: y, layout: 'nchw' }, node.attrs.activation, ctx);
  },
  deconv2d: (node, [x], ctx) => {
    // tfjs's conv2dTranspose is the gradient of a convolution from the output shape to the input
    // shape: the padding is that convolution's, and output_padding makes up what strides leave.
    const g = ctx.graph;
    const kernel = weight(ctx, 'kernel');
    const w = g.transposed(kernel.name, KERNEL_TO_ONNX, `${kernel.name}:oihw`);
    const input = spatial(ctx, node.inputs[0]!);
    const output = [node.shape[1] as number, node.shape[2] as number] as [number, number];
    const { pads: p, outputPadding } = transposedConvGeometry(node.attrs.padding, input, output, node.attrs.kernel, node.attrs.stride);
    const inputs = [g.nchw(x!), w, ...(hasParam(node, 'bias') ? [weight(ctx, 'bias').name] : [])];
    const y = g.add('ConvTranspose', inputs, `${node.id}.linear`, [
      attr.ints('kernel_shape', node.attrs.kernel),
      attr.ints('strides', node.attrs.stride),
      attr.ints('pads', p),
      attr.ints('output_padding', outputPadding),
    ]);
    return activation({ name: y, layout: 'nchw' }, node.attrs.activation, ctx);
  },
  maxpool: (node, [x], ctx) => {
    const g = ctx.graph;
    const input = g.nchw(x!);
    const attributes = [
      attr.ints('kernel_shape', node.attrs.pool),
      attr.ints('strides', node.attrs.stride),
      attr.ints('pads', pads(node.attrs.padding, spatial(ctx, node.inputs[0]!), node.attrs.pool, node.attrs.stride)),
    ];
    const read = ctx.ir.nodes.some((n) => n.op === 'unpool' && n.attrs.mode === 'switches' && n.attrs.switchesFrom === node.id);
    if (!read) return { name: g.add('MaxPool', [input], node.id, attributes), layout: 'nchw' };
    // The switches: where each window's (first) maximum sits, as MaxPool's Indices output.
    const y = g.unique(node.id);
    const indices = g.unique(`${node.id}:switches`);
    g.nodes.push({ name: y, op_type: 'MaxPool', input: [input], output: [y, indices], attribute: attributes });
    ctx.switches.set(node.id, { indices, input });
    return { name: y, layout: 'nchw' };
  },
  avgpool: (node, [x], ctx) => {
    // TensorFlow's average leaves padding out of the count, as ONNX's count_include_pad = 0 does.
    const attributes = [
      attr.ints('kernel_shape', node.attrs.pool),
      attr.ints('strides', node.attrs.stride),
      attr.ints('pads', pads(node.attrs.padding, spatial(ctx, node.inputs[0]!), node.attrs.pool, node.attrs.stride)),
      attr.int('count_include_pad', 0),
    ];
    return { name: ctx.graph.add('AveragePool', [ctx.graph.nchw(x!)], node.id, attributes), layout: 'nchw' };
  },
  unpool: (node, [x], ctx) => {
    if (node.attrs.mode === 'switches') {
      // Each value back where its window's maximum was (MaxUnpool over the maxpool's input shape),
      // then fitted to this node's shape as the runtime does.
      const pool = ctx.ir.nodes.find((n) => n.id === node.attrs.switchesFrom);
      const recorded = ctx.switches.get(node.attrs.switchesFrom ?? '');
      if (pool?.op !== 'maxpool' || !recorded) throw new ExportError(`node '${node.id}' (unpool): maxpool '${node.attrs.switchesFrom}' recorded no switches`);
      const g = ctx.graph;
      const shape = g.add('Shape', [recorded.input], `${node.id}.shape`);
      const placed = g.add('MaxUnpool', [g.nchw(x!), recorded.indices, shape], `${node.id}.placed`, [attr.ints('kernel_shape', pool.attrs.pool), attr.ints('strides', pool.attrs.stride)]);
      return fitWindows(ctx, placed, spatial(ctx, pool.inputs[0]!), [node.shape[1] as number, node.shape[2] as number]);
    }
    const [h, w] = spatial(ctx, node.inputs[0]!);
    const grown = repeat(ctx, x!, node.attrs.pool);
    return fitWindows(ctx, grown, [h * node.attrs.pool[0], w * node.attrs.pool[1]], [node.shape[1] as number, node.shape[2] as number]);
  },
  upsample: (node, [x], ctx) => ({ name: ctx.graph.add('Identity', [repeat(ctx, x!, node.attrs.factor)], node.id), layout: 'nchw' }),
  flatten: (node, [x], ctx) => ({ name: ctx.graph.add('Flatten', [ctx.graph.nhwc(x!)], node.id, [attr.int('axis', 1)]), layout: 'plain' }),
  reshape: (node, [x], ctx) => {
    const g = ctx.graph;
    const shape = g.int64s(`${node.id}.shape`, [0, ...node.attrs.target]);
    return { name: g.add('Reshape', [g.nhwc(x!), shape], node.id), layout: node.attrs.target.length === 3 ? 'nhwc' : 'plain' };
  },
  dropout: passThrough,
  one_hot: (node, [labels], ctx) => {
    const g = ctx.graph;
    const depth = g.int64s(`${node.id}.depth`, [node.attrs.depth]);
    const values = g.floats(`${node.id}.values`, [2], [0, 1]);
    return { name: g.add('OneHot', [labels!.name, depth, values], node.id, [attr.int('axis', -1)]), layout: 'plain' };
  },
  table_output: (node, [logits], ctx) => {
    // Numeric slots as they are, a softmax over each categorical column's slots (runtime/program/ops/table.ts).
    const g = ctx.graph;
    const widths = node.attrs.columns;
    if (widths.every((w) => w === 1)) return { name: g.add('Identity', [logits!.name], node.id), layout: 'plain' };
    const slices = widths.map((_, i) => g.unique(`${node.id}.column${i}`));
    g.nodes.push({ name: g.unique(`${node.id}.split`), op_type: 'Split', input: [logits!.name, g.int64s(`${node.id}.widths`, widths)], output: slices, attribute: [attr.int('axis', -1)] });
    const columns = slices.map((slice, i) => (widths[i] === 1 ? slice : g.add('Softmax', [slice], `${slice}.softmax`, [attr.int('axis', -1)])));
    return { name: g.add('Concat', columns, node.id, [attr.int('axis', -1)]), layout: 'plain' };
  },
  concat: (node, inputs, ctx) => ({ name: ctx.graph.add('Concat', inputs.map((v) => v.name), node.id, [attr.int('axis', -1)]), layout: 'plain' }),
  batchnorm: (node, [x], ctx) => {
    const g = ctx.graph;
    const input = rankOf(ctx, node.inputs[0]!) === 4 ? g.nchw(x!) : x!.name;
    const roles = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;
    const y = g.add('BatchNormalization', [input, ...roles.map((r) => weight(ctx, r).name)], node.id, [attr.float('epsilon', node.attrs.epsilon)]);
    return { name: y, layout: rankOf(ctx, node.inputs[0]!) === 4 ? 'nchw' : x!.layout };
  },
  layernorm: (node, [x], ctx) => {
    const g = ctx.graph;
    const width = node.shape[node.shape.length - 1] as number;
    const scale = hasParam(node, 'gamma') ? weight(ctx, 'gamma').name : g.floats(`${node.id}.ones`, [width], new Float32Array(width).fill(1));
    const bias = hasParam(node, 'beta') ? [weight(ctx, 'beta').name] : [];
    const y = g.add('LayerNormalization', [g.nhwc(x!), scale, ...bias], node.id, [attr.int('axis', -1), attr.float('epsilon', node.attrs.epsilon)]);
    return { name: y, layout: x!.layout === 'plain' ? 'plain' : 'nhwc' };
  },
  activation: (node, [x], ctx) => activation(x!, node.attrs, ctx),
  gaussian_sample: passThrough,
  vector_quantize: (node, [z], ctx) => {
    // The nearest codebook row by squared distance |z|² − 2 z·c + |c|², as the runtime computes it.
    const g = ctx.graph;
    const id = node.id;
    const codebook = weight(ctx, 'codebook').name;
    const input = g.nhwc(z!);
    const rows = g.add('Reshape', [input, g.int64s(`${id}.rows`, [-1, node.attrs.dim])], `${id}.rows`);
    const axis1 = g.int64s(`${id}.axis1`, [1]);
    const zz = g.add('ReduceSum', [g.add('Mul', [rows, rows], `${id}.z2`), axis1], `${id}.z2sum`, [attr.int('keepdims', 1)]);
    const zc = g.add('MatMul', [rows, g.transposed(codebook, [1, 0], `${codebook}:T`)], `${id}.zc`);
    const cc = g.add('ReduceSum', [g.add('Mul', [codebook, codebook], `${id}.c2`), axis1], `${id}.c2sum`, [attr.int('keepdims', 0)]);
    const distance = g.add('Add', [g.add('Sub', [zz, g.add('Mul', [zc, g.floats(`${id}.two`, [], [2])], `${id}.2zc`)], `${id}.d0`), cc], `${id}.distance`);
    const codes = g.add('ArgMin', [distance], `${id}.codes`, [attr.int('axis', 1), attr.int('keepdims', 0)]);
    const quantized = g.add('Gather', [codebook, codes], `${id}.quantized`, [attr.int('axis', 0)]);
    const y = g.add('Reshape', [quantized, g.add('Shape', [input], `${id}.shape`)], id);
    return { name: y, layout: z!.layout === 'plain' ? 'plain' : 'nhwc' };
  },
  binarize: (node, [x], ctx) => {
    const g = ctx.graph;
    const positive = g.add('Greater', [x!.name, g.floats(`${node.id}.zero`, [], [0])], `${node.id}.positive`);
    return { name: g.add('Cast', [positive], node.id, [attr.int('to', DataType.FLOAT)]), layout: x!.layout };
  },
  gumbel_onehot: (node, [x], ctx) => {
    const g = ctx.graph;
    const classes = node.shape[node.shape.length - 1] as number;
    const index = g.add('ArgMax', [g.nhwc(x!)], `${node.id}.argmax`, [attr.int('axis', -1), attr.int('keepdims', 0)]);
    const y = g.add('OneHot', [index, g.int64s(`${node.id}.depth`, [classes]), g.floats(`${node.id}.values`, [2], [0, 1])], node.id, [attr.int('axis', -1)]);
    return { name: y, layout: x!.layout === 'plain' ? 'plain' : 'nhwc' };
  },
  corrupt_gaussian: passThrough,
  corrupt_mask: passThrough,
  corrupt_salt_pepper: passThrough,
  corrupt_dropout: passThrough,
  clip: passThrough,
};
Object.assign(imageLowerings, { maxpool: lowerings.maxpool, avgpool: lowerings.avgpool, unpool: lowerings.unpool, upsample: lowerings.upsample });

/** Nearest-neighbour upsampling by an integer factor (floor(i / f): the runtime's half-pixel index). */
function repeat(ctx: LoweringContext, x: Value, [fh, fw]: [number, number]): string {
  const g = ctx.graph;
  const input = g.nchw(x);
  if (fh === 1 && fw === 1) return input;
  return g.add('Resize', [input, '', g.floats(`${ctx.node.id}.scales`, [4], [1, 1, fh, fw])], `${ctx.node.id}.repeat`, [
    attr.string('mode', 'nearest'),
    attr.string('coordinate_transformation_mode', 'asymmetric'),
    attr.string('nearest_mode', 'floor'),
  ]);
}

/** The runtime's fitWindows: crop (centred, the extra cell at the end) or zero-pad at the end. */
function fitWindows(ctx: LoweringContext, x: string, from: [number, number], to: [number, number]): Value {
  const g = ctx.graph;
  const id = ctx.node.id;
  let y = x;
  const grow = [0, 1].map((axis) => Math.max(to[axis]! - from[axis]!, 0));
  const shrink = [0, 1].map((axis) => Math.max(from[axis]! - to[axis]!, 0));
  if (shrink.some((d) => d > 0)) {
    const starts = shrink.map((d) => Math.floor(d / 2));
    const ends = [0, 1].map((axis) => starts[axis]! + Math.min(to[axis]!, from[axis]!));
    y = g.add('Slice', [y, g.int64s(`${id}.starts`, starts), g.int64s(`${id}.ends`, ends), g.int64s(`${id}.axes`, [2, 3])], `${id}.crop`);
  }
  if (grow.some((d) => d > 0)) y = g.add('Pad', [y, g.int64s(`${id}.pads`, [0, 0, 0, 0, 0, 0, grow[0]!, grow[1]!])], `${id}.pad`);
  return { name: g.add('Identity', [y], id), layout: 'nchw' };
}
