// The loss built-ins of LANGUAGE.md section 7, declared once: which tensors each takes and which
// named options, with their defaults. Lowering, did-you-mean and the docs all read this table.
import type { IRTerm, Reduction } from '../../ir/types.js';

export type LossName = IRTerm['fn'];

export interface LossSignature {
  /** Positional tensor arguments, in order (their names are for messages only). */
  tensors: readonly string[];
  /** Named numeric options besides `reduce`, with defaults (undefined: required). */
  numbers: Readonly<Record<string, number | undefined>>;
  /** What the function computes, for notes. */
  summary: string;
  /** `reduce` when the call does not say: `mean` except for `kl`, whose ELBO term sums over the
   *  latent units of each sample (averaged over the batch), as every VAE paper and peer writes it. */
  defaultReduce: Reduction;
}

export const lossSignatures: Readonly<Record<LossName, LossSignature>> = Object.freeze({
  mse: { tensors: ['prediction', 'target'], numbers: {}, summary: 'mean squared error', defaultReduce: 'mean' },
  bce: { tensors: ['prediction', 'target'], numbers: {}, summary: 'binary cross-entropy', defaultReduce: 'mean' },
  cross_entropy: { tensors: ['logits_or_probs', 'labels'], numbers: {}, summary: 'categorical cross-entropy', defaultReduce: 'mean' },
  l1: { tensors: ['activity'], numbers: {}, summary: 'L1 activity penalty', defaultReduce: 'mean' },
  l2: { tensors: ['activity'], numbers: {}, summary: 'L2 activity penalty', defaultReduce: 'mean' },
  kl: { tensors: ['latent'], numbers: {}, summary: 'KL divergence of a gaussian latent from N(0, I)', defaultReduce: 'sum' },
  kl_sparsity: { tensors: ['activity'], numbers: { rho: 0.05 }, summary: 'Bernoulli KL of the mean activation from rho', defaultReduce: 'mean' },
  contractive: { tensors: ['code', 'input'], numbers: {}, summary: 'squared Frobenius norm of d code / d input', defaultReduce: 'mean' },
  vq_loss: { tensors: ['latent'], numbers: {}, summary: 'VQ-VAE codebook and commitment loss', defaultReduce: 'mean' },
  weight_decay: { tensors: [], numbers: {}, summary: 'L2 over all weights', defaultReduce: 'mean' },
});

export const lossNames = Object.freeze(Object.keys(lossSignatures)) as readonly LossName[];

export function isLossName(name: string): name is LossName {
  return Object.prototype.hasOwnProperty.call(lossSignatures, name);
}

/** Terms that keep a code from learning the identity (for the overcomplete-code lint). */
export const regularisingLosses: ReadonlySet<LossName> = new Set<LossName>(['l1', 'kl_sparsity', 'contractive', 'kl']);
