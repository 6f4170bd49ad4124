// Parameter counts equal Keras's / PyTorch's for the seed articles' architectures. Expected values
// are computed here by hand formulas, independently of the compiler's op table.
import { describe, expect, it } from 'vitest';
import { onlyModel } from './helpers.js';

const dense = (i: number, o: number) => i * o + o;
const conv = (k: number, i: number, o: number) => k * k * i * o + o;

describe('parameter counts', () => {
  it('seed 004: PyTorch 784-128-64-12-3 MLP with its mirror', () => {
    const m = onlyModel(`
model mlp {
  input x: [784] in [0, 1]
  encoder { dense(128, act = relu), dense(64, act = relu), dense(12, act = relu) }
  latent z = dense(3)
  decoder = mirror(encoder)
  output x_hat = tanh
  loss = mse(x_hat, x)
}`);
    const sizes = [784, 128, 64, 12, 3];
    let expected = 0;
    for (let i = 0; i + 1 < sizes.length; i++) expected += dense(sizes[i]!, sizes[i + 1]!) + dense(sizes[i + 1]!, sizes[i]!);
    expect(expected).toBe(219891);
    expect(m.parameterCount).toEqual({ total: expected, trainable: expected });
    // Mirror activations as in the PyTorch code: ReLU after every decoder layer but the last.
    const decoder = m.nodes.filter((n) => n.stage === 'decoder');
    expect(decoder.map((n) => (n.op === 'dense' ? `${n.attrs.units}:${n.attrs.activation.fn}` : n.op))).toEqual([
      '12:relu',
      '64:relu',
      '128:relu',
      '784:linear',
    ]);
    expect(m.output?.activation).toEqual({ fn: 'tanh' });
  });

  it('seed 001: the Keras convolutional AE (conv 16/8/8, maxpool 2, upsampling decoder)', () => {
    const m = onlyModel(`
model cae {
  input x: [28, 28, 1] in [0, 1]
  encoder {
    conv2d(16, kernel = 3, padding = same, act = relu)
    maxpool(2, padding = same)
    conv2d(8, kernel = 3, padding = same, act = relu)
    maxpool(2, padding = same)
  }
  latent z = identity
  decoder {
    conv2d(8, kernel = 3, padding = same, act = relu)
    upsample(2)
    conv2d(16, kernel = 3, padding = same, act = relu)
    upsample(2)
    conv2d(1, kernel = 3, padding = same)
  }
  output x_hat = sigmoid
  loss = bce(x_hat, x)
}`);
    const expected = conv(3, 1, 16) + conv(3, 16, 8) + conv(3, 8, 8) + conv(3, 8, 16) + conv(3, 16, 1);
    expect(expected).toBe(3217);
    expect(m.parameterCount.total).toBe(expected);
    expect(m.tensors.get('z')?.shape).toEqual([null, 7, 7, 8]);
    expect(m.output?.shape).toEqual([null, 28, 28, 1]);
  });

  it('seed 001: the Keras VAE (512 hidden, 2-D code): the latent is two dense heads', () => {
    const m = onlyModel(`
model vae {
  input x: [784] in [0, 1]
  encoder { dense(512, act = relu) }
  latent z = gaussian(2)
  decoder { dense(512, act = relu), dense(784) }
  output x_hat = sigmoid
  loss = bce(x_hat, x, reduce = sum) + kl(z)
}`);
    const encoder = dense(784, 512) + 2 * dense(512, 2);
    const decoder = dense(2, 512) + dense(512, 784);
    expect(encoder).toBe(403972); // Keras: encoder Total params: 403,972
    expect(decoder).toBe(403728); // Keras: decoder Total params: 403,728
    expect(m.parameterCount.total).toBe(encoder + decoder);
    expect(m.latent?.meanNodeId).toBe('latent.z.mean');
    expect(m.latent?.logvarNodeId).toBe('latent.z.logvar');
  });

  const hinton = (tied: boolean) => `
let code = 30
model deep_mnist {
  input x: [28, 28, 1] in [0, 1]
  encoder { flatten, dense(1000, act = relu), dense(500, act = relu), dense(250, act = relu) }
  latent z = dense(code)
  decoder = mirror(encoder, tied = ${tied})
  output x_hat = sigmoid
  loss = bce(x_hat, x)
}`;
  const sizes = [784, 1000, 500, 250, 30];

  it('Hinton 784-1000-500-250-30, untied', () => {
    let expected = 0;
    for (let i = 0; i + 1 < sizes.length; i++) expected += dense(sizes[i]!, sizes[i + 1]!) + dense(sizes[i + 1]!, sizes[i]!);
    expect(onlyModel(hinton(false)).parameterCount.total).toBe(expected);
  });

  it('Hinton 784-1000-500-250-30, tied: each W once, every layer its own bias', () => {
    let expected = 0;
    for (let i = 0; i + 1 < sizes.length; i++) expected += dense(sizes[i]!, sizes[i + 1]!) + sizes[i]!;
    const m = onlyModel(hinton(true));
    expect(m.parameterCount.total).toBe(expected);
    const tied = m.parameters.filter((p) => p.tiedTo !== undefined);
    expect(tied.map((p) => `${p.id}→${p.tiedTo}:${p.transpose}:${p.shape}`)).toEqual([
      'decoder.0.dense.kernel→latent.z.kernel:true:30,250',
      'decoder.1.dense.kernel→encoder.3.dense.kernel:true:250,500',
      'decoder.2.dense.kernel→encoder.2.dense.kernel:true:500,1000',
      'decoder.3.dense.kernel→encoder.1.dense.kernel:true:1000,784',
    ]);
    expect(m.nodes.at(-2)).toMatchObject({ op: 'reshape', attrs: { target: [28, 28, 1] } });
  });

  it('batchnorm: gamma and beta trainable, moving statistics not', () => {
    const m = onlyModel(`
model bn {
  input x: [784] in [0, 1]
  encoder { dense(64, act = relu), batchnorm }
  latent z = dense(8)
  decoder { dense(64, act = relu), dense(784) }
  output x_hat = sigmoid
  loss = mse(x_hat, x)
}`);
    const weights = dense(784, 64) + dense(64, 8) + dense(8, 64) + dense(64, 784);
    expect(m.parameterCount).toEqual({ total: weights + 4 * 64, trainable: weights + 2 * 64 });
  });

  it('vq codebook is K×D', () => {
    const m = onlyModel(`
model vq {
  input x: [784] in [0, 1]
  encoder { dense(256, act = relu), dense(64) }
  latent z = vq(codes = 512, dim = 64, commitment = 0.25)
  decoder { dense(256, act = relu), dense(784) }
  output x_hat = sigmoid
  loss = mse(x_hat, x) + vq_loss(z)
}`);
    expect(m.parameterCount.total).toBe(dense(784, 256) + dense(256, 64) + 512 * 64 + dense(64, 256) + dense(256, 784));
    expect(m.latent).toMatchObject({ kind: 'vq', codes: 512, width: 64, commitment: 0.25 });
  });
});
