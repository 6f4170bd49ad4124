// Contractive penalty ‖∂z/∂x‖²_F (Rifai et al. 2011), exact and without per-unit backward passes, for
// a code computed from x by a chain of dense layers (h_l = f_l(W_lᵀ h_{l-1} + b_l)):
//   J = D_n W_nᵀ ⋯ D_1 W_1ᵀ with D_l = diag(f_l'(a_l)), and ‖J‖² = trace(Jᵀ J) is propagated as a
//   Gram matrix: G_1 = W_1ᵀ W_1, G_l = W_lᵀ (D_{l-1} G_{l-1} D_{l-1}) W_l, ‖J‖² = Σ_j d_{n,j}² G_n,jj.
// One layer is the classic closed form Σ_j f'(a_j)² Σ_i W_ij². Between the layers only reshapes,
// corruptions and clips may sit (the Jacobian is then taken with respect to the flattened, possibly
// corrupted, input); any other op (a convolution, say) is rejected with a clear error. The path is
// ir/contractive-path.ts's, which the compiler checked and the ONNX engine's term walks too. The cost per
// sample is O(h²) memory per hidden width h: fine for MLP encoders of a few hundred units.
import * as tf from '@tensorflow/tfjs-core';
import { contractivePath } from '../../../ir/contractive-path.js';
import type { ActivationSpec } from '../../../ir/types.js';
import type { TermContext, TermFn } from '../context.js';

interface DenseLayer {
  /** The kernel as this layer sees it, [in, out]. */
  kernel: tf.Tensor2D;
  /** f'(a), per sample and unit, [batch, out]. */
  slope: tf.Tensor2D;
}

export const contractive: TermFn<'contractive'> = (term, ctx) => {
  const [codeId, inputName] = term.args as [string, string];
  const layers = denseChain(codeId, inputName, ctx);
  const first = layers[0]!;
  let gram: tf.Tensor = tf.matMul(first.kernel, first.kernel, true, false); // [h1, h1], shared by the batch
  let previous = first;
  for (const layer of layers.slice(1)) {
    const [hIn, hOut] = layer.kernel.shape;
    const d = previous.slope; // [B, hIn]
    const batch = d.shape[0];
    const scaled = tf.mul(tf.mul(gram, tf.expandDims(d, 2)), tf.expandDims(d, 1)); // D G D, [B, hIn, hIn]
    const right = tf.reshape(tf.matMul(tf.reshape(scaled, [-1, hIn]), layer.kernel), [batch, hIn, hOut]); // (DGD) W
    const left = tf.reshape(tf.transpose(right, [0, 2, 1]), [-1, hIn]); // Wᵀ(DGD) rows
    gram = tf.reshape(tf.matMul(left, layer.kernel), [batch, hOut, hOut]);
    previous = layer;
  }
  const last = layers[layers.length - 1]!;
  const units = last.kernel.shape[1];
  const diagonal = gram.rank === 2 ? tf.reshape(tf.sum(tf.mul(gram, tf.eye(units)), 1), [1, units]) : tf.sum(tf.mul(gram, tf.eye(units)), 2);
  const perSample = tf.sum(tf.mul(tf.square(last.slope), diagonal), -1);
  const total = tf.mean(perSample) as tf.Scalar;
  if (term.options.reduce === 'sum') return total;
  return tf.div(total, first.kernel.shape[0] * units) as tf.Scalar;
};

/** The dense layers from `inputName` to `codeId`, first layer first (ir/contractive-path.ts). */
function denseChain(codeId: string, inputName: string, ctx: TermContext): DenseLayer[] {
  const path = contractivePath(new Map(ctx.ir.nodes.map((n) => [n.id, n])), codeId, inputName);
  if (!path.ok) throw new Error(`contractive(${codeId}, ${inputName}): ${path.reason}`);
  return path.layers.map(({ dense, activation, output }) => {
    const view = ctx.parameters.view(dense.params!.kernel!);
    const kernel = (view.transposed ? tf.transpose(view.value) : view.value) as tf.Tensor2D;
    const h = ctx.value(output);
    return { kernel, slope: tf.reshape(derivative(h, activation), [h.shape[0]!, -1]) as tf.Tensor2D };
  });
}

/**
 * f'(a) written in terms of the output h = f(a), which is what the forward pass kept. Piecewise
 * slopes use tf.step: comparisons (greater) have no gradient function and sit on the taped path.
 */
function derivative(h: tf.Tensor, spec: ActivationSpec): tf.Tensor {
  switch (spec.fn) {
    case 'linear':
      return tf.onesLike(h);
    case 'sigmoid':
      return tf.mul(h, tf.sub(1, h));
    case 'tanh':
      return tf.sub(1, tf.square(h));
    case 'relu':
      return tf.step(h);
    case 'leaky_relu': {
      const alpha = spec.alpha;
      return tf.add(alpha, tf.mul(1 - alpha, tf.step(h)));
    }
    case 'elu': {
      const positive = tf.step(h);
      return tf.add(positive, tf.mul(tf.sub(1, positive), tf.add(h, 1)));
    }
    case 'softplus':
      return tf.sub(1, tf.exp(tf.neg(h)));
    default:
      throw new Error(`contractive: no closed form for a '${spec.fn}' code activation`);
  }
}
