// PyTorch lowerings of the sequence ops. Sequences stay [batch, steps, channels] as in aelang
// (batch_first); 1-D convolutions run on x.transpose(1, 2) ([batch, channels, steps]) and back.
// LSTM and GRU are nn.LSTM / nn.GRU with their weights in PyTorch's gate orders (LSTM i, f, g, o is
// Keras's; GRU r, z, n from Keras's z, r, h; PyTorch's GRU resets after the recurrent product, as
// Keras's reset_after). Pooling over steps runs the image lowerings on [batch, channels, steps, 1].
import type { ActivationSpec, IRNode } from '../../ir/types.js';
import { transposedConvGeometry, windowPads } from '../../onnx/geometry.js';
import { GATE_ORDER, gateBias, gateMajor } from '../recurrent.js';
import { asImageNode, asImageShape } from '../sequence-nodes.js';
import { storedParameter, type WeightTensor } from '../weights.js';
import type { PyContext, PyLowering } from './layers.js';

type Lower<Op extends IRNode['op']> = (node: Extract<IRNode, { op: Op }>, ctx: PyContext) => PyLowering;

export interface PyHelpers {
  tensorOf(ctx: PyContext, id: string): WeightTensor;
  kernel(node: IRNode, ctx: PyContext, perm: number[]): { own: boolean; expression: string; transposed: boolean };
  tiedBias(node: IRNode, ctx: PyContext, init: string[]): string;
  ownBias(node: IRNode, ctx: PyContext): void;
  activate(spec: ActivationSpec, linear: string, out: string, rank: number, id: string): Pick<PyLowering, 'forward' | 'side'>;
  image: { [K in 'maxpool' | 'avgpool' | 'unpool' | 'upsample']: (node: Extract<IRNode, { op: K }>, ctx: PyContext) => PyLowering };
}

const TO_NCW = '.transpose(1, 2)';

export function sequenceLayers(h: PyHelpers) {
  const conv1d: Lower<'conv1d'> = (node, ctx) => {
    const x = node.inputs[0]!;
    const [top, , bottom] = windowPads(node.attrs.padding, [ctx.shape(x)[1] as number, 1], [node.attrs.kernel, 1], [node.attrs.stride, 1]);
    const input = top === bottom ? `${ctx.variable(x)}${TO_NCW}` : `F.pad(${ctx.variable(x)}${TO_NCW}, (${top}, ${bottom}))`;
    const padding = top === bottom ? top : 0;
    const k = h.kernel(node, ctx, [2, 1, 0]); // [k, in, out] → [out, in, k]
    const init: string[] = [];
    let linear: string;
    if (k.own) {
      init.push(`self.${ctx.attribute(node.id)} = nn.Conv1d(${ctx.shape(x)[2]}, ${node.attrs.filters}, ${node.attrs.kernel}, stride=${node.attrs.stride}, padding=${padding}${node.params?.bias ? '' : ', bias=False'})`);
      h.ownBias(node, ctx);
      linear = `self.${ctx.attribute(node.id)}(${input})${TO_NCW}`;
    } else {
      linear = `F.conv1d(${input}, ${k.expression}, ${h.tiedBias(node, ctx, init)}, stride=${node.attrs.stride}, padding=${padding})${TO_NCW}`;
    }
    return { init, ...h.activate(node.attrs.activation, linear, ctx.variable(node.id), 3, node.id) };
  };
  const deconv1d: Lower<'deconv1d'> = (node, ctx) => {
    const x = node.inputs[0]!;
    const steps = ctx.shape(x)[1] as number;
    const output = node.shape[1] as number;
    const { kernel: size, stride } = node.attrs;
    const { pads, outputPadding } = transposedConvGeometry(node.attrs.padding, [steps, 1], [output, 1], [size, 1], [stride, 1]);
    const [top, , bottom] = pads;
    const plain = top === bottom && outputPadding[0] >= 0 && outputPadding[0] < stride;
    const k = h.kernel(node, ctx, [2, 1, 0]); // [k, out, in] → [in, out, k]
    const init: string[] = [];
    const attribute = `self.${ctx.attribute(node.id)}`;
    let bias: string;
    if (k.own) {
      const geometry = plain ? `, padding=${top}, output_padding=${outputPadding[0]}` : '';
      init.push(`${attribute} = nn.ConvTranspose1d(${ctx.shape(x)[2]}, ${node.attrs.filters}, ${size}, stride=${stride}${geometry}${node.params?.bias ? '' : ', bias=False'})`);
      h.ownBias(node, ctx);
      bias = node.params?.bias ? `${attribute}.bias` : 'None';
    } else {
      bias = h.tiedBias(node, ctx, init);
    }
    const input = `${ctx.variable(x)}${TO_NCW}`;
    let linear: string;
    if (plain) {
      linear = (k.own ? `${attribute}(${input})` : `F.conv_transpose1d(${input}, ${k.expression}, ${bias}, stride=${stride}, padding=${top}, output_padding=${outputPadding[0]})`) + TO_NCW;
    } else {
      // Uneven 'same' padding: the full transposed convolution, cut to aelang's window.
      const full = stride * (steps - 1) + size;
      const grown = Math.max(full, top + output);
      let y = `F.conv_transpose1d(${input}, ${k.expression}, None, stride=${stride})`;
      if (grown > full) y = `F.pad(${y}, (0, ${grown - full}))`;
      y = `${y}[:, :, ${top}:${top + output}]`;
      linear = `(${bias === 'None' ? y : `${y} + ${bias}.view(1, -1, 1)`})${TO_NCW}`;
    }
    return { init, ...h.activate(node.attrs.activation, linear, ctx.variable(node.id), 3, node.id) };
  };
  const recurrent = (kind: 'lstm' | 'gru') => (node: Extract<IRNode, { op: 'lstm' | 'gru' }>, ctx: PyContext): PyLowering => {
    const attribute = ctx.attribute(node.id);
    const order = GATE_ORDER.pytorch[kind];
    const weight = (role: 'kernel' | 'recurrent_kernel' | 'bias') => h.tensorOf(ctx, storedParameter(ctx.ir, node, role).stored.id);
    ctx.computedState(`${attribute}.weight_ih_l0`, gateMajor(weight('kernel'), order));
    ctx.computedState(`${attribute}.weight_hh_l0`, gateMajor(weight('recurrent_kernel'), order));
    const bias = weight('bias').values;
    const gates = order.length * node.attrs.units;
    // Keras's LSTM has one bias (PyTorch's recurrent bias is then zero); its GRU two, [input, recurrent].
    const inputBias = gateBias(bias.subarray(0, gates), order);
    const recurrentBias = kind === 'lstm' ? new Float32Array(gates) : gateBias(bias.subarray(gates), order);
    ctx.computedState(`${attribute}.bias_ih_l0`, { shape: [gates], values: inputBias });
    ctx.computedState(`${attribute}.bias_hh_l0`, { shape: [gates], values: recurrentBias });
    const id = (role: 'kernel' | 'recurrent_kernel' | 'bias') => storedParameter(ctx.ir, node, role).stored.id;
    ctx.recurrentLayout?.(attribute, kind, { kernel: id('kernel'), recurrent_kernel: id('recurrent_kernel'), bias: id('bias') });
    const channels = ctx.shape(node.inputs[0]!)[2];
    const out = ctx.variable(node.id);
    const all = `self.${attribute}(${ctx.variable(node.inputs[0]!)})[0]`;
    const layer = `self.${attribute} = nn.${kind === 'lstm' ? 'LSTM' : 'GRU'}(${channels}, ${node.attrs.units}, batch_first=True)`;
    return {
      // Keras's LSTM has no recurrent bias: PyTorch's stays at zero, out of training.
      init: kind === 'lstm' ? [layer, `self.${attribute}.bias_hh_l0.requires_grad_(False)`] : [layer],
      forward: [`${out} = ${all}${node.attrs.sequences ? '' : '[:, -1]'}`],
    };
  };
  const dense_per_step: Lower<'dense_per_step'> = (node, ctx) => {
    const x = ctx.variable(node.inputs[0]!);
    const k = h.kernel(node, ctx, [1, 0]);
    const init: string[] = [];
    let linear: string;
    if (k.own) {
      const inputs = storedParameter(ctx.ir, node, 'kernel').stored.shape[0]!;
      init.push(`self.${ctx.attribute(node.id)} = nn.Linear(${inputs}, ${node.attrs.units}${node.attrs.useBias ? '' : ', bias=False'})`);
      h.ownBias(node, ctx);
      linear = `self.${ctx.attribute(node.id)}(${x})`;
    } else {
      linear = `F.linear(${x}, ${k.expression}${k.transposed ? '.t()' : ''}, ${h.tiedBias(node, ctx, init)})`;
    }
    return { init, ...h.activate(node.attrs.activation, linear, ctx.variable(node.id), 3, node.id) };
  };
  // Pooling over the steps: the image lowerings on [batch, channels, steps, 1], then back.
  const viaImage = (node: IRNode, ctx: PyContext): PyLowering => {
    const imageNode = asImageNode(node);
    const input = node.inputs[0]!;
    const imageVariable = (id: string) => `${ctx.variable(id)}_image`;
    const imageCtx: PyContext = {
      ...ctx,
      ir: { ...ctx.ir, nodes: ctx.ir.nodes.map(asImageNode) },
      variable: (id) => (id === input || id === node.id ? imageVariable(id) : ctx.variable(id)),
      rank: (id) => asImageShape(ctx.shape(id)).length,
      shape: (id) => asImageShape(ctx.shape(id)),
    };
    const lowered = h.image[imageNode.op as 'maxpool'](imageNode as Extract<IRNode, { op: 'maxpool' }>, imageCtx);
    return {
      ...lowered,
      forward: [`${imageVariable(input)} = ${ctx.variable(input)}${TO_NCW}.unsqueeze(3)`, ...lowered.forward, `${ctx.variable(node.id)} = ${imageVariable(node.id)}.squeeze(3)${TO_NCW}`],
    };
  };
  return {
    conv1d,
    deconv1d,
    lstm: recurrent('lstm') as Lower<'lstm'>,
    gru: recurrent('gru') as Lower<'gru'>,
    repeat_vector: ((node, ctx) => ({ init: [], forward: [`${ctx.variable(node.id)} = ${ctx.variable(node.inputs[0]!)}.unsqueeze(1).repeat(1, ${node.attrs.steps}, 1)`] })) as Lower<'repeat_vector'>,
    dense_per_step,
    maxpool1d: viaImage as Lower<'maxpool1d'>,
    avgpool1d: viaImage as Lower<'avgpool1d'>,
    unpool1d: viaImage as Lower<'unpool1d'>,
    upsample1d: viaImage as Lower<'upsample1d'>,
  };
}
