import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../runtime/backends/index.js';
import { withTfjsKernels } from '../../runtime/kernels/index.js';
import { modelDisagreements, modelsUnderTest } from './models.js';

/**
 * The proof that the model conformance suite (models-*.test.ts) catches the bugs it exists for:
 * on tfjs-backend-wasm 4.22's own OneHot and _FusedMatMul the same comparison fails, naming the
 * model, the pass, the node or term, and the kernel. The lines are printed: they are what a
 * failing run of the suite reports.
 */
const models = modelsUnderTest();
const model = (file: string) => models.find((m) => m.name.split(' = ').some((name) => name.startsWith(file)))!;

beforeAll(async () => {
  await selectBackend('cpu');
  await selectBackend('wasm');
});

describe('on the unpatched tfjs wasm kernels the models disagree, and the report names node and kernel', () => {
  it('_FusedMatMul: a tied dense model is wrong in inference (eval, encode, reconstruct), not in training', async () => {
    const lines = await withTfjsKernels('wasm', ['_FusedMatMul'], () => modelDisagreements(model('specs/valid/hinton2006.ir.json#0'), 'wasm'));
    console.log(lines.join('\n'));
    expect(lines).toEqual([
      expect.stringMatching(
        /^specs\/valid\/hinton2006\.ir\.json#0 = examples\/deep\/hinton2006\.ae#0, inference: node decoder\.\d+\.dense \(dense\): wasm .* at \[\d+\] .*; kernel _FusedMatMul$/,
      ),
    ]);
  });

  it('OneHot: VQ quantises to nothing, and the head\'s cross_entropy reads labels of 1.4e-45', async () => {
    const lines = await withTfjsKernels('wasm', ['OneHot'], async () => [
      ...(await modelDisagreements(model('specs/valid/vqvae.ir.json#0'), 'wasm')),
      ...(await modelDisagreements(model('specs/valid/sdae.ir.json#0'), 'wasm')),
    ]);
    console.log(lines.join('\n'));
    expect(lines).toEqual([
      // In training the codebook is seeded from the batch first, so the wrong one-hot gives 1.4e-45 × a code.
      expect.stringMatching(/^specs\/valid\/vqvae\.ir\.json#0 = .*, training stage 'train': node latent\.z \(vector_quantize\) side output 'quantized': wasm (?:0|\d\.\d+e-45), cpu .*; kernel OneHot$/),
      expect.stringMatching(/^specs\/valid\/vqvae\.ir\.json#0 = .*, inference: node latent\.z \(vector_quantize\) side output 'quantized': wasm 0, cpu .*; kernel OneHot$/),
      // The head's loss is ~0 (one-hot labels of 1.4e-45): the head never learns.
      expect.stringMatching(/^specs\/valid\/sdae\.ir\.json#0 = .*, training stage 'finetune': objective term cross_entropy\(digits, y\): wasm \d\.\d+e-45, cpu .*; kernel OneHot$/),
    ]);
  });
});
