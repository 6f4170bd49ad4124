// IR nodes → the step graph's primitives, in training or inference mode, as the tfjs lowering
// (runtime/program/ops/) computes them. Randomness is never drawn in the graph: each stochastic
// node declares a noise input (noise.ts draws it from the run's PRNG with the same seeds the tfjs
// lowering uses), so both engines see the same draws. An op without an entry here is not yet
// supported by this engine; `unsupportedOps` names it and the runtime trains on tfjs instead.
import type { ActivationSpec, IRModel, IRNode, IROp, ParameterRole } from '../../../ir/types.js';
import { hasOutput, outputOf } from '../../../ir/outputs.js';
import { transposedConvGeometry, windowPads } from '../../../onnx/geometry.js';
import { attr, type Dim, type StepGraph, type Sym } from './graph.js';
import * as p from './primitives.js';
import * as s from './spatial.js';

/** What a node's noise input holds (noise.ts computes it from the same tfjs draw as the tfjs path). */
export type NoiseKind =
  | { kind: 'normal'; std: number } // gaussian latents (std 1) and gaussian corruption: added
  | { kind: 'mask'; rate: number } // masking noise: multiplied (1 kept, 0 zeroed)
  | { kind: 'salt_pepper'; rate: number; low: number; high: number } // keep, low and high masks
  | { kind: 'dropout'; rate: number } // inverted-dropout multiplier (0 or 1/(1 − rate))
  | { kind: 'uniform'; low: number }; // stochastic bits (u in [0, 1)), Gumbel noise (u in [1e-10, 1))

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
    let linear = p.gemm(g, p.flatten(g, x!), kernel.value, false, kernel.transposed);
    if (node.attrs.useBias) linear = p.add(g, linear, env.param(node, 'bias').value);
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
    const { y, indices } = s.maxPool(g, input, { kernel: pool, strides: stride, pads: windowPads(padding, spatial(x!), pool, stride) });
    // the `switches` output an unpool reads: 1 at each window's first maximum (kept NCHW, as the
    // unpool lowering below uses it)
    if (hasOutput(node, 'switches')) env.values.set(outputOf(node, 'switches'), s.scatterFlat(g, g.constant('Expand', [g.scalar(1), p.shapeOf(g, y)], y.shape), indices, input));
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
};

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
