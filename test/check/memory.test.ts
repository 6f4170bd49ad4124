// AE3014: a model that cannot train in the memory available is refused before anything is
// allocated, with the estimate and its parts; the limit can be raised (Infinity: no limit).
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';

const model = (encoder: string, train = '') =>
  `model m {\n  input x: [784] in [0, 1]\n  encoder { ${encoder} }\n  latent z = dense(2)\n  decoder { dense(784) }\n  output x_hat = sigmoid\n  loss = bce(x_hat, x)\n${train}}\n`;
const analyze = (text: string, memoryLimit?: number) =>
  analyzeSource(text, 'm.ae', { readFile: () => undefined, validateSchema: false, ...(memoryLimit === undefined ? {} : { memoryLimit }) });

describe('model too large for memory (AE3014)', () => {
  it('refuses dense(65536), dense(65536) at the model name, with the estimate, before building anything', () => {
    const analysis = analyze(model('dense(65536), dense(65536)'), 16e9);
    const error = analysis.diagnostics.find((d) => d.code === 'AE3014')!;
    expect(`${error.range.start.line}:${error.range.start.column}`).toBe('1:7');
    const parameters = 784 * 65536 + 65536 + 65536 * 65536 + 65536 + 65536 * 2 + 2 + 2 * 784 + 784;
    expect(error.message).toMatch(/^`m` needs about 69\.\d GB to train, more than the 16 GB available$/);
    expect(error.notes[0]).toBe(`${parameters.toLocaleString('en-US')} parameters × 4 copies (values, gradients, 2 optimizer slots): 69.5 GB`);
    expect(analysis.irs).toEqual([]);
  });

  it('counts the optimizer slots and the batch', () => {
    const sgd = analyze(model('dense(8)', '  train { optimizer = sgd(lr = 0.1), batch = 64 }\n'), 10);
    const notes = sgd.diagnostics.find((d) => d.code === 'AE3014')!.notes;
    const parameters = 784 * 8 + 8 + 8 * 2 + 2 + 2 * 784 + 784;
    expect(notes[0]).toBe(`${parameters.toLocaleString('en-US')} parameters × 2 copies (values, gradients, 0 optimizer slots): 69.2 KB`);
    expect(notes[1]).toMatch(/^[\d,]+ activations per sample × batch 64 × 2 \(values and gradients\): /);
  });

  it('counts synthetic data held in memory', () => {
    const analysis = analyze(model('dense(8)', '  train { data = synthetic(samples = 1e12) }\n'));
    const error = analysis.diagnostics.find((d) => d.code === 'AE3014')!;
    expect(error.notes).toContain(`synthetic data: ${(784e12).toLocaleString('en-US')} values: 3.14 PB`);
  });

  it('compiles when the limit is lifted, and a small model stays clean', () => {
    expect(analyze(model('dense(65536), dense(65536)'), Infinity).diagnostics.filter((d) => d.code === 'AE3014')).toEqual([]);
    expect(analyze(model('dense(64)')).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
