import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../runtime/backends/index.js';
import { checkGradients, compile, failures, unmoved } from './finite-differences.js';

/**
 * Every op and every objective term, differentiated by tfjs-cpu (the reference every other backend
 * is compared with), against central finite differences (finite-differences.ts). Each model is
 * tiny and covers a group of ops or terms; the loss is differentiated with respect to every
 * parameter, so every op's backward pass for its input and its parameters is on the path.
 * Straight-through estimators are not differentiable and are checked in straight-through.test.ts.
 */
beforeAll(async () => {
  await selectBackend('cpu');
});

const MODELS: Record<string, string> = {
  'dense with every activation (leaky relu too), tied mirror, bce from logits, l2, weight decay': `model m {
    input x: [5] in [0, 1]
    encoder { dense(4, act = tanh), dense(4, act = elu), dense(4, act = gelu), dense(3, act = leaky_relu(0.2)) }
    latent z = dense(2, act = softplus)
    decoder = mirror(encoder, tied = true)
    output x_hat = sigmoid
    loss = bce(x_hat, x) + 0.1 * l2(z) + 0.01 * weight_decay()
  }`,
  'relu, batch norm, layer norm, dropout, mse (sum), l1 (sum), no bias': `model m {
    input x: [6] in [-1, 1]
    encoder { dense(5, act = relu), batchnorm, dense(4, bias = false), layernorm, tanh, dropout(0.3) }
    latent z = dense(3)
    decoder { dense(4, act = relu), dense(6) }
    output x_hat = linear
    loss = mse(x_hat, x, reduce = sum) + 0.1 * l1(z, reduce = sum)
  }`,
  'bce on a sigmoid layer (not from logits), l2 (sum), weight decay (sum)': `model m {
    input x: [4] in [0, 1]
    encoder { dense(3, act = tanh) }
    latent z = dense(2)
    decoder { dense(3, act = tanh), dense(4, act = sigmoid) }
    output x_hat = linear
    loss = bce(x_hat, x, reduce = sum) + 0.1 * l2(z, reduce = sum) + 0.01 * weight_decay(reduce = sum)
  }`,
  'convolutions (stride, padding, rectangular), max pooling, mirrored deconvolution and switch unpooling, tied': `model m {
    input x: [8, 8, 1] in [0, 1]
    encoder { conv2d(2, kernel = 3, padding = same, act = tanh), maxpool(2), conv2d(3, kernel = [3, 2], stride = 2, padding = same, act = elu) }
    latent z = identity
    decoder = mirror(encoder, tied = true)
    output x_hat = sigmoid
    loss = bce(x_hat, x, reduce = sum)
  }`,
  'upsampling, unpooling by fill, deconvolution, flatten, reshape, conv batch norm': `model m {
    input x: [4, 4, 2] in [0, 1]
    encoder { conv2d(3, kernel = 2, stride = 2, padding = valid, act = softplus), batchnorm }
    latent z = identity
    decoder { upsample(2), conv2d(2, kernel = 3, act = tanh), unpool(2, mode = fill), deconv2d(2, kernel = 3, stride = 2, padding = same), flatten, dense(32), reshape([4, 4, 2]) }
    output x_hat = sigmoid
    loss = mse(x_hat, x)
  }`,
  'gaussian latent, kl (mean), bce (sum)': `model m {
    input x: [5] in [0, 1]
    encoder { dense(4, act = tanh) }
    latent z = gaussian(2)
    decoder { dense(4, act = tanh), dense(5) }
    output x_hat = sigmoid
    loss = bce(x_hat, x, reduce = sum) + kl(z)
  }`,
  'gaussian latent, kl (sum)': `model m {
    input x: [5] in [0, 1]
    encoder { dense(4, act = tanh) }
    latent z = gaussian(3)
    decoder { dense(5) }
    output x_hat = sigmoid
    loss = bce(x_hat, x) + kl(z, reduce = sum)
  }`,
  'kl_sparsity, l1 on a named layer, contractive through a dense chain': `model m {
    input x: [5] in [0, 1]
    encoder { dense(4, act = sigmoid) as h, dense(3, act = tanh) }
    latent z = dense(2, act = tanh)
    decoder = mirror(encoder)
    output x_hat = sigmoid
    loss = mse(x_hat, x) + 0.5 * kl_sparsity(h, rho = 0.2) + 0.1 * l1(h) + 0.3 * contractive(z, x)
  }`,
  'cross_entropy from a softmax head and from linear logits': `model m {
    input x: [4] in [0, 1]
    input y: label(3)
    encoder { dense(4, act = tanh) as h }
    latent z = dense(2, act = tanh)
    decoder { dense(4) }
    output x_hat = sigmoid
    head soft on z { dense(3, act = softmax) }
    head logits on h { dense(3) }
    loss = bce(x_hat, x) + cross_entropy(soft, y) + 0.5 * cross_entropy(logits, y)
  }`,
  'conditional encoder and decoder (one-hot label, concatenation), mirrored': `model m {
    input x: [4] in [0, 1]
    input y: label(3)
    encoder on x, y { dense(3, act = tanh) }
    latent z = gaussian(2)
    decoder on z, y = mirror(encoder)
    output x_hat = sigmoid
    loss = bce(x_hat, x, reduce = sum) + kl(z)
  }`,
  'table input, per-column table output (softmax per categorical column), reconstruction (sum and mean)': `model m {
    input x: table(amount, merchant: category(3), hour)
    encoder { dense(3, act = tanh) }
    latent z = dense(2)
    decoder = mirror(encoder)
    output x_hat = table
    loss = reconstruction(x_hat, x) + 0.5 * reconstruction(x_hat, x, reduce = mean)
  }`,
  'vq_loss (codebook and commitment; the codes do not move under the step)': `model m {
    input x: [4] in [0, 1]
    encoder { dense(3, act = tanh) }
    latent z = vq(codes = 4, dim = 3, commitment = 0.25)
    decoder { dense(4) }
    output x_hat = sigmoid
    loss = vq_loss(z)
  }`,
  'sequences: conv1d, lstm over the steps, repeat_vector, lstm with sequences, per-step dense': `model m {
    input s: [5, 2] in [-1, 1]
    encoder { conv1d(3, kernel = 3, act = tanh), lstm(3) }
    latent z = dense(2)
    decoder { repeat_vector(5), lstm(3, sequences = true), dense(2, per_step = true) }
    output s_hat = linear
    loss = mse(s_hat, s, reduce = sum) + l2(z, reduce = sum)
  }`,
  'sequences: strided conv1d and gru mirrored (repeat_vector, gru, per-step dense, deconv1d)': `model m {
    input s: [6, 2] in [-1, 1]
    encoder { conv1d(3, kernel = 3, stride = 2, act = elu), gru(3) }
    latent z = dense(2, act = tanh)
    decoder = mirror(encoder)
    output s_hat = linear
    loss = mse(s_hat, s, reduce = sum)
  }`,
  'sequences: max pooling over steps, tied deconv1d, switch and fill unpooling, upsampling, average pooling': `model m {
    input s: [8, 2] in [-1, 1]
    encoder { conv1d(3, kernel = 3, act = tanh), maxpool(2), conv1d(2, kernel = 3, padding = valid, act = tanh), avgpool(2) }
    latent z = identity
    decoder = mirror(encoder, tied = true)
    output s_hat = linear
    head up on z { upsample(2), unpool(2, mode = fill), gru(2, sequences = true) }
    loss = mse(s_hat, s, reduce = sum) + l2(up, reduce = sum)
  }`,
  'corruptions (fixed noise): gaussian, mask, salt and pepper, clip': `model m {
    input x: [6] in [0, 1]
    corrupt x with gaussian(std = 0.1) then mask(p = 0.2) then salt_pepper(p = 0.2) then clip(0, 1)
    encoder { dense(4, act = tanh) }
    latent z = dense(2)
    decoder = mirror(encoder, tied = true)
    output x_hat = sigmoid
    loss = mse(x_hat, x)
  }`,
};

describe('cpu gradients agree with central finite differences', () => {
  for (const [name, source] of Object.entries(MODELS)) {
    it(name, () => {
      // vq_loss alone: the decoder is not on its path (the reconstruction reaches the encoder
      // straight through the quantiser, which finite differences cannot see: straight-through.test.ts).
      // vq_loss = ‖sg(z) − q‖² + β‖z − sg(q)‖² (van den Oord et al. 2017): finite differences see
      // (1 + β)‖z − q‖² in both z and q; the codebook is given the first term's gradient, 1/(1 + β)
      // of that, and the encoder the commitment's, β/(1 + β). β = 0.25 here.
      const vq = name.startsWith('vq_loss');
      const beta = 0.25;
      const kinked = /relu|max pooling|l1/.test(name);
      const checks = checkGradients(compile(source), {
        ...(kinked ? { step: 2e-3 } : {}),
        skip: (id) => vq && !id.startsWith('encoder.') && !id.startsWith('latent.'),
        ...(vq ? { share: (id: string) => (id.endsWith('.codebook') ? 1 / (1 + beta) : beta / (1 + beta)) } : {}),
      });
      expect(checks.length).toBeGreaterThan(2);
      // A check that compares zeros proves nothing: every parameter must move the loss.
      expect(unmoved(checks)).toEqual([]);
      expect(failures(checks)).toEqual([]);
    });
  }
});

describe('the check fails on a wrong gradient', () => {
  it('a Tanh gradient 5 % too large is caught, on every parameter upstream of it', () => {
    const tanh = tf.getGradient('Tanh')!;
    const scaled: tf.GradConfig = {
      ...tanh,
      gradFunc: (dy, saved, attrs) => {
        const grads = tanh.gradFunc(dy, saved, attrs);
        return { x: () => tf.mul(grads['x']!(), 1.05) };
      },
    };
    tf.registerGradient(scaled);
    try {
      const checks = checkGradients(compile(MODELS['gaussian latent, kl (sum)']!));
      expect(failures(checks).map((line) => line.split(' ')[0])).toEqual(
        expect.arrayContaining(['encoder.0.dense.kernel', 'encoder.0.dense.bias']),
      );
    } finally {
      tf.registerGradient(tanh);
    }
  });
});
