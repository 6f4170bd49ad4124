// Plots, checked by looking at them: `ae train` leaves curves.svg, `ae plot` redraws the curves and
// draws a latent map; each SVG is rendered to pixels with resvg and the picture is asserted on (the
// series' colours are drawn, the axes and legend name what they show), not only the markup.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { curvePoints, curvesSpec, renderSvg } from '../../runtime/plots/index.js';
import { curveDataset } from './helpers.js';

/** Vega's default category colours (tableau10), in the order series get them. */
const TABLEAU = [[76, 120, 168], [245, 133, 24], [228, 87, 86], [114, 183, 178]];
/** d3's category10, the latent map's label colours, as its points (opacity 0.6) show them on white. */
const CATEGORY10 = [[31, 119, 180], [255, 127, 14], [44, 160, 44]].map((rgb) => rgb.map((c) => Math.round(0.6 * c + 0.4 * 255)));

/** How many pixels of the rendered SVG have (nearly) this colour. */
function pixelsOf(svg: string, colours: number[][]): number[] {
  const image = new Resvg(svg, { fitTo: { mode: 'original' } }).render();
  const pixels = image.pixels;
  return colours.map(([r, g, b]) => {
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (Math.abs(pixels[i]! - r!) < 6 && Math.abs(pixels[i + 1]! - g!) < 6 && Math.abs(pixels[i + 2]! - b!) < 6) n++;
    }
    return n;
  });
}

/** The texts the SVG draws (axis titles, legend labels, headers). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
}

describe('training curves', () => {
  const records = [
    ...[1, 2, 3].map((epoch) => ({ phase: 'pretrain', epoch, step: epoch * 5, loss: 1 / epoch, val_loss: 1.2 / epoch, terms: { 'mse(x_hat, x)': 0.9 / epoch, 'kl(z)': 0.1 * epoch }, seconds: 1 })),
    ...[1, 2].map((epoch) => ({ phase: 'finetune', epoch, step: 20 + epoch, loss: 0.5 / epoch, val_loss: null, terms: { 'mse(x_hat, x)': 0.5 / epoch }, seconds: 1, val_mse: 0.6 / epoch })),
  ];

  it('turns metrics lines into one series per loss, term and extra number', () => {
    const { losses, metrics } = curvePoints(records);
    expect(losses).toHaveLength(3 + 3 + 2);
    expect(new Set(losses.map((p) => p.series))).toEqual(new Set(['training loss', 'validation loss']));
    expect(new Set(metrics.map((p) => p.series))).toEqual(new Set(['training mse(x_hat, x)', 'training kl(z)', 'validation mse']));
    expect(metrics.find((p) => p.series === 'validation mse' && p.epoch === 2)?.value).toBeCloseTo(0.3, 12);
  });

  it('draws the family figures nested under `metrics` (head accuracy, negative ELBO, codebook perplexity), named with their data', () => {
    const figures = (epoch: number) => ({
      data: 'mnist:test',
      heads: { digit: { accuracy: 0.5 + epoch / 10, loss: 1 / epoch } },
      nelbo: 100 / epoch,
      codebook: { perplexity: 3 * epoch, used: 4, size: 16 },
    });
    const lines = [1, 2].map((epoch) => ({ phase: 'train', epoch, step: epoch, loss: 1 / epoch, seconds: 1, metrics: figures(epoch) }));
    const { metrics } = curvePoints(lines);
    expect([...new Set(metrics.map((p) => p.series))]).toEqual([
      'head digit accuracy (mnist:test)',
      'head digit loss (mnist:test)',
      'nelbo (mnist:test)',
      'codebook perplexity (mnist:test)',
      'codebook used (mnist:test)',
    ]);
    expect(metrics.filter((p) => p.series === 'head digit accuracy (mnist:test)').map((p) => p.value)).toEqual([0.6, 0.7]);
  });

  it('draws each phase with its series in their colours, axes and legend named', async () => {
    const svg = await renderSvg(curvesSpec(records, 'a run'));
    const words = texts(svg);
    for (const word of ['a run', 'pretrain', 'finetune', 'epoch', 'loss', 'value', 'training loss', 'validation loss', 'training mse(x_hat, x)', 'training kl(z)', 'validation mse']) {
      expect(words).toContain(word);
    }
    // Phases in training order, left to right.
    expect(svg.indexOf('>pretrain<')).toBeLessThan(svg.indexOf('>finetune<'));
    const [first, second, third, fourth] = pixelsOf(svg, TABLEAU);
    // Two loss series, three metric series: the first three colours are drawn, the fourth is not.
    expect(first).toBeGreaterThan(200);
    expect(second).toBeGreaterThan(200);
    expect(third).toBeGreaterThan(100);
    expect(fourth).toBe(0);
  });
});

describe('ae train and ae plot', () => {
  let cwd = '';

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'ae-plot-'));
    const data = curveDataset(200, 16);
    writeFileSync(join(cwd, 'x.npy'), encodeNpy(data.x, [200, 16]));
    writeFileSync(join(cwd, 'y.npy'), encodeNpy(Float32Array.from(data.labels!), [200]));
    writeFileSync(
      join(cwd, 'm.ae'),
      `model m {
  input x: [16] in [0, 1]
  encoder { dense(16, act = tanh) }
  latent z = dense(3)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = mse(x_hat, x)
  train { epochs = 3, batch = 32, validate = npy("x.npy") }
}
`,
    );
    const out = { stdout: '', stderr: '' };
    const io = { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), isTTY: false, cwd };
    expect(await main(['train', 'm.ae', '--data', 'x.npy', '--backend', 'cpu', '--out', 'run'], io)).toBe(0);
    expect(out.stderr).toContain(`wrote ${join(cwd, 'run', 'curves.svg')} (training curves)`);
  });

  function cli() {
    const out = { stdout: '', stderr: '' };
    const io = { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), isTTY: false, cwd };
    return { out, run: (...argv: string[]) => main(argv, io) };
  }

  it('leaves curves.svg in the run, training and validation loss drawn', async () => {
    const svg = readFileSync(join(cwd, 'run', 'curves.svg'), 'utf8');
    expect(texts(svg)).toEqual(expect.arrayContaining(['m: training curves', 'epoch', 'loss', 'training loss', 'validation loss']));
    // The one term of the objective is the loss itself: no second panel repeats it.
    expect(texts(svg)).not.toContain('training mse(x_hat, x)');
    expect(texts(svg)).not.toContain('value');
    const [training, validation] = pixelsOf(svg, TABLEAU);
    expect(training).toBeGreaterThan(200);
    expect(validation).toBeGreaterThan(200);
    const plot = cli();
    expect(await plot.run('plot', 'run', '-o', 'again.svg')).toBe(0);
    expect(readFileSync(join(cwd, 'again.svg'), 'utf8')).toBe(svg.replaceAll('m: training curves', 'run: training curves'));
  });

  it('maps 3-wide codes on their principal components, coloured by label', async () => {
    const plot = cli();
    expect(await plot.run('plot', 'run', '--latent', '--data', 'x.npy,y.npy', '--backend', 'cpu')).toBe(0);
    expect(plot.out.stderr).toContain(`wrote the map of 200 codes, coloured by label, to ${join(cwd, 'run', 'latent.svg')}`);
    const svg = readFileSync(join(cwd, 'run', 'latent.svg'), 'utf8');
    const words = texts(svg);
    expect(words).toContain('label');
    expect(words).toContain('0');
    expect(words).toContain('1');
    expect(words.some((w) => /^z: principal component 1 \(\d+% of the variance\)$/.test(w))).toBe(true);
    expect(words.some((w) => /^z: principal component 2 \(\d+% of the variance\)$/.test(w))).toBe(true);
    expect((svg.match(/<circle [^>]*fill-opacity="0.6"/g) ?? []).length).toBe(200);
    const [label0, label1, label2] = pixelsOf(svg, CATEGORY10);
    expect(label0).toBeGreaterThan(100);
    expect(label1).toBeGreaterThan(100);
    expect(label2).toBe(0);
  });

  it('refuses --data without --latent, a missing run, and a run with no metrics', async () => {
    const flags = cli();
    expect(await flags.run('plot', 'run', '--data', 'x.npy')).toBe(2);
    expect(flags.out.stderr).toContain('add --latent');
    const missing = cli();
    expect(await missing.run('plot', 'nowhere')).toBe(2);
    expect(missing.out.stderr).toMatch(/^ae plot: no run directory 'nowhere'$/m);
    mkdirSync(join(cwd, 'unstarted'));
    copyFileSync(join(cwd, 'run', 'model.ir.json'), join(cwd, 'unstarted', 'model.ir.json'));
    const empty = cli();
    expect(await empty.run('plot', 'unstarted')).toBe(1);
    expect(empty.out.stderr).toMatch(/^ae plot: .*unstarted.*metrics\.jsonl/m);
  });
});
