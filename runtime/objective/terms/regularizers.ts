// Regularisers: gaussian KL (VAE), KL sparsity (sparse AE), weight decay, VQ codebook/commitment.
import * as tf from '@tensorflow/tfjs-core';
import { detach } from '../../kernels/detach.js';
import type { TermFn } from '../context.js';
import { reduce } from '../reduce.js';

/**
 * KL(N(mean, exp(logvar)) || N(0, I)) = -½ (1 + logvar - mean² - exp(logvar)), per latent unit: the
 * one place the runtime writes it (the kl term, the negative-ELBO score and the NELBO metric).
 */
export function gaussianKlPerUnit(mean: tf.Tensor, logvar: tf.Tensor): tf.Tensor {
  return tf.mul(-0.5, tf.sub(tf.sub(tf.add(1, logvar), tf.square(mean)), tf.exp(logvar)));
}

export const kl: TermFn<'kl'> = (term, ctx) => reduce(gaussianKlPerUnit(ctx.value(term.options.mean), ctx.value(term.options.logvar)), term.options.reduce);

/**
 * Σ_j KL(ρ || ρ̂_j) with ρ̂_j the batch-mean activation of unit j (activations in (0, 1)).
 * reduce = sum sums over units; mean averages over them.
 */
export const klSparsity: TermFn<'kl_sparsity'> = (term, ctx) => {
  const activations = ctx.value(term.args[0]!);
  const rho = term.options.rho;
  const rhoHat = tf.clipByValue(tf.mean(tf.reshape(activations, [activations.shape[0]!, -1]), 0), 1e-6, 1 - 1e-6);
  const perUnit = tf.add(
    tf.mul(rho, tf.log(tf.div(rho, rhoHat))),
    tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))),
  );
  return term.options.reduce === 'sum' ? tf.sum(perUnit) : tf.mean(perUnit);
};

/** Σ w² over every stored kernel (tied kernels once); mean divides by their element count. */
export const weightDecay: TermFn<'weight_decay'> = (term, ctx) => {
  const kernels = ctx.parameters.stored().filter((p) => p.role === 'kernel' && p.trainable);
  if (kernels.length === 0) return tf.scalar(0);
  const squares = kernels.map((p) => tf.sum(tf.square(ctx.parameters.variables.get(p.id)!)));
  const total = tf.addN(squares) as tf.Scalar;
  if (term.options.reduce === 'sum') return total;
  const count = kernels.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  return tf.div(total, count);
};

/**
 * VQ-VAE: ‖sg(z_e) − z_q‖² (moves the codebook) + β‖z_e − sg(z_q)‖² (commits the encoder), with
 * args [z_e, z_q]: the quantiser's input and its `quantized` output.
 */
export const vqLoss: TermFn<'vq_loss'> = (term, ctx) => {
  const encoded = ctx.value(term.args[0]!);
  const quantized = ctx.value(term.args[1]!);
  const codebookTerm = reduce(tf.squaredDifference(detach(encoded), quantized), term.options.reduce);
  const commitTerm = reduce(tf.squaredDifference(encoded, detach(quantized)), term.options.reduce);
  return tf.add(codebookTerm, tf.mul(commitTerm, term.options.commitment));
};
