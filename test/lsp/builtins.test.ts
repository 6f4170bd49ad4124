// Every built-in word the compiler accepts has a doc line for hover and completion, and its
// parameters as the compiler declares them (the same tables, read by the editor).
import { describe, expect, it } from 'vitest';
import { lossTerms } from '../../compiler/objective/builtins.js';
import { corruptionOps } from '../../compiler/shapes/corruptions.js';
import { layerOps } from '../../compiler/shapes/layers.js';
import { latentOps } from '../../compiler/shapes/latents.js';
import { activations, corruptions, dataSources, latents, layers, lookupBuiltin, losses, optimizers, settings, signatureLabel } from '../../lsp/builtins.js';

describe('the editor knows every built-in', () => {
  it.each([
    ['layers', layers],
    ['latents', latents],
    ['corruptions', corruptions],
    ['losses', losses],
    ['optimizers', optimizers],
    ['data sources', dataSources],
    ['train settings', settings],
  ] as const)('%s each have a doc line', (_kind, table) => {
    expect(table.length).toBeGreaterThan(0);
    expect(table.filter((b) => b.doc.trim() === '').map((b) => b.name)).toEqual([]);
  });

  it("takes each layer's parameters and defaults from the compiler's table", () => {
    expect(layers.map((b) => b.name)).toEqual(Object.keys(layerOps));
    expect(signatureLabel(layers.find((b) => b.name === 'conv2d')!)).toBe('conv2d(filters, kernel = [3, 3], stride = [1, 1], padding = same, act = linear, bias = true)');
    expect(signatureLabel(latents.find((b) => b.name === 'vq')!)).toBe('vq(codes, dim, commitment = 0.25)');
    expect(signatureLabel(losses.find((b) => b.name === 'kl_sparsity')!)).toBe('kl_sparsity(activity, rho = 0.05, reduce = mean)');
    expect(signatureLabel(optimizers.find((b) => b.name === 'adam')!)).toBe('adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, weight_decay = 0)');
    expect(activations.map((b) => b.name)).toContain('leaky_relu');
  });

  it("shows each op's doc line from its registry entry, and kl's own reduce default", () => {
    const docsOf = (table: readonly { name: string; doc: string }[]) => Object.fromEntries(table.map((b) => [b.name, b.doc]));
    const registry = (ops: Record<string, { doc: string }>) => Object.fromEntries(Object.entries(ops).map(([name, op]) => [name, op.doc]));
    expect(docsOf(layers)).toEqual(registry(layerOps));
    expect(docsOf(latents)).toEqual(registry(latentOps));
    expect(docsOf(corruptions)).toEqual(registry(corruptionOps));
    expect(docsOf(losses)).toEqual(registry(lossTerms));
    expect(docsOf(activations).relu).toBe('max(0, x).');
    expect(signatureLabel(losses.find((b) => b.name === 'kl')!)).toBe('kl(latent, reduce = sum)');
  });

  it('knows the loss coefficient schedules, in a loss and in a let', () => {
    expect(signatureLabel(lookupBuiltin('ramp', 'loss')!)).toBe('ramp(from, to, epochs)');
    expect(signatureLabel(lookupBuiltin('cyclic', 'loss')!)).toBe('cyclic(from, to, period, ramp = 0.5)');
    expect(lookupBuiltin('cyclic', 'loss')!.doc).toContain('Fu et al. 2019');
  });

  it('knows the words of a table input and output', () => {
    expect(signatureLabel(lookupBuiltin('category', 'input')!)).toBe('category(levels)');
    expect(lookupBuiltin('table', 'output')!.doc).toContain('reconstruction(x_hat, x)');
  });
});
