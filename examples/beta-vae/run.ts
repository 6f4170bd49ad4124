// The β-VAE with and without KL warm-up, measured: trains both models of beta-vae.ae on the same
// MNIST training images with the same seed, prints each epoch's KL coefficient as metrics.jsonl
// records it, then on the 10,000 test images (the code at its posterior mean): the reconstruction
// (bce summed over the pixels), the KL summed over the code, the negative ELBO (their sum, β = 1: a
// bound on −log p(x) that compares the models whatever β they trained with), and the active units
// (code dimensions whose posterior mean varies over the test images by more than 0.01, Burda et
// al. 2016: the rest have collapsed to the prior and carry nothing).
//
//   node --import tsx examples/beta-vae/run.ts [--epochs 6] [--limit 20000] [--backend wasm] [--seed 1] [--peer]
//
// --peer also trains the same two models in PyTorch (bench/beta_vae_peer.py) on the same images
// (the first --limit training images, the 10,000 test images) and prints its rows beside these.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeSource } from '../../compiler/analyze.js';
import { selectBackend, type BackendName } from '../../runtime/backends/index.js';
import { loadDataset, type Dataset } from '../../runtime/data/index.js';
import { writeNpy } from '../../runtime/io/index.js';
import { collectOutput } from '../../runtime/tasks/index.js';
import { train } from '../../runtime/train/train.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '6' },
    limit: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: '1' },
    peer: { type: 'boolean', default: false },
  },
});
await selectBackend(values.backend as BackendName, { log: (line) => console.log(line) });
const analysis = analyzeSource(readFileSync(new URL('./beta-vae.ae', import.meta.url), 'utf8'), 'examples/beta-vae/beta-vae.ae');
const limit = values.limit === undefined ? undefined : Number(values.limit);
const rows: string[] = [];

for (const ir of analysis.irs) {
  const started = performance.now();
  const runDir = mkdtempSync(join(tmpdir(), `ae-${ir.model}-`));
  const trained = await train({ ir, runDir, cwd: process.cwd(), epochs: Number(values.epochs), seed: Number(values.seed), ...(limit !== undefined ? { limit } : {}) });
  for (const line of trained.metrics) {
    const terms = Object.entries(line.terms ?? {}).map(([name, value]) => `${name} ${value.toFixed(1)}`).join(', ');
    console.log(`${ir.model} epoch ${line.epoch}: coefficients ${JSON.stringify(line.coefficients ?? {})}, loss ${line.loss.toFixed(1)} (${terms}), val_loss ${line.val_loss?.toFixed(1)}`);
  }
  const test = await loadDataset({ kind: 'mnist', split: 'test' }, ir.inputs[0]!, { cwd: process.cwd() });
  const mean = collectOutput(trained.program, test, 'latent.z.mean');
  const logvar = collectOutput(trained.program, test, 'latent.z.logvar');
  const width = mean.shape[1]!;
  const count = test.count;
  // KL(N(μ, σ²) ‖ N(0, 1)) per unit, averaged over the test images; the spread of μ per unit.
  const klPerUnit = new Float64Array(width);
  const sum = new Float64Array(width);
  const squares = new Float64Array(width);
  for (let i = 0; i < count; i++) {
    for (let u = 0; u < width; u++) {
      const m = mean.values[i * width + u]!;
      const lv = logvar.values[i * width + u]!;
      klPerUnit[u]! += (0.5 * (m * m + Math.exp(lv) - 1 - lv)) / count;
      sum[u]! += m;
      squares[u]! += m * m;
    }
  }
  const active = Array.from(sum, (s, u) => squares[u]! / count - (s / count) ** 2).filter((v) => v > 0.01).length;
  const kl = klPerUnit.reduce((a, b) => a + b, 0);
  const nelbo = (trained.metrics[trained.metrics.length - 1]!.metrics as { nelbo: number }).nelbo;
  console.log(`${ir.model}: trained in ${((performance.now() - started) / 1000).toFixed(0)} s into ${runDir}; KL per unit ${Array.from(klPerUnit, (k) => k.toFixed(2)).join(' ')}`);
  rows.push(`| ${ir.model} | ${nelbo.toFixed(1)} | ${(nelbo - kl).toFixed(1)} | ${kl.toFixed(1)} | ${active} of ${width} |`);
  trained.program.dispose();
}
if (values.peer) {
  // The same images handed over as .npy: the first --limit training images, every test image.
  const input = analysis.irs[0]!.inputs[0]!;
  const images = (set: Dataset) => {
    if (!set.x) throw new Error(`${set.name} is streamed, not held`);
    return set.x;
  };
  const trainSet = await loadDataset({ kind: 'mnist', split: 'train' }, input, { cwd: process.cwd() });
  const testSet = await loadDataset({ kind: 'mnist', split: 'test' }, input, { cwd: process.cwd() });
  const count = Math.min(limit ?? trainSet.count, trainSet.count);
  const work = mkdtempSync(join(tmpdir(), 'ae-beta-vae-peer-'));
  await writeNpy(join(work, 'train_x.npy'), images(trainSet).subarray(0, count * 784), [count, 784]);
  await writeNpy(join(work, 'test_x.npy'), images(testSet), [testSet.count, 784]);
  const output = execFileSync('/usr/bin/python3', ['bench/beta_vae_peer.py', work, '--epochs', values.epochs!, '--seed', values.seed!], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  for (const line of output.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)) {
    if ('peer' in line) console.log(`PyTorch peer: ${JSON.stringify(line.peer)}`);
    else rows.push(`| ${String(line.model)} (PyTorch) | ${(line.nelbo as number).toFixed(1)} | ${(line.bce as number).toFixed(1)} | ${(line.kl as number).toFixed(1)} | ${String(line.active)} of ${String(line.width)} |`);
  }
}
console.log('\n| model | negative ELBO (β = 1) | reconstruction (bce) | KL | active units |\n| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
