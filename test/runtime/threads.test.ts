// Issue 22: small models train on one thread by default (a step too short to share), larger ones on
// every core; the size is the model's multiply-adds per sample.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { defaultThreads, multiplyAddsPerSample, SMALL_MODEL_MULTIPLY_ADDS } from '../../runtime/train/threads.js';

const ir = (input: string, encoder: string) =>
  analyzeSource(`model m {\n  input x: ${input} in [0, 1]\n  encoder { ${encoder} }\n  latent z = dense(3)\n  decoder = mirror(encoder)\n  output x_hat = sigmoid\n  loss = mse(x_hat, x)\n}\n`, 'm.ae').irs[0]!;

describe('the default thread count', () => {
  it('counts multiply-adds per sample: dense kernels, and conv kernels at every output position', () => {
    // 16·8 + 8·3 encoder, 3·8 + 8·16 mirror.
    expect(multiplyAddsPerSample(ir('[16]', 'dense(8)'))).toBe(16 * 8 + 8 * 3 + 3 * 8 + 8 * 16);
    const conv = ir('[8, 8, 1]', 'conv2d(4, kernel = 3, padding = same), flatten');
    // The conv: 64 positions × 3·3·1·4; its mirror the same; the latent and its mirror 256·3 each.
    expect(multiplyAddsPerSample(conv)).toBe(2 * 64 * 9 * 4 + 2 * 256 * 3);
  });

  it('is one thread for a small model and every core for a large one', () => {
    expect(defaultThreads(ir('[16]', 'dense(8)'), 8)).toBe(1);
    const large = ir('[784]', 'dense(1000), dense(500)');
    expect(multiplyAddsPerSample(large)).toBeGreaterThan(SMALL_MODEL_MULTIPLY_ADDS);
    expect(defaultThreads(large, 8)).toBe(8);
  });
});
