// The registry's rules that need an op's typed attributes (ir/ops.ts holds its plain declarations):
// the parameter shapes each weighted op needs, shared by the compiler's registry
// (compiler/shapes/, which adds initialisers) and the IR's graph validation (ir/graph.ts); and the
// questions general code asks of a node (its activation, its value bounds, its latent kind, whether
// a gradient passes it), answered from the traits, so that no code outside the registry names ops.
import type { ActivationSpec } from './activation.js';
import { irOps, irTerms, type OpTraits, type TermTraits } from './ops.js';
import type { Fields } from './attributes.js';
import type { IRAttrs, IRNode, IROp, IRTerm, IRTermFn, ParameterRole } from './types.js';

/** The parameters an op reads, by role, from its attributes and its input's last dimension. */
type ParameterRule<Op extends IROp> = (attrs: IRAttrs[Op], channels: number) => Partial<Record<ParameterRole, number[]>>;

const denseRule: ParameterRule<'dense' | 'dense_per_step'> = (a, channels) => ({ kernel: [channels, a.units], ...(a.useBias ? { bias: [a.units] } : {}) });
const normRule: ParameterRule<'batchnorm' | 'layernorm'> = (_a, channels) => ({ gamma: [channels], beta: [channels], moving_mean: [channels], moving_variance: [channels] });

/**
 * One entry per weighted op (the others read no parameters). Kernel layouts: dense [in, out];
 * conv2d [kh, kw, in, out]; deconv2d [kh, kw, out, in] (so a deconvolution tied to a convolution
 * reads the same tensor); conv1d [k, in, out], deconv1d [k, out, in]; recurrent kernels Keras's.
 * A rule lists every role the op may read: the node's own `params` say which it has (a batchnorm's
 * moving statistics, a layernorm none of them).
 */
export const parameterRules: { [Op in IROp]?: ParameterRule<Op> } = {
  dense: denseRule,
  dense_per_step: denseRule,
  conv2d: (a, channels) => ({ kernel: [...a.kernel, channels, a.filters], bias: [a.filters] }),
  deconv2d: (a, channels) => ({ kernel: [...a.kernel, a.filters, channels], bias: [a.filters] }),
  conv1d: (a, channels) => ({ kernel: [a.kernel, channels, a.filters], bias: [a.filters] }),
  deconv1d: (a, channels) => ({ kernel: [a.kernel, a.filters, channels], bias: [a.filters] }),
  lstm: (a, channels) => ({ kernel: [channels, 4 * a.units], recurrent_kernel: [a.units, 4 * a.units], bias: [4 * a.units] }),
  gru: (a, channels) => ({ kernel: [channels, 3 * a.units], recurrent_kernel: [a.units, 3 * a.units], bias: [2, 3 * a.units] }),
  batchnorm: normRule,
  layernorm: normRule,
  vector_quantize: (a) => ({ codebook: [a.codes, a.dim] }),
};

/** The parameter shapes `op` with `attrs` reads from an input of `channels` channels. */
export function parameterShapes<Op extends IROp>(op: Op, attrs: IRAttrs[Op], channels: number): Partial<Record<ParameterRole, number[]>> {
  const rule = parameterRules[op] as ParameterRule<Op> | undefined;
  return rule ? rule(attrs, channels) : {};
}

const noTraits: OpTraits = {};

export function opTraits(op: IROp): OpTraits {
  return (irOps[op] as { traits?: OpTraits } | undefined)?.traits ?? noTraits;
}

export function termTraits(fn: IRTermFn): TermTraits {
  return (irTerms[fn] as { traits?: TermTraits } | undefined)?.traits ?? {};
}

/** The activation a node applies: an activation op's own attrs, or a layer's fused `activation`. */
export function activationOf(node: IRNode | undefined): ActivationSpec | undefined {
  if (!node) return undefined;
  if (irOps[node.op].attrs === 'activation') return node.attrs as ActivationSpec;
  return (node.attrs as { activation?: ActivationSpec }).activation;
}

/** What a summary or hover calls a node: an activation op by its function, others by their op. */
export function displayOp(node: IRNode): string {
  return irOps[node.op].attrs === 'activation' ? (node.attrs as ActivationSpec).fn : node.op;
}

/** Bounds its op gives a node's values ([0, 1] bits, a clip's [low, high]), else undefined. */
export function opValueRange(node: IRNode): [number, number] | undefined {
  const range = opTraits(node.op).range;
  if (range === 'unit') return [0, 1];
  if (range === 'attrs') {
    const { low, high } = node.attrs as { low: number; high: number };
    return [low, high];
  }
  return undefined;
}

/** No useful gradient reaches the node's input (vq's argmin, binarize's sign, a hard one-hot). */
export function blocksGradient(node: IRNode): boolean {
  const blocks = opTraits(node.op).blocksGradient;
  return blocks === true || (blocks === 'when-hard' && (node.attrs as { hard?: boolean }).hard === true);
}

/** The kind of code a latent node makes, or undefined for a deterministic one. */
export function latentKindOf(node: IRNode | undefined): OpTraits['latent'] {
  return node && opTraits(node.op).latent;
}

/** `node` as the op that makes latents of `kind`, when it is one (for its typed attributes). */
export function asLatent<K extends NonNullable<OpTraits['latent']>>(node: IRNode | undefined, kind: K): IRNode<LatentOp<K>> | undefined {
  return latentKindOf(node) === kind ? (node as IRNode<LatentOp<K>>) : undefined;
}

/** The op whose traits declare each latent kind (the types only: asLatent decides by the traits). */
interface LatentOps {
  gaussian: 'gaussian_sample';
  vq: 'vector_quantize';
  binary: 'binarize';
  'one-hot': 'gumbel_onehot';
}
type LatentOp<K extends keyof LatentOps> = LatentOps[K];

/** Every tensor a term reads: its arguments, then its options of type `tensor` (fromLogits, a kl's
 *  mean and logvar), as references (ir/outputs.ts). */
export function termTensors(term: IRTerm): string[] {
  const fields = irTerms[term.fn].options as Fields;
  const options = term.options as Record<string, unknown>;
  const named = Object.entries(fields)
    .filter(([name, field]) => field.type.kind === 'tensor' && typeof options[name] === 'string')
    .map(([name]) => options[name] as string);
  return [...term.args, ...named];
}

/** The names of a term's `tensor` options, for messages and validation (ir/graph.ts). */
export function tensorOptionNames(fn: IRTermFn): string[] {
  return Object.entries(irTerms[fn].options as Fields).filter(([, field]) => field.type.kind === 'tensor').map(([name]) => name);
}
