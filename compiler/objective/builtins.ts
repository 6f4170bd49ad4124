// The loss terms of LANGUAGE.md section 7, one registry entry each: the tensors it takes, its named
// options (type and default, declared once), `reduce`'s default, what it proves of its arguments
// and the IR options it emits (typed by ir/ops.ts's `irTerms`), and a one-line doc. Lowering,
// did-you-mean, the language server and the docs test all read this table.
import type { IRTermCall, IRTermFn, Reduction } from '../../ir/types.js';
import type { ArgType } from '../shapes/signature.js';
import {
  classesAgree,
  computable,
  differentiable,
  gaussianOf,
  logitsOf,
  sameShapes,
  targetInUnitRange,
  vqOf,
  type TensorArgument,
} from './term-checks.js';
import { notOnTable, tableReconstruction } from './table-checks.js';
import { onehotOf } from './usage-checks.js';
import type { TermContext } from './terms.js';

export type LossName = IRTermFn;

/** A named numeric option of a loss term (besides `reduce`). */
export interface LossOption {
  type: ArgType & { kind: 'number' };
  default: number;
  /** What the option means, for notes and the editor. */
  doc: string;
}

/** The bound call: one resolved tensor per declared tensor name, `reduce`, the numeric options. */
export interface LossCall<Tensors extends readonly string[], Options extends string> {
  tensors: { [I in keyof Tensors]: TensorArgument };
  reduce: Reduction;
  options: Record<Options, number>;
}

export interface LossTerm<Fn extends LossName, Tensors extends readonly string[] = readonly string[], Options extends string = string> {
  doc: string;
  /** Positional tensor arguments, in order (their names are for messages and the editor). */
  tensors: Tensors;
  options: Readonly<Record<Options, LossOption>>;
  /** `reduce` when the call does not say: `mean` except for `kl`, whose ELBO term sums over the
   *  latent units of each sample (averaged over the batch), as every VAE paper and peer writes it. */
  defaultReduce: Reduction;
  /** Computed per element of each sample, so `reduce` changes its scale (the mixed-reductions lint).
   *  cross_entropy has one value per sample; kl_sparsity and weight_decay do not reduce over samples. */
  perElement: boolean;
  /** Keeps a code from learning the identity (the overcomplete-code lint). */
  regularisesCode: boolean;
  /** The IR options after proving what section 10 asks of the arguments; undefined after reporting.
   *  `args`, when given, replaces the tensors' node ids (vq_loss reads the quantiser's edges). */
  ir(call: LossCall<Tensors, Options>, context: TermContext): (IRTermCall<Fn> & { args?: string[] }) | undefined;
}

/** Declares one entry, inferring its tensor names and option names from what is written. */
function term<Fn extends LossName, const Tensors extends readonly string[], Options extends string = never>(
  entry: LossTerm<Fn, Tensors, Options>,
): LossTerm<Fn, Tensors, Options> {
  return entry;
}

export const lossTerms = Object.freeze({
  mse: term({
    doc: 'Mean squared error.',
    tensors: ['prediction', 'target'],
    options: {},
    defaultReduce: 'mean',
    perElement: true,
    regularisesCode: false,
    ir: ({ tensors: [prediction, target], reduce }, context) =>
      notOnTable('mse', prediction, target, { start: prediction.range.start, end: target.range.end }, context) && sameShapes('mse', prediction, target, context)
        ? { fn: 'mse', options: { reduce } }
        : undefined,
  }),
  bce: term({
    doc: 'Binary cross-entropy.',
    tensors: ['prediction', 'target'],
    options: {},
    defaultReduce: 'mean',
    perElement: true,
    regularisesCode: false,
    ir: ({ tensors: [prediction, target], reduce }, context) =>
      notOnTable('bce', prediction, target, { start: prediction.range.start, end: target.range.end }, context) &&
      sameShapes('bce', prediction, target, context) &&
      targetInUnitRange(target, context)
        ? { fn: 'bce', options: { reduce, ...logitsOf(prediction.tensor, 'sigmoid', context) } }
        : undefined,
  }),
  cross_entropy: term({
    doc: 'Categorical cross-entropy.',
    tensors: ['logits_or_probs', 'labels'],
    options: {},
    defaultReduce: 'mean',
    perElement: false,
    regularisesCode: false,
    ir: ({ tensors: [head, labels], reduce }, context) =>
      classesAgree(head, labels, context) ? { fn: 'cross_entropy', options: { reduce, ...logitsOf(head.tensor, 'softmax', context) } } : undefined,
  }),
  l1: term({
    doc: 'L1 activity penalty.',
    tensors: ['activity'],
    options: {},
    defaultReduce: 'mean',
    perElement: true,
    regularisesCode: true,
    ir: ({ reduce }) => ({ fn: 'l1', options: { reduce } }),
  }),
  l2: term({
    doc: 'L2 activity penalty.',
    tensors: ['activity'],
    options: {},
    defaultReduce: 'mean',
    perElement: true,
    regularisesCode: false,
    ir: ({ reduce }) => ({ fn: 'l2', options: { reduce } }),
  }),
  kl: term({
    doc: 'KL divergence of a gaussian latent from N(0, I).',
    tensors: ['latent'],
    options: {},
    defaultReduce: 'sum',
    perElement: true,
    regularisesCode: true,
    ir: ({ tensors: [latent], reduce }, context) => {
      const gaussian = gaussianOf(latent, context);
      return gaussian && { fn: 'kl', options: { reduce, ...gaussian } };
    },
  }),
  kl_sparsity: term({
    doc: 'Bernoulli KL of the mean activation from rho.',
    tensors: ['activity'],
    options: {
      rho: {
        type: { kind: 'number', min: 0, max: 1, minExclusive: true, maxExclusive: true },
        default: 0.05,
        doc: 'rho is the target mean activation of each unit, e.g. `rho = 0.05`',
      },
    },
    defaultReduce: 'mean',
    perElement: false,
    regularisesCode: true,
    ir: ({ reduce, options }) => ({ fn: 'kl_sparsity', options: { reduce, rho: options.rho } }),
  }),
  contractive: term({
    doc: 'Squared Frobenius norm of d code / d input, per sample, averaged over the batch.',
    tensors: ['code', 'input'],
    options: {},
    // The norm sums over the Jacobian's entries, as Rifai et al. (2011) weigh it (λ ≈ 1e-4):
    // averaging over them instead divides the penalty by inputs × code units (50,176 for 784 → 64),
    // which left `1e-4 * contractive(z, x)` regularising nothing.
    defaultReduce: 'sum',
    perElement: false,
    regularisesCode: true,
    ir: ({ tensors: [code, input], reduce }, context) =>
      differentiable(code, input, context) && computable(code, input, context) ? { fn: 'contractive', options: { reduce } } : undefined,
  }),
  vq_loss: term({
    doc: 'VQ-VAE codebook and commitment loss.',
    tensors: ['latent'],
    options: {},
    defaultReduce: 'mean',
    perElement: true,
    regularisesCode: false,
    ir: ({ tensors: [latent], reduce }, context) => {
      const vq = vqOf(latent, context);
      return vq && { fn: 'vq_loss', args: vq.args, options: { reduce, commitment: vq.commitment } };
    },
  }),
  reconstruction: term({
    doc: "A table's per-column loss: mse on each numeric column, cross-entropy on each categorical one, summed.",
    tensors: ['prediction', 'target'],
    options: {},
    // Summed over the columns of each sample (averaged over the batch): a negative log-likelihood
    // over mixed columns, the anomaly score of a row.
    defaultReduce: 'sum',
    perElement: false,
    regularisesCode: false,
    ir: ({ tensors: [prediction, target], reduce }, context) => {
      const table = tableReconstruction(prediction, target, context);
      return table && { fn: 'reconstruction', options: { reduce, ...table } };
    },
  }),
  weight_decay: term({
    doc: 'L2 over all weights.',
    tensors: [],
    options: {},
    defaultReduce: 'mean',
    perElement: false,
    regularisesCode: false,
    ir: ({ reduce }) => ({ fn: 'weight_decay', options: { reduce } }),
  }),
  usage_kl: term({
    doc: "KL of a onehot latent's batch-mean soft assignment from uniform: spreads the use of its clusters (against collapse).",
    tensors: ['latent'],
    options: {},
    // The KL sums over the clusters (log k when the batch uses one cluster, 0 when it uses all
    // alike); `mean` divides it by k.
    defaultReduce: 'sum',
    perElement: false,
    regularisesCode: false,
    ir: ({ tensors: [latent], reduce }, context) => (onehotOf(latent, context) ? { fn: 'usage_kl', options: { reduce } } : undefined),
  }),
});

/** The entries seen through what they share (lowering reads any term this way). The assignment is
 *  the check that every term of ir/ops.ts has an entry, under its own name, emitting its own options. */
const entries: { readonly [Fn in LossName]: LossTerm<Fn> } = lossTerms;

export function lossTerm(fn: LossName): LossTerm<LossName> {
  return entries[fn];
}

export const lossNames = Object.freeze(Object.keys(lossTerms)) as readonly LossName[];

export function isLossName(name: string): name is LossName {
  return Object.prototype.hasOwnProperty.call(lossTerms, name);
}

/** What a numeric option must be, in words: "a number strictly between 0 and 1". */
export function describeOption(type: LossOption['type']): string {
  if (type.min !== undefined && type.max !== undefined && type.minExclusive && type.maxExclusive) {
    return `a number strictly between ${type.min} and ${type.max}`;
  }
  const low = type.min === undefined ? [] : [`${type.minExclusive ? '>' : '≥'} ${type.min}`];
  const high = type.max === undefined ? [] : [`${type.maxExclusive ? '<' : '≤'} ${type.max}`];
  return ['a number', [...low, ...high].join(' and ')].filter(Boolean).join(' ');
}

/** Whether a value fits a numeric option's type. */
export function fitsOption(type: LossOption['type'], value: number): boolean {
  const below = type.min !== undefined && (type.minExclusive ? value <= type.min : value < type.min);
  const above = type.max !== undefined && (type.maxExclusive ? value >= type.max : value > type.max);
  return !below && !above;
}
