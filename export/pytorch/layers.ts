// The lowering table for PyTorch: one function per IR op, giving the module it owns (a line of
// `__init__`), the lines of the forward pass, and its weights under their state_dict keys in
// PyTorch's layouts. Images are NCHW here (aelang's are NHWC): convolutions take their kernels
// permuted, and where aelang flattens or reshapes an image the code goes through channels-last, so
// dense weights keep aelang's feature order. A tied layer owns only its bias and reads the kernel of
// the layer it mirrors: one parameter, used twice.
import type { ActivationSpec, IRModel, IRNode, ParameterRole } from '../../ir/types.js';
import { transposedConvGeometry, windowPads } from '../../onnx/geometry.js';
import { ExportError, storedParameter, type WeightTensor, type Weights } from '../weights.js';
import { permute } from './tensors.js';
import { sequenceLayers, type PyHelpers } from './sequences.js';

export interface PyLowering {
  /** Lines of `__init__` (module attributes and parameters). */
  init: string[];
  /** Lines of the forward pass, assigning the node's variable. */
  forward: string[];
  /** Side outputs the objective may read, by `${id}:${name}`, as variable names. */
  side?: Record<string, string>;
  /** Helper functions (by name) the lines call. */
  helpers?: string[];
}

export interface PyContext {
  ir: IRModel;
  weights: Weights;
  /** Every node's variable name and model input names, by id. */
  variable(id: string): string;
  /** The module attribute of a node (`encoder_0_dense`). */
  attribute(id: string): string;
  rank(id: string): number;
  shape(id: string): (number | null)[];
  /** Records a tensor of the state_dict: the aelang parameter `id` it holds, with its axes
   *  reordered by `perm` (result axis i is aelang's axis perm[i]; none: the same layout). */
  state(key: string, id: string, perm?: number[]): void;
  /** A weight computed from stored ones (a recurrent layer's gates reordered): exported, with its
   *  way back to aelang's layout given by `recurrentLayout`. */
  computedState(key: string, tensor: WeightTensor): void;
  /** A recurrent layer's module attribute and the aelang parameters its computed weights come from,
   *  so model.py can take them back to aelang's layout (AELANG_RECURRENT). */
  recurrentLayout?(attribute: string, kind: 'lstm' | 'gru', ids: { kernel: string; recurrent_kernel: string; bias: string }): void;
  /** Maxpools an unpool reads switches from: the indices' variable, the size they index, and the
   *  offset of the maxpool's input in it (an uneven padding done by F.pad). */
  switches: Map<string, { variable: string; size: [number, number]; offset: [number, number] }>;
}

type Lower<N extends IRNode> = (node: N, ctx: PyContext) => PyLowering;
type Table = { [K in IRNode['op']]: Lower<Extract<IRNode, { op: K }>> };

const NCHW_TO_NHWC = '.permute(0, 2, 3, 1)';
const NHWC_TO_NCHW = '.permute(0, 3, 1, 2)';
const KERNEL_TO_TORCH = [3, 2, 0, 1]; // [kh, kw, a, b] → [b, a, kh, kw]

function tensorOf(ctx: PyContext, id: string): WeightTensor {
  const w = ctx.weights.get(id);
  if (!w) throw new ExportError(`the weights have no tensor '${id}'`);
  return w;
}

function has(node: IRNode, role: ParameterRole): boolean {
  return node.params?.[role] !== undefined;
}

const tuple = (pair: readonly number[]) => `(${pair.join(', ')})`;

/** The kernel a node reads: its own module's weight, or (tied) the weight of the module owning it. */
function kernel(node: IRNode, ctx: PyContext, perm: number[]): { own: boolean; expression: string; transposed: boolean } {
  const { stored, transposed } = storedParameter(ctx.ir, node, 'kernel');
  const owner = stored.node;
  if (owner === node.id) ctx.state(`${ctx.attribute(node.id)}.weight`, stored.id, perm);
  return { own: owner === node.id, expression: `self.${ctx.attribute(owner)}.weight`, transposed };
}

/** A tied layer's own bias, as a parameter of its own. */
function tiedBias(node: IRNode, ctx: PyContext, init: string[]): string {
  if (!has(node, 'bias')) return 'None';
  const name = `${ctx.attribute(node.id)}_bias`;
  const id = storedParameter(ctx.ir, node, 'bias').stored.id;
  init.push(`self.${name} = nn.Parameter(torch.zeros(${tensorOf(ctx, id).shape[0]}))`);
  ctx.state(name, id);
  return `self.${name}`;
}

function ownBias(node: IRNode, ctx: PyContext): void {
  if (has(node, 'bias')) ctx.state(`${ctx.attribute(node.id)}.bias`, storedParameter(ctx.ir, node, 'bias').stored.id);
}

/** The activation applied to `linear`, as lines assigning `out`; sigmoid and softmax keep their logits. */
function activate(spec: ActivationSpec, linear: string, out: string, rank: number, id: string): Pick<PyLowering, 'forward' | 'side'> {
  const channelAxis = rank === 4 ? 1 : -1;
  const wrap: Record<ActivationSpec['fn'], (e: string) => string> = {
    linear: (e) => e,
    relu: (e) => `F.relu(${e})`,
    tanh: (e) => `torch.tanh(${e})`,
    sigmoid: (e) => `torch.sigmoid(${e})`,
    leaky_relu: (e) => `F.leaky_relu(${e}, ${spec.fn === 'leaky_relu' ? spec.alpha : 0})`,
    elu: (e) => `F.elu(${e})`,
    gelu: (e) => `F.gelu(${e})`,
    softplus: (e) => `F.softplus(${e})`,
    softmax: (e) => `torch.softmax(${e}, dim=${channelAxis})`,
  };
  if (spec.fn === 'sigmoid' || spec.fn === 'softmax') {
    return { forward: [`${out}_logits = ${linear}`, `${out} = ${wrap[spec.fn](`${out}_logits`)}`], side: { [`${id}:preactivation`]: `${out}_logits` } };
  }
  return { forward: [`${out} = ${wrap[spec.fn](linear)}`] };
}

function channelsLast(ctx: PyContext, id: string): string {
  return ctx.rank(id) === 4 ? `${ctx.variable(id)}${NCHW_TO_NHWC}` : ctx.variable(id);
}

/** Crops (centred, extra cell at the end) or zero-pads (at the end) an NCHW tensor to height × width. */
function fit(value: string, from: [number, number], to: [number, number]): string {
  let out = value;
  const grow = [0, 1].map((a) => Math.max(to[a]! - from[a]!, 0));
  if (from[0] > to[0] || from[1] > to[1]) {
    const start = [0, 1].map((a) => Math.floor(Math.max(from[a]! - to[a]!, 0) / 2));
    out = `${out}[:, :, ${start[0]}:${start[0]! + Math.min(from[0], to[0])}, ${start[1]}:${start[1]! + Math.min(from[1], to[1])}]`;
  }
  if (grow[0]! > 0 || grow[1]! > 0) out = `F.pad(${out}, (0, ${grow[1]}, 0, ${grow[0]}))`;
  return out;
}

function repeat(value: string, [fh, fw]: readonly [number, number]): string {
  let out = value;
  if (fh !== 1) out = `${out}.repeat_interleave(${fh}, dim=2)`;
  if (fw !== 1) out = `${out}.repeat_interleave(${fw}, dim=3)`;
  return out;
}

function spatial(ctx: PyContext, id: string): [number, number] {
  const s = ctx.shape(id);
  return [s[1] as number, s[2] as number];
}

const imageLayers = {} as PyHelpers['image'];

export const layers: Table = {
  ...sequenceLayers({ tensorOf, kernel, tiedBias, ownBias, activate, image: imageLayers }),
  dense: (node, ctx) => {
    const x = node.inputs[0]!;
    const rank = ctx.rank(x);
    const flat = rank === 4 ? `${ctx.variable(x)}${NCHW_TO_NHWC}.flatten(1)` : rank > 2 ? `${ctx.variable(x)}.flatten(1)` : ctx.variable(x);
    const k = kernel(node, ctx, [1, 0]);
    const init: string[] = [];
    let linear: string;
    if (k.own) {
      const inputs = storedParameter(ctx.ir, node, 'kernel').stored.shape[0]!;
      init.push(`self.${ctx.attribute(node.id)} = nn.Linear(${inputs}, ${node.attrs.units}${node.attrs.useBias ? '' : ', bias=False'})`);
      ownBias(node, ctx);
      linear = `self.${ctx.attribute(node.id)}(${flat})`;
    } else {
      // The owner's weight W is its kernel K transposed; a mirrored dense computes x·Kᵀ = x·W,
      // which F.linear (x·Aᵀ) writes with A = Wᵀ.
      linear = `F.linear(${flat}, ${k.expression}${k.transposed ? '.t()' : ''}, ${tiedBias(node, ctx, init)})`;
    }
    return { init, ...activate(node.attrs.activation, linear, ctx.variable(node.id), 2, node.id) };
  },
  conv2d: (node, ctx) => {
    const x = node.inputs[0]!;
    const [top, left, bottom, right] = windowPads(node.attrs.padding, spatial(ctx, x), node.attrs.kernel, node.attrs.stride);
    const symmetric = top === bottom && left === right;
    const input = symmetric ? ctx.variable(x) : `F.pad(${ctx.variable(x)}, (${left}, ${right}, ${top}, ${bottom}))`;
    const padding = symmetric ? tuple([top, left]) : '0';
    const k = kernel(node, ctx, KERNEL_TO_TORCH);
    const init: string[] = [];
    let linear: string;
    if (k.own) {
      const inChannels = ctx.shape(x)[3];
      init.push(`self.${ctx.attribute(node.id)} = nn.Conv2d(${inChannels}, ${node.attrs.filters}, ${tuple(node.attrs.kernel)}, stride=${tuple(node.attrs.stride)}, padding=${padding}${has(node, 'bias') ? '' : ', bias=False'})`);
      ownBias(node, ctx);
      linear = `self.${ctx.attribute(node.id)}(${input})`;
    } else {
      linear = `F.conv2d(${input}, ${k.expression}, ${tiedBias(node, ctx, init)}, stride=${tuple(node.attrs.stride)}, padding=${padding})`;
    }
    return { init, ...activate(node.attrs.activation, linear, ctx.variable(node.id), 4, node.id) };
  },
  deconv2d: (node, ctx) => {
    const x = node.inputs[0]!;
    const input = spatial(ctx, x);
    const output: [number, number] = [node.shape[1] as number, node.shape[2] as number];
    const { pads, outputPadding } = transposedConvGeometry(node.attrs.padding, input, output, node.attrs.kernel, node.attrs.stride);
    const [top, left, bottom, right] = pads;
    const plain = top === bottom && left === right && outputPadding.every((p, axis) => p >= 0 && p < node.attrs.stride[axis]!);
    const k = kernel(node, ctx, KERNEL_TO_TORCH);
    const init: string[] = [];
    const attribute = `self.${ctx.attribute(node.id)}`;
    let bias: string;
    if (k.own) {
      const geometry = plain ? `, padding=${tuple([top, left])}, output_padding=${tuple(outputPadding)}` : '';
      init.push(`${attribute} = nn.ConvTranspose2d(${ctx.shape(x)[3]}, ${node.attrs.filters}, ${tuple(node.attrs.kernel)}, stride=${tuple(node.attrs.stride)}${geometry}${has(node, 'bias') ? '' : ', bias=False'})`);
      ownBias(node, ctx);
      bias = has(node, 'bias') ? `${attribute}.bias` : 'None';
    } else {
      bias = tiedBias(node, ctx, init);
    }
    let linear: string;
    if (plain) {
      linear = k.own ? `${attribute}(${ctx.variable(x)})` : `F.conv_transpose2d(${ctx.variable(x)}, ${k.expression}, ${bias}, stride=${tuple(node.attrs.stride)}, padding=${tuple([top, left])}, output_padding=${tuple(outputPadding)})`;
    } else {
      // Uneven 'same' padding: the full transposed convolution, cut to aelang's window.
      const full = [0, 1].map((a) => node.attrs.stride[a]! * (input[a]! - 1) + node.attrs.kernel[a]!) as [number, number];
      const grown = [0, 1].map((a) => Math.max(full[a]!, pads[a]! + output[a]!)) as [number, number];
      let y = `F.conv_transpose2d(${ctx.variable(x)}, ${k.expression}, None, stride=${tuple(node.attrs.stride)})`;
      if (grown[0] > full[0] || grown[1] > full[1]) y = `F.pad(${y}, (0, ${grown[1] - full[1]}, 0, ${grown[0] - full[0]}))`;
      y = `${y}[:, :, ${top}:${top + output[0]}, ${left}:${left + output[1]}]`;
      linear = bias === 'None' ? y : `${y} + ${bias}.view(1, -1, 1, 1)`;
    }
    return { init, ...activate(node.attrs.activation, linear, ctx.variable(node.id), 4, node.id) };
  },
  avgpool: (node, ctx) => {
    const x = ctx.variable(node.inputs[0]!);
    const [top, left, bottom, right] = windowPads(node.attrs.padding, spatial(ctx, node.inputs[0]!), node.attrs.pool, node.attrs.stride);
    const out = ctx.variable(node.id);
    const window = `${tuple(node.attrs.pool)}, ${tuple(node.attrs.stride)}`;
    if (top + left + bottom + right === 0) return { init: [], forward: [`${out} = F.avg_pool2d(${x}, ${window})`] };
    // 'same' padding, perhaps uneven: TensorFlow averages over the cells inside the input only, so
    // the mean of the zero-padded input over the mean of the padded ones.
    const pad = `(${left}, ${right}, ${top}, ${bottom})`;
    return {
      init: [],
      forward: [`${out} = F.avg_pool2d(F.pad(${x}, ${pad}), ${window}) / F.avg_pool2d(F.pad(torch.ones_like(${x}[:, :1]), ${pad}), ${window})`],
    };
  },
  maxpool: (node, ctx) => {
    const x = ctx.variable(node.inputs[0]!);
    const seen = spatial(ctx, node.inputs[0]!);
    const [top, left, bottom, right] = windowPads(node.attrs.padding, seen, node.attrs.pool, node.attrs.stride);
    const simple = top === bottom && left === right && top <= node.attrs.pool[0] / 2 && left <= node.attrs.pool[1] / 2;
    const input = simple ? x : `F.pad(${x}, (${left}, ${right}, ${top}, ${bottom}), value=float('-inf'))`;
    const padding = simple && top + left > 0 ? `, padding=${tuple([top, left])}` : '';
    const out = ctx.variable(node.id);
    const read = ctx.ir.nodes.some((n) => n.op === 'unpool' && n.attrs.mode === 'switches' && n.attrs.switchesFrom === node.id);
    if (!read) return { init: [], forward: [`${out} = F.max_pool2d(${input}, ${tuple(node.attrs.pool)}, ${tuple(node.attrs.stride)}${padding})`] };
    // The switches: where each window's (first) maximum sits, for the unpool that mirrors this layer.
    const size: [number, number] = simple ? seen : [seen[0] + top + bottom, seen[1] + left + right];
    ctx.switches.set(node.id, { variable: `${out}_switches`, size, offset: simple ? [0, 0] : [top, left] });
    return { init: [], forward: [`${out}, ${out}_switches = F.max_pool2d(${input}, ${tuple(node.attrs.pool)}, ${tuple(node.attrs.stride)}${padding}, return_indices=True)`] };
  },
  unpool: (node, ctx) => {
    const [h, w] = spatial(ctx, node.inputs[0]!);
    const to: [number, number] = [node.shape[1] as number, node.shape[2] as number];
    if (node.attrs.mode === 'switches') {
      const pool = ctx.ir.nodes.find((n) => n.id === node.attrs.switchesFrom);
      const recorded = ctx.switches.get(node.attrs.switchesFrom ?? '');
      if (pool?.op !== 'maxpool' || !recorded) throw new ExportError(`node '${node.id}' (unpool): maxpool '${node.attrs.switchesFrom}' recorded no switches`);
      const seen = spatial(ctx, pool.inputs[0]!);
      let placed = `F.max_unpool2d(${ctx.variable(node.inputs[0]!)}, ${recorded.variable}, ${tuple(pool.attrs.pool)}, ${tuple(pool.attrs.stride)}, output_size=${tuple(recorded.size)})`;
      const [top, left] = recorded.offset;
      if (top + left > 0) placed = `${placed}[:, :, ${top}:${top + seen[0]}, ${left}:${left + seen[1]}]`;
      return { init: [], forward: [`${ctx.variable(node.id)} = ${fit(placed, seen, to)}`] };
    }
    const grown = repeat(ctx.variable(node.inputs[0]!), node.attrs.pool);
    return { init: [], forward: [`${ctx.variable(node.id)} = ${fit(grown, [h * node.attrs.pool[0], w * node.attrs.pool[1]], to)}`] };
  },
  upsample: (node, ctx) => ({ init: [], forward: [`${ctx.variable(node.id)} = ${repeat(ctx.variable(node.inputs[0]!), node.attrs.factor)}`] }),
  flatten: (node, ctx) => {
    const x = node.inputs[0]!;
    const comment = ctx.rank(x) === 4 ? '  # channels-last order, as aelang flattens' : '';
    return { init: [], forward: [`${ctx.variable(node.id)} = ${channelsLast(ctx, x)}.flatten(1)${comment}`] };
  },
  reshape: (node, ctx) => {
    const source = channelsLast(ctx, node.inputs[0]!);
    const target = node.attrs.target;
    const out = target.length === 3 ? `${source}.reshape(-1, ${target.join(', ')})${NHWC_TO_NCHW}` : `${source}.reshape(-1, ${target.join(', ')})`;
    return { init: [], forward: [`${ctx.variable(node.id)} = ${out}`] };
  },
  one_hot: (node, ctx) => ({ init: [], forward: [`${ctx.variable(node.id)} = F.one_hot(${ctx.variable(node.inputs[0]!)}.long(), ${node.attrs.depth}).float()`] }),
  table_output: (node, ctx) => {
    const slices = `torch.split(${ctx.variable(node.inputs[0]!)}, [${node.attrs.columns.join(', ')}], dim=-1)`;
    const widths = `[${node.attrs.columns.join(', ')}]`;
    return { init: [], forward: [`${ctx.variable(node.id)} = torch.cat([s if w == 1 else torch.softmax(s, -1) for s, w in zip(${slices}, ${widths})], dim=-1)`] };
  },
  concat: (node, ctx) => ({ init: [], forward: [`${ctx.variable(node.id)} = torch.cat([${node.inputs.map((id) => ctx.variable(id)).join(', ')}], dim=-1)`] }),
  dropout: (node, ctx) => ({
    init: [`self.${ctx.attribute(node.id)} = nn.Dropout(${node.attrs.rate})`],
    forward: [`${ctx.variable(node.id)} = self.${ctx.attribute(node.id)}(${ctx.variable(node.inputs[0]!)})`],
  }),
  batchnorm: (node, ctx) => {
    const rank = ctx.rank(node.inputs[0]!);
    if (rank !== 2 && rank !== 4) throw new ExportError(`node '${node.id}' (batchnorm) on a rank-${rank} tensor does not export to PyTorch`);
    const attribute = ctx.attribute(node.id);
    const channels = node.shape[node.shape.length - 1];
    const roles = { gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' } as const;
    for (const [role, key] of Object.entries(roles)) ctx.state(`${attribute}.${key}`, storedParameter(ctx.ir, node, role as ParameterRole).stored.id);
    // aelang: moving = m·moving + (1 − m)·batch; PyTorch's momentum is the batch's share.
    return {
      init: [`self.${attribute} = nn.BatchNorm${rank === 4 ? '2' : '1'}d(${channels}, eps=${node.attrs.epsilon}, momentum=${+(1 - node.attrs.momentum).toFixed(12)})`],
      forward: [`${ctx.variable(node.id)} = self.${attribute}(${ctx.variable(node.inputs[0]!)})`],
    };
  },
  layernorm: (node, ctx) => {
    const affine = has(node, 'gamma');
    if (affine !== has(node, 'beta')) throw new ExportError(`node '${node.id}' (layernorm) with only one of gamma and beta does not export to PyTorch`);
    const attribute = ctx.attribute(node.id);
    if (affine) {
      ctx.state(`${attribute}.weight`, storedParameter(ctx.ir, node, 'gamma').stored.id);
      ctx.state(`${attribute}.bias`, storedParameter(ctx.ir, node, 'beta').stored.id);
    }
    const x = node.inputs[0]!;
    const normalized = ctx.rank(x) === 4 ? `self.${attribute}(${channelsLast(ctx, x)})${NHWC_TO_NCHW}` : `self.${attribute}(${ctx.variable(x)})`;
    return {
      init: [`self.${attribute} = nn.LayerNorm(${node.shape[node.shape.length - 1]}, eps=${node.attrs.epsilon}${affine ? '' : ', elementwise_affine=False'})`],
      forward: [`${ctx.variable(node.id)} = ${normalized}`],
    };
  },
  activation: (node, ctx) => ({ init: [], ...activate(node.attrs, ctx.variable(node.inputs[0]!), ctx.variable(node.id), ctx.rank(node.id), node.id) }),
  gaussian_sample: (node, ctx) => {
    const [mean, logvar] = node.inputs.map((id) => ctx.variable(id)) as [string, string];
    return { init: [], forward: [`${ctx.variable(node.id)} = ${mean} + torch.exp(0.5 * ${logvar}) * torch.randn_like(${mean}) if self.training else ${mean}`] };
  },
  vector_quantize: (node, ctx) => {
    const attribute = `${ctx.attribute(node.id)}_codebook`;
    const codebookId = storedParameter(ctx.ir, node, 'codebook').stored.id;
    const codebook = tensorOf(ctx, codebookId);
    ctx.state(attribute, codebookId);
    const z = node.inputs[0]!;
    const out = ctx.variable(node.id);
    const image = ctx.rank(z) === 4;
    const lines = [`${out}_quantized = quantize(${channelsLast(ctx, z)}, self.${attribute})${image ? NHWC_TO_NCHW : ''}`];
    // Straight-through in training: the decoder sees the codebook vectors, the encoder gets their gradient.
    lines.push(`${out} = ${ctx.variable(z)} + (${out}_quantized - ${ctx.variable(z)}).detach() if self.training else ${out}_quantized`);
    return {
      init: [`self.${attribute} = nn.Parameter(torch.zeros(${codebook.shape.join(', ')}))`],
      forward: lines,
      side: { [`${node.id}:quantized`]: `${out}_quantized` },
      helpers: ['quantize'],
    };
  },
  binarize: (node, ctx) => {
    const x = ctx.variable(node.inputs[0]!);
    return { init: [], forward: [`${ctx.variable(node.id)} = binarize(${x}, stochastic=${node.attrs.stochastic ? 'True' : 'False'}, training=self.training)`], helpers: ['binarize'] };
  },
  gumbel_onehot: (node, ctx) => {
    if (ctx.rank(node.inputs[0]!) !== 2) throw new ExportError(`node '${node.id}' (gumbel_onehot) on an image does not export to PyTorch`);
    const x = ctx.variable(node.inputs[0]!);
    const classes = node.shape[node.shape.length - 1];
    return {
      init: [],
      forward: [`${ctx.variable(node.id)} = F.gumbel_softmax(${x}, tau=${node.attrs.temperature}, hard=${node.attrs.hard ? 'True' : 'False'}) if self.training else F.one_hot(${x}.argmax(-1), ${classes}).float()`],
    };
  },
  corrupt_gaussian: (node, ctx) => {
    const x = ctx.variable(node.inputs[0]!);
    return { init: [], forward: [`${ctx.variable(node.id)} = ${x} + ${node.attrs.std} * torch.randn_like(${x}) if self.training else ${x}`] };
  },
  corrupt_mask: (node, ctx) => {
    const x = ctx.variable(node.inputs[0]!);
    return { init: [], forward: [`${ctx.variable(node.id)} = ${x} * (torch.rand_like(${x}) >= ${node.attrs.rate}).float() if self.training else ${x}`] };
  },
  corrupt_salt_pepper: (node, ctx) => {
    const x = ctx.variable(node.inputs[0]!);
    const out = ctx.variable(node.id);
    const { rate, low, high } = node.attrs;
    return {
      init: [],
      forward: [
        `${out} = ${x}`,
        'if self.training:',
        `    u = torch.rand_like(${x})`,
        `    ${out} = torch.where(u < ${rate / 2}, torch.full_like(${x}, ${low}), torch.where(u < ${rate}, torch.full_like(${x}, ${high}), ${x}))`,
      ],
    };
  },
  corrupt_dropout: (node, ctx) => ({ init: [], forward: [`${ctx.variable(node.id)} = F.dropout(${ctx.variable(node.inputs[0]!)}, ${node.attrs.rate}, self.training)`] }),
  clip: (node, ctx) => {
    const x = ctx.variable(node.inputs[0]!);
    return { init: [], forward: [`${ctx.variable(node.id)} = ${x}.clamp(${node.attrs.low}, ${node.attrs.high}) if self.training else ${x}`] };
  },
};
Object.assign(imageLayers, { maxpool: layers.maxpool, avgpool: layers.avgpool, unpool: layers.unpool, upsample: layers.upsample });

export const HELPERS: Record<string, string> = {
  quantize: `def quantize(z, codebook):
    """The nearest codebook row to each vector along z's last axis (squared distance)."""
    flat = z.reshape(-1, codebook.shape[1])
    distances = (flat * flat).sum(1, keepdim=True) - 2 * flat @ codebook.t() + (codebook * codebook).sum(1)
    return codebook[distances.argmin(1)].reshape(z.shape)`,
  binarize: `def binarize(logits, stochastic, training):
    """Bits in {0, 1}: 1 where the logit is positive (in training, a Bernoulli draw when stochastic),
    with the gradient of sigmoid(logits) passed straight through."""
    if not training:
        return (logits > 0).float()
    probability = torch.sigmoid(logits)
    bits = torch.bernoulli(probability) if stochastic else (logits > 0).float()
    return probability + (bits - probability).detach()`,
};
