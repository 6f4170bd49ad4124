// IR nodes → the step graph's primitives, in training or inference mode, as the tfjs lowering
// (runtime/program/ops/) computes them. Randomness is never drawn in the graph: each stochastic
// node declares a noise input (noise.ts draws it from the run's PRNG with the same seeds the tfjs
// lowering uses), so both engines see the same draws. An op without an entry here is not yet
// supported by this engine; `unsupportedOps` names it and the runtime trains on tfjs instead.
import type { ActivationSpec, IRModel, IRNode, IROp, ParameterRole } from '../../../ir/types.js';
import { attr, type Dim, type StepGraph, type Sym } from './graph.js';
import * as p from './primitives.js';

/** What a node's noise input holds (noise.ts computes it from the same tfjs draw as the tfjs path). */
export type NoiseKind =
  | { kind: 'normal'; std: number } // gaussian latents (std 1) and gaussian corruption: added
  | { kind: 'mask'; rate: number } // masking noise: multiplied (1 kept, 0 zeroed)
  | { kind: 'salt_pepper'; rate: number; low: number; high: number } // keep, low and high masks
  | { kind: 'dropout'; rate: number } // inverted-dropout multiplier (0 or 1/(1 − rate))
  | { kind: 'uniform' }; // stochastic bits: u in [0, 1)

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
}

type Lower<Op extends IROp> = (node: IRNode<Op>, args: Sym[], env: ForwardEnv) => Sym;

const lowerings: { [Op in IROp]?: Lower<Op> } = {
  dense: (node, [x], env) => {
    const { g } = env;
    const kernel = env.param(node, 'kernel');
    let linear = p.gemm(g, p.flatten(g, x!), kernel.value, false, kernel.transposed);
    if (node.attrs.useBias) linear = p.add(g, linear, env.param(node, 'bias').value);
    // Sigmoid and softmax publish their logits, for a loss term with `fromLogits` (as on tfjs).
    if (node.attrs.activation.fn === 'sigmoid' || node.attrs.activation.fn === 'softmax') env.values.set(`${node.id}:preactivation`, linear);
    return activation(g, linear, node.attrs.activation);
  },
  activation: (node, [x], env) => activation(env.g, x!, node.attrs),
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
    const bits = (threshold: Sym, value: Sym) => g.constant('Cast', [g.constant('Greater', [value, threshold], value.shape)], value.shape, [attr.int('to', 1)]);
    if (!env.training) return bits(g.scalar(0), x!);
    const probability = p.sigmoid(g, x!);
    const hard = node.attrs.stochastic ? bits(env.noise(node, x!, { kind: 'uniform' })[0]!, probability) : bits(g.scalar(0), x!);
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
