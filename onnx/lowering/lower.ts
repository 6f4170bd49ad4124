// IR nodes → the step graph's primitives, in training or inference mode, as the tfjs lowering
// (runtime/program/ops/) computes them. Randomness is never drawn in the graph: each stochastic
// node declares a noise input (the engine's noise.ts draws it from the run's PRNG with the same
// seeds the tfjs lowering uses), so both engines see the same draws. An op without an entry here is not yet
// supported by this engine; `unsupportedOps` names it and the runtime trains on tfjs instead.
import type { ActivationSpec, IRModel, IRNode, IROp, ParameterRole } from '../../ir/types.js';
import { hasOutput, outputOf, outputRef } from '../../ir/outputs.js';
import { transposedConvGeometry, windowPads } from '../geometry.js';
import { attr, type Dim, type StepGraph, type Sym } from '../autodiff/graph.js';
import { concat, repeatAxis, split } from '../autodiff/axes.js';
import * as p from '../autodiff/primitives.js';
import { gru, lstm } from './recurrent.js';
import * as s from '../autodiff/spatial.js';
import { quantise } from './vq.js';

/** What a node's noise input holds (noise.ts computes it from the same tfjs draw as the tfjs path). */
export type NoiseKind =
  | { kind: 'normal'; std: number } // gaussian latents (std 1) and gaussian corruption: added
  | { kind: 'mask'; rate: number } // masking noise: multiplied (1 kept, 0 zeroed)
  | { kind: 'salt_pepper'; rate: number; low: number; high: number } // keep, low and high masks
  | { kind: 'dropout'; rate: number } // inverted-dropout multiplier (0 or 1/(1 − rate))
  | { kind: 'uniform'; low: number } // stochastic bits (u in [0, 1)), Gumbel noise (u in [1e-10, 1))
  | { kind: 'codebook' }; // a vq's codebook upkeep: no input, the two seeds the tfjs lowering draws (seeding, restarts)

export interface NoiseInput {
  node: string;
  /** The graph input(s) the draw feeds (salt-and-pepper feeds three masks). */
  inputs: string[];
  shape: readonly Dim[];
  noise: NoiseKind;
}

export interface ForwardEnv {
  g: StepGraph;
  ir: IRModel;
  training: boolean;
  /** Node outputs and model inputs by id, and side outputs as `${id}:${name}` (logits). */
  values: Map<string, Sym>;
  /** The stored tensor behind a node's parameter, and whether the node sees it transposed. */
  param(node: IRNode, role: ParameterRole): { value: Sym; transposed: boolean };
  /** Declares the noise inputs of a stochastic node shaped like `like` (in node order: the order of the draws). */
  noise(node: IRNode, like: Sym, noise: NoiseKind, names?: string[]): Sym[];
  /** A new value of a non-trainable parameter the forward pass writes (batch-norm moving statistics). */
  assign(node: IRNode, role: ParameterRole, value: Sym): void;
}

type Lower<Op extends IROp> = (node: IRNode<Op>, args: Sym[], env: ForwardEnv) => Sym;

const lowerings: { [Op in IROp]?: Lower<Op> } = {
  dense: (node, [x], env) => {
    const { g } = env;
    const kernel = env.param(node, 'kernel');
    const linear = p.gemm(g, p.flatten(g, x!), kernel.value, false, kernel.transposed, node.attrs.useBias ? env.param(node, 'bias').value : undefined);
    // Sigmoid and softmax publish their `logits` output, which a loss's `fromLogits` reads (as on tfjs).
    if (hasOutput(node, 'logits')) env.values.set(outputOf(node, 'logits'), linear);
    return activation(g, linear, node.attrs.activation);
  },
  activation: (node, [x], env) => activation(env.g, x!, node.attrs),
  conv2d: (node, [x], env) => {
    const { g } = env;
    const { kernel, stride, padding } = node.attrs;
    const w = s.transpose(g, env.param(node, 'kernel').value, [3, 2, 0, 1]); // [kh, kw, in, out] → OIHW
    const pads = windowPads(padding, spatial(x!), kernel, stride);
    const y = s.toNHWC(g, s.conv(g, s.toNCHW(g, x!), w, { kernel, strides: stride, pads }));
    return withBias(node, y, env, node.attrs.activation);
  },
  deconv2d: (node, [x], env) => {
    const { g } = env;
    const { kernel, stride, padding } = node.attrs;
    const w = s.transpose(g, env.param(node, 'kernel').value, [3, 2, 0, 1]); // [kh, kw, out, in] → [in, out, kh, kw]
    const output: [number, number] = [node.shape[1] as number, node.shape[2] as number];
    const { pads } = transposedConvGeometry(padding, spatial(x!), output, kernel, stride);
    const y = s.toNHWC(g, s.convTranspose(g, s.toNCHW(g, x!), w, { kernel, strides: stride, pads }, output));
    return withBias(node, y, env, node.attrs.activation);
  },
  maxpool: (node, [x], env) => {
    const { g } = env;
    const { pool, stride, padding } = node.attrs;
    const input = s.toNCHW(g, x!);
    const window = { kernel: pool, strides: stride, pads: windowPads(padding, spatial(x!), pool, stride) };
    const { y, indices } = s.maxPool(g, input, window);
    // the `switches` output an unpool reads (its windows are disjoint): 1 at each window's first
    // maximum (kept NCHW, as the unpool lowering below uses it)
    if (hasOutput(node, 'switches')) env.values.set(outputOf(node, 'switches'), s.unpoolAt(g, g.constant('Expand', [g.scalar(1), p.shapeOf(g, y)], y.shape), indices, input, window));
    return s.toNHWC(g, y);
  },
  unpool: (node, [v, switches], env) => {
    const { g } = env;
    const [, h, w] = v!.shape as [Dim, number, number];
    const [ph, pw] = node.attrs.pool;
    const target: [number, number] = [node.shape[1] as number, node.shape[2] as number];
    const full = s.repeatSpatial(g, s.toNCHW(g, v!), [ph, pw]);
    if (node.attrs.mode === 'fill') return s.toNHWC(g, fitWindows(g, full, [h * ph, w * pw], target));
    if (!switches) throw new Error(`unpool '${node.id}' has mode switches but reads no maxpool's switches`);
    // the windows cover the maxpool's (padded) input: crop them to it, keep each max, fit to our shape
    const seen: [number, number] = [switches.shape[2] as number, switches.shape[3] as number];
    const kept = p.mul(g, fitWindows(g, full, [h * ph, w * pw], seen), switches);
    return s.toNHWC(g, fitWindows(g, kept, seen, target));
  },
  avgpool: (node, [x], env) => {
    const { g } = env;
    const { pool, stride, padding } = node.attrs;
    const pads = windowPads(padding, spatial(x!), pool, stride);
    return s.toNHWC(g, s.averagePool(g, s.toNCHW(g, x!), { kernel: pool, strides: stride, pads }));
  },
  batchnorm: (node, [x], env) => {
    const { g } = env;
    const axes = x!.shape.slice(0, -1).map((_, i) => i);
    const gamma = env.param(node, 'gamma').value;
    const beta = env.param(node, 'beta').value;
    const movingMean = env.param(node, 'moving_mean').value;
    const movingVariance = env.param(node, 'moving_variance').value;
    const normalise = (mean: Sym, variance: Sym) => p.add(g, p.mul(g, p.div(g, p.sub(g, x!, mean), p.sqrt(g, p.add(g, variance, g.scalar(node.attrs.epsilon)))), gamma), beta);
    if (!env.training) return normalise(movingMean, movingVariance);
    // the batch's moments over every axis but the channels (tf.moments), and the moving averages
    const mean = p.meanKeep(g, x!, axes);
    const variance = p.meanKeep(g, p.square(g, p.sub(g, x!, mean)), axes);
    const flat = (v: Sym) => p.reshape(g, v, [v.shape[v.shape.length - 1]!]);
    const m = node.attrs.momentum;
    env.assign(node, 'moving_mean', p.add(g, p.mul(g, movingMean, g.scalar(m)), p.mul(g, p.stopGradient(g, flat(mean)), g.scalar(1 - m))));
    env.assign(node, 'moving_variance', p.add(g, p.mul(g, movingVariance, g.scalar(m)), p.mul(g, p.stopGradient(g, flat(variance)), g.scalar(1 - m))));
    return normalise(mean, variance);
  },
  layernorm: (node, [x], env) => {
    const { g } = env;
    const mean = p.meanKeep(g, x!, [-1]);
    const centred = p.sub(g, x!, mean);
    const variance = p.meanKeep(g, p.square(g, centred), [-1]);
    let y = p.div(g, centred, p.sqrt(g, p.add(g, variance, g.scalar(node.attrs.epsilon))));
    if (node.params?.gamma) y = p.mul(g, y, env.param(node, 'gamma').value);
    if (node.params?.beta) y = p.add(g, y, env.param(node, 'beta').value);
    return y;
  },
  gumbel_onehot: (node, [x], env) => {
    const { g } = env;
    const classes = x!.shape[x!.shape.length - 1] as number;
    const oneHotOf = (v: Sym) => g.constant('OneHot', [g.constant('ArgMax', [v], v.shape.slice(0, -1), [attr.int('axis', -1), attr.int('keepdims', 0)]), g.int64s([classes]), g.floats('onehot_values', [2], Float32Array.of(0, 1))], v.shape, [attr.int('axis', -1)]);
    if (!env.training) return oneHotOf(x!);
    const [u] = env.noise(node, x!, { kind: 'uniform', low: 1e-10 });
    const gumbel = g.constant('Neg', [g.constant('Log', [g.constant('Neg', [g.constant('Log', [u!], x!.shape)], x!.shape)], x!.shape)], x!.shape);
    const soft = p.softmax(g, p.div(g, p.add(g, x!, gumbel), g.scalar(node.attrs.temperature)));
    if (!node.attrs.hard) return soft;
    return p.add(g, soft, p.stopGradient(g, p.sub(g, oneHotOf(soft), soft)));
  },
  upsample: (node, [x], env) => s.toNHWC(env.g, s.repeatSpatial(env.g, s.toNCHW(env.g, x!), node.attrs.factor)),
  flatten: (_node, [x], env) => p.flatten(env.g, x!),
  reshape: (node, [x], env) => p.reshape(env.g, x!, [null, ...node.attrs.target]),
  dropout: (node, [x], env) => (env.training && node.attrs.rate > 0 ? p.mul(env.g, x!, env.noise(node, x!, { kind: 'dropout', rate: node.attrs.rate })[0]!) : x!),
  gaussian_sample: (node, [mean, logvar], env) => {
    if (!env.training) return mean!;
    const { g } = env;
    const [eps] = env.noise(node, mean!, { kind: 'normal', std: 1 });
    return p.add(g, mean!, p.mul(g, p.exp(g, p.mul(g, logvar!, g.scalar(0.5))), eps!));
  },
  vector_quantize: (node, [z], env) => {
    // in training the two seeds of the codebook's upkeep (codebooks.ts) are drawn here, in node order
    if (env.training) env.noise(node, z!, { kind: 'codebook' }, []);
    const q = quantise(env.g, z!, env.param(node, 'codebook').value, env.training);
    env.values.set(outputOf(node, 'codes'), q.codes);
    env.values.set(outputOf(node, 'quantized'), q.quantized);
    return q.value;
  },
  binarize: (node, [x], env) => {
    const { g } = env;
    if (!env.training) return p.positive(g, x!);
    const probability = p.sigmoid(g, x!);
    // stochastic: 1 where p > u, as tf.step(p − u)
    const hard = node.attrs.stochastic ? p.positive(g, g.constant('Sub', [probability, env.noise(node, x!, { kind: 'uniform', low: 0 })[0]!], x!.shape)) : p.positive(g, x!);
    // straight-through: the value of the bits, the gradient of the probability
    return p.add(g, probability, p.stopGradient(g, p.sub(g, hard, probability)));
  },
  corrupt_gaussian: (node, [x], env) => (env.training ? p.add(env.g, x!, env.noise(node, x!, { kind: 'normal', std: node.attrs.std })[0]!) : x!),
  corrupt_mask: (node, [x], env) => (env.training ? p.mul(env.g, x!, env.noise(node, x!, { kind: 'mask', rate: node.attrs.rate })[0]!) : x!),
  corrupt_salt_pepper: (node, [x], env) => {
    if (!env.training) return x!;
    const { g } = env;
    const noise = { kind: 'salt_pepper', rate: node.attrs.rate, low: node.attrs.low, high: node.attrs.high } as const;
    const [keep, low, high] = env.noise(node, x!, noise, ['keep', 'low', 'high']);
    return p.add(g, p.mul(g, x!, keep!), p.add(g, p.mul(g, low!, g.scalar(node.attrs.low)), p.mul(g, high!, g.scalar(node.attrs.high))));
  },
  corrupt_dropout: (node, [x], env) => (env.training && node.attrs.rate > 0 ? p.mul(env.g, x!, env.noise(node, x!, { kind: 'dropout', rate: node.attrs.rate })[0]!) : x!),
  clip: (node, [x], env) => (env.training ? p.clip(env.g, x!, node.attrs.low, node.attrs.high) : x!),
  // The sequence ops. The 1-D convolutions and pools are the 2-D lowerings on [batch, steps, 1,
  // channels] with windows [k, 1] (the tfjs lowering runs its pools so), so maxpool1d records its
  // switches and unpool1d reads them exactly as maxpool and unpool do.
  conv1d: (node, [x], env) => asImageOp(node, 'conv2d', { ...node.attrs, kernel: [node.attrs.kernel, 1], stride: [node.attrs.stride, 1] }, [x!], env, true),
  deconv1d: (node, [x], env) => asImageOp(node, 'deconv2d', { ...node.attrs, kernel: [node.attrs.kernel, 1], stride: [node.attrs.stride, 1] }, [x!], env, true),
  maxpool1d: (node, [x, ...rest], env) => asImageOp(node, 'maxpool', { pool: [node.attrs.pool, 1], stride: [node.attrs.stride, 1], padding: node.attrs.padding }, [x!, ...rest], env),
  avgpool1d: (node, [x], env) => asImageOp(node, 'avgpool', { pool: [node.attrs.pool, 1], stride: [node.attrs.stride, 1], padding: node.attrs.padding }, [x!], env),
  unpool1d: (node, [x, ...rest], env) => {
    const { pool, mode } = node.attrs;
    return asImageOp(node, 'unpool', { pool: [pool, 1], mode }, [x!, ...rest], env);
  },
  upsample1d: (node, [x], env) => asImageOp(node, 'upsample', { factor: [node.attrs.factor, 1] }, [x!], env),
  repeat_vector: (node, [x], env) => repeatAxis(env.g, p.reshape(env.g, x!, [null, 1, x!.shape[1]!]), 1, node.attrs.steps),
  dense_per_step: (node, [x], env) => {
    const { g } = env;
    const [, steps, channels] = x!.shape as [null, number, number];
    const kernel = env.param(node, 'kernel');
    const flat = p.gemm(g, p.reshape(g, x!, [null, channels]), kernel.value, false, kernel.transposed, node.attrs.useBias ? env.param(node, 'bias').value : undefined);
    const linear = p.reshape(g, flat, [null, steps, node.attrs.units], false);
    if (hasOutput(node, 'logits')) env.values.set(outputOf(node, 'logits'), linear);
    return activation(g, linear, node.attrs.activation);
  },
  lstm: (node, [x], env) => lstm(env.g, x!, node.attrs.units, node.attrs.sequences, recurrentWeights(node, env)),
  gru: (node, [x], env) => gru(env.g, x!, node.attrs.units, node.attrs.sequences, recurrentWeights(node, env)),
  // What a conditional encoder or decoder reads: a label's one-hot (no gradient: an input) and the
  // concatenation of its inputs along the last axis.
  one_hot: (node, [labels], env) => oneHot(env.g, labels!, node.attrs.depth),
  concat: (_node, args, env) => concat(env.g, args, -1),
  // A table's reconstruction: numeric slots as they are, a softmax over each categorical column's.
  table_output: (node, [x], env) => {
    const { g } = env;
    const { columns } = node.attrs;
    return concat(g, split(g, x!, -1, columns).map((slice, i) => (columns[i] === 1 ? slice : p.softmax(g, slice))), -1);
  },
};

/**
 * A 1-D node lowered as its 2-D counterpart `op` with `attrs`: its sequence inputs [batch, steps,
 * channels] as images [batch, steps, 1, channels], its own shape likewise, a kernel [k, a, b] as
 * [k, 1, a, b] (`kernel`), and what it produces (its value, published logits) back as sequences.
 */
function asImageOp<Op extends IROp>(node: IRNode, op: Op, attrs: IRNode<Op>['attrs'], args: Sym[], env: ForwardEnv, kernel = false): Sym {
  const { g } = env;
  const asImage = (v: Sym) => (v.shape.length === 3 ? p.reshape(g, v, [v.shape[0]!, v.shape[1]!, 1, v.shape[2]!]) : v);
  const asSequence = (v: Sym) => p.reshape(g, v, [v.shape[0]!, v.shape[1]!, v.shape[3]!]);
  const [, steps, channels] = node.shape as [null, number, number];
  const image = { ...node, op, attrs, shape: [null, steps, 1, channels] } as unknown as IRNode<Op>;
  const imageEnv: ForwardEnv = !kernel
    ? env
    : {
        ...env,
        param: (n, role) => {
          const found = env.param(n, role);
          if (role !== 'kernel') return found;
          const [k, a, b] = found.value.shape as [number, number, number];
          return { ...found, value: p.reshape(g, found.value, [k, 1, a, b]) };
        },
      };
  const y = (lowerings[op] as Lower<Op>)(image, args.map(asImage), imageEnv);
  const published = hasOutput(image as IRNode, 'logits') ? outputRef(node.id, 'logits') : undefined;
  const logits = published === undefined ? undefined : env.values.get(published);
  if (published !== undefined && logits && logits.shape.length === 4) env.values.set(published, asSequence(logits));
  return asSequence(y);
}

function recurrentWeights(node: IRNode<'lstm' | 'gru'>, env: ForwardEnv) {
  return { kernel: env.param(node, 'kernel').value, recurrent: env.param(node, 'recurrent_kernel').value, bias: env.param(node, 'bias').value };
}

/**
 * Class indices (fed as floats [batch]) as one-hot rows of `depth`, as tf.oneHot: an index outside
 * [0, depth) gives a row of zeros. A comparison with the constant row 0 … depth − 1; no gradient.
 */
export function oneHot(g: StepGraph, labels: Sym, depth: number): Sym {
  const column = g.constant('Reshape', [labels, g.int64s([-1, 1])], [labels.shape[0]!, 1]);
  const classes = g.floats('classes', [1, depth], Float32Array.from({ length: depth }, (_, i) => i));
  return g.constant('Cast', [g.constant('Equal', [column, classes], [labels.shape[0]!, depth])], [labels.shape[0]!, depth], [attr.int('to', 1)]);
}

/** A [N, H, W, C] value's spatial size. */
function spatial(x: Sym): [number, number] {
  return [x.shape[1] as number, x.shape[2] as number];
}

/** The conv's bias (over the channels, last in NHWC) and activation, logits published as dense's. */
function withBias(node: IRNode<'conv2d' | 'deconv2d'>, y: Sym, env: ForwardEnv, spec: ActivationSpec): Sym {
  const linear = node.params?.bias ? p.add(env.g, y, env.param(node, 'bias').value) : y;
  if (hasOutput(node, 'logits')) env.values.set(outputOf(node, 'logits'), linear);
  return activation(env.g, linear, spec);
}

/**
 * Crops or zero-pads an NCHW value from `from` to `to` spatial size, inverting a maxpool as the tfjs
 * lowering does: 'same' pooling pads split (floor of half before), so cropping drops that split;
 * 'valid' pooling drops the cells at the end, so growing pads at the end.
 */
function fitWindows(g: StepGraph, x: Sym, from: [number, number], to: [number, number]): Sym {
  const begin: [number, number] = [0, 0];
  const size: [number, number] = [...from];
  const grow: [number, number] = [0, 0];
  for (const axis of [0, 1] as const) {
    const diff = to[axis] - from[axis];
    if (diff > 0) grow[axis] = diff;
    else if (diff < 0) {
      begin[axis] = Math.floor(-diff / 2);
      size[axis] = to[axis];
    }
  }
  let y = size[0] !== from[0] || size[1] !== from[1] ? s.cropSpatial(g, x, begin, size) : x;
  if (grow[0] > 0 || grow[1] > 0) y = s.padSpatial(g, y, [0, 0, grow[0], grow[1]]);
  return y;
}

export function activation(g: StepGraph, x: Sym, spec: ActivationSpec): Sym {
  switch (spec.fn) {
    case 'linear':
      return x;
    case 'relu':
      return p.relu(g, x);
    case 'tanh':
      return p.tanh(g, x);
    case 'sigmoid':
      return p.sigmoid(g, x);
    case 'leaky_relu':
      return p.leakyRelu(g, x, spec.alpha ?? 0.2);
    case 'elu':
      return p.elu(g, x);
    case 'gelu':
      return p.gelu(g, x);
    case 'softplus':
      return p.softplus(g, x);
    case 'softmax':
      return p.softmax(g, x);
  }
}

/** Runs `nodes` (IR order) into env.values; `rename` serves a read of one id by another (greedy). */
export function lowerNodes(nodes: readonly IRNode[], env: ForwardEnv, rename?: ReadonlyMap<string, string>): void {
  for (const node of nodes) {
    const args = node.inputs.map((read) => {
      const id = rename?.get(read) ?? read;
      const value = env.values.get(id);
      if (!value) throw new Error(`node '${node.id}': input '${id}' has no value`);
      return value;
    });
    const lower = lowerings[node.op] as Lower<IROp> | undefined;
    if (!lower) throw new Error(`node '${node.id}': the onnx engine has no lowering for '${node.op}'`);
    env.values.set(node.id, lower(node, args, env));
  }
}

/** The ops among `nodes` this engine cannot lower yet, each once, in order. */
export function unsupportedOps(nodes: readonly IRNode[]): string[] {
  return [...new Set(nodes.filter((n) => !Object.hasOwn(lowerings, n.op)).map((n) => n.op))];
}
