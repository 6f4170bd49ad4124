import fc from 'fast-check';

/**
 * Random small `.ae` models for the property test: every layer kind with random attributes, every
 * latent kind, every objective term with its options, tied and untied mirrors, heads with labels.
 * Sizes are tiny (the point is shapes and attribute combinations no spec uses), and the source is
 * what a user would write, so the compiler fills in shapes, initialisers and the mirror exactly as
 * it does for real models. A combination the checker rejects is skipped by the test, not here.
 */

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'gelu', 'softplus', 'linear', 'leaky_relu(0.2)'] as const;
const activation = fc.constantFrom(...ACTIVATIONS);
const reduce = fc.constantFrom('', ', reduce = mean', ', reduce = sum');

/** A dense layer, maybe followed by a normalisation or dropout. */
const denseLayer = fc
  .record({
    units: fc.integer({ min: 2, max: 7 }),
    act: activation,
    bias: fc.boolean(),
    after: fc.constantFrom('', ', batchnorm', ', layernorm', ', dropout(0.3)'),
  })
  .map(({ units, act, bias, after }) => ({ units, plain: after === '', text: `dense(${units}, act = ${act}${bias ? '' : ', bias = false'})${after}` }));

type Latent = { source: string; term: string; width: (encoderOut: number) => number };

const latent: fc.Arbitrary<Latent> = fc.oneof(
  fc.record({ units: fc.integer({ min: 1, max: 5 }), act: activation }).map(({ units, act }) => ({
    source: `dense(${units}, act = ${act})`,
    term: '',
    width: () => units,
  })),
  fc.record({ units: fc.integer({ min: 1, max: 4 }), reduce }).map(({ units, reduce: r }) => ({
    source: `gaussian(${units})`,
    term: ` + kl(z${r})`,
    width: () => units,
  })),
  fc.record({ codes: fc.integer({ min: 2, max: 9 }), commitment: fc.constantFrom(0.25, 1) }).map(({ codes, commitment }) => ({
    source: `vq(codes = ${codes}, dim = DIM, commitment = ${commitment})`,
    term: ' + vq_loss(z)',
    width: (encoderOut: number) => encoderOut,
  })),
  fc.record({ units: fc.integer({ min: 1, max: 6 }), stochastic: fc.boolean() }).map(({ units, stochastic }) => ({
    source: `binary(${units}${stochastic ? ', stochastic = true' : ''})`,
    term: '',
    width: () => units,
  })),
  fc.record({ units: fc.integer({ min: 2, max: 5 }), temperature: fc.constantFrom(0.5, 1) }).map(({ units, temperature }) => ({
    source: `onehot(${units}, temperature = ${temperature})`,
    term: '',
    width: () => units,
  })),
);

/** A dense autoencoder with every optional piece drawn at random. */
export const denseModel: fc.Arbitrary<string> = fc
  .record({
    width: fc.integer({ min: 3, max: 9 }),
    hidden: fc.array(denseLayer, { minLength: 1, maxLength: 2 }),
    last: fc.integer({ min: 2, max: 5 }),
    latent,
    tied: fc.boolean(),
    mirror: fc.boolean(),
    output: fc.constantFrom('sigmoid', 'linear', 'tanh'),
    recon: fc.constantFrom('mse', 'bce'),
    reconReduce: reduce,
    regularisers: fc.subarray(['l1(h)', 'l2(z)', 'kl_sparsity(s, rho = 0.1)', 'contractive(z, x)', 'weight_decay()']),
    regReduce: reduce,
    head: fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
    corrupt: fc.constantFrom('', 'gaussian(std = 0.1)', 'mask(p = 0.3)', 'salt_pepper(p = 0.2)', 'gaussian(std = 0.2) then clip(0, 1)', 'dropout(0.25)'),
  })
  .map((m) => {
    const output = m.recon === 'bce' ? 'sigmoid' : m.output;
    // `h` (the first hidden layer) and `s` (a sigmoid layer, for kl_sparsity) are named for the regularisers.
    const [first, ...rest] = m.hidden.map((layer) => layer.text);
    const encoder = [`${first} as h`, ...rest, `dense(${m.last}, act = sigmoid) as s`];
    const explicitDecoder = [...m.hidden.map((layer) => `dense(${layer.units}, act = tanh)`).reverse(), `dense(${m.width})`];
    const code = m.latent.source.replace('DIM', String(m.last));
    // A discrete code is often the same for every sample of a batch of 3; a batch norm in the decoder
    // then normalises a constant, whose (x − mean) is exactly 0 on one backend and rounding noise ×
    // 1/√ε on the other, and a relu after it sits on its kink: the gradients differ by design, not
    // by a kernel bug. Such decoders get no batch norm.
    const degenerate = /^(vq|binary|onehot)/.test(code) && m.hidden.some((layer) => layer.text.includes('batchnorm'));
    const mirror = m.mirror && !degenerate;
    const decoder = mirror ? `= mirror(encoder${m.tied ? ', tied = true' : ''})` : `{ ${explicitDecoder.join(', ')} }`;
    const withReduce = (term: string) => (['l1(h)', 'l2(z)'].includes(term) ? term.replace(')', `${m.regReduce})`) : term);
    // The runtime computes contractive's Jacobian in closed form through dense layers only (no norms,
    // no dropout) and for activations whose derivative it can write from the output (not gelu).
    const denseChain = code.startsWith('dense') && m.hidden.every((layer) => layer.plain) && ![code, ...m.hidden.map((l) => l.text)].some((t) => t.includes('gelu'));
    const regularisers = m.regularisers
      .filter((term) => !term.startsWith('contractive') || denseChain)
      .map((term) => ` + 0.1 * ${withReduce(term)}`);
    const head = m.head === undefined ? '' : `\n  input y: label(${m.head})\n  head probe on z { dense(${m.head}, act = softmax) }`;
    const headTerm = m.head === undefined ? '' : ' + 0.5 * cross_entropy(probe, y)';
    return `model random_dense {
  input x: [${m.width}] in [0, 1]${head}
${m.corrupt ? `  corrupt x with ${m.corrupt}\n` : ''}  encoder { ${encoder.join(', ')} }
  latent z = ${code}
  decoder ${decoder}
  output x_hat = ${output}
  loss = ${m.recon}(x_hat, x${m.reconReduce})${m.latent.term}${regularisers.join('')}${headTerm}
}
`;
  });

/** One convolutional stage of the encoder. */
const convLayer = fc
  .record({
    filters: fc.integer({ min: 1, max: 4 }),
    kernel: fc.constantFrom('1', '2', '3', '[3, 2]'),
    stride: fc.constantFrom(1, 2),
    padding: fc.constantFrom('same', 'valid'),
    act: activation,
    pool: fc.constantFrom('', ', maxpool(2)', ', batchnorm'),
  })
  .map(({ filters, kernel, stride, padding, act, pool }) => `conv2d(${filters}, kernel = ${kernel}, stride = ${stride}, padding = ${padding}, act = ${act})${pool}`);

/** A convolutional autoencoder: mirrored (deconvolutions, unpooling by switches, tied or not) or with an upsampling decoder. */
export const convModel: fc.Arbitrary<string> = fc
  .record({
    size: fc.constantFrom<[number, number]>([4, 4], [6, 6], [8, 8], [8, 6], [5, 7]),
    channels: fc.integer({ min: 1, max: 3 }),
    encoder: fc.array(convLayer, { minLength: 1, maxLength: 2 }),
    decoder: fc.constantFrom('mirror', 'tied', 'upsample', 'unpool_fill', 'deconv'),
    output: fc.constantFrom('sigmoid', 'linear'),
    recon: fc.constantFrom('mse', 'bce', 'l1'),
  })
  .map((m) => {
    const [h, w] = m.size;
    const output = m.recon === 'bce' ? 'sigmoid' : m.output;
    const decoders: Record<string, string> = {
      mirror: '= mirror(encoder)',
      tied: '= mirror(encoder, tied = true)',
      upsample: `{ upsample(2), conv2d(${m.channels}, kernel = 3, padding = same), flatten, dense(${h * w * m.channels}), reshape([${h}, ${w}, ${m.channels}]) }`,
      unpool_fill: `{ unpool(2, mode = fill), flatten, dense(${h * w * m.channels}), reshape([${h}, ${w}, ${m.channels}]) }`,
      deconv: `{ deconv2d(3, kernel = 3, stride = 2, padding = same, act = relu), flatten, dense(${h * w * m.channels}), reshape([${h}, ${w}, ${m.channels}]) }`,
    };
    const recon = m.recon === 'l1' ? 'mse(x_hat, x) + 0.1 * l1(z)' : `${m.recon}(x_hat, x)`;
    return `model random_conv {
  input x: [${h}, ${w}, ${m.channels}] in [0, 1]
  encoder { ${m.encoder.join(', ')} }
  latent z = identity
  decoder ${decoders[m.decoder]}
  output x_hat = ${output}
  loss = ${recon}
}
`;
  });
