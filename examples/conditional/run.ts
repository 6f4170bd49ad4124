// The conditional VAE, measured: train examples/conditional/cvae.ae on the MNIST training images
// with their labels, train a small classifier (an MLP, 784-256-10, in tfjs) on the same images, then
// generate `--per-digit` samples of every digit with `sample(..., { condition })` and count how often
// the classifier reads the digit that was asked for. The classifier's own accuracy on the test
// images bounds what this agreement can show.
//
//   node --import tsx examples/conditional/run.ts [--epochs 10] [--limit N] [--per-digit 100] [--backend wasm]
//                                                 [--run DIR] [--peer] [--peer-threads 1] [--classifier FILE] [--model cvae|cvae_2d]
// (--limit trains the CVAE on the first N training images only; the classifier always sees all.
// --run DIR samples an already trained run instead of training one. --peer also trains the same
// CVAE in PyTorch, bench/conditional_peer.py, on the same images, and reads its samples with the same
// classifier, so both agreement figures come from one classifier and one counting.)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { analyzeSource } from '../../compiler/analyze.js';
import { selectBackend, type BackendName } from '../../runtime/backends/index.js';
import { loadDataset, type Dataset } from '../../runtime/data/index.js';
import { writeNpy } from '../../runtime/io/index.js';
import { Rng } from '../../runtime/program/rng.js';
import { loadRun, sample } from '../../runtime/tasks/index.js';
import { train } from '../../runtime/train/train.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '10' },
    limit: { type: 'string' },
    'per-digit': { type: 'string', default: '100' },
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: '1' },
    run: { type: 'string' },
    peer: { type: 'boolean', default: false },
    'peer-threads': { type: 'string', default: '1' },
    classifier: { type: 'string' },
    model: { type: 'string', default: 'cvae' },
  },
});
const epochs = Number(values.epochs);
const perDigit = Number(values['per-digit']);
await selectBackend(values.backend as BackendName, { log: (line) => console.log(line) });

const analysis = analyzeSource(readFileSync(new URL('./cvae.ae', import.meta.url), 'utf8'), 'examples/conditional/cvae.ae');
const ir = analysis.irs.find((m) => m.model === values.model) ?? analysis.irs[0]!;
if (ir.model !== values.model) throw new Error(`cvae.ae has no model '${values.model}'`);
const latentWidth = ir.nodes.find((n) => n.id === `${ir.outputs.latent}.mean`)!.shape.at(-1)!;
const image = ir.inputs.find((i) => i.kind === 'tensor')!;
const label = ir.inputs.find((i) => i.kind === 'label')!;
const trainSet = await loadDataset({ kind: 'mnist', split: 'train' }, image, { cwd: process.cwd(), labelsInput: label });
const testSet = await loadDataset({ kind: 'mnist', split: 'test' }, image, { cwd: process.cwd(), labelsInput: label });

let started = performance.now();
const limit = values.limit === undefined ? undefined : Number(values.limit);
const program = values.run ? (await loadRun(values.run)).program : await trainCvae();

async function trainCvae() {
  const runDir = mkdtempSync(join(tmpdir(), 'ae-cvae-'));
  const trained = await train({ ir, runDir, cwd: process.cwd(), epochs, seed: Number(values.seed), ...(limit !== undefined ? { limit } : {}) });
  for (const line of trained.metrics) {
    console.log(`${ir.model} epoch ${line.epoch}: kl weight ${line.coefficients?.['kl(z)']?.toFixed(2)}, loss ${line.loss.toFixed(1)}, val_loss ${line.val_loss?.toFixed(1)}, test negative ELBO ${(line.metrics as { nelbo?: number } | undefined)?.nelbo?.toFixed(1)}`);
  }
  console.log(`${ir.model}: ${epochs} epochs on ${limit ?? trainSet.count} images in ${((performance.now() - started) / 1000).toFixed(0)} s into ${runDir} (nats per image)`);
  return trained.program;
}

// ---- the classifier: 784-256-10, relu, softmax cross-entropy, adam, 3 epochs of batches of 128
const rng = tf.randomUniform;
const w1 = tf.variable(tf.mul(rng([784, 256], -1, 1, 'float32', 1), Math.sqrt(6 / (784 + 256))));
const b1 = tf.variable(tf.zeros([256]));
const w2 = tf.variable(tf.mul(rng([256, 10], -1, 1, 'float32', 2), Math.sqrt(6 / (256 + 10))));
const b2 = tf.variable(tf.zeros([10]));
const logits = (x: tf.Tensor2D) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2) as tf.Tensor2D;
const optimizer = tf.train.adam(1e-3);
started = performance.now();
const shuffler = new Rng(7); // the classifier's batch order is seeded too: every run reads with the same classifier
const weights = [w1, b1, w2, b2];
// --classifier FILE keeps the trained classifier (its four weights' float32 values, in order), so a
// later run (say `--run DIR` of a CVAE trained since) reads its samples with the very same one.
const cached = values.classifier !== undefined && existsSync(values.classifier) ? new Float32Array(new Uint8Array(readFileSync(values.classifier)).buffer) : undefined;
if (cached) {
  let at = 0;
  for (const w of weights) w.assign(tf.tensor(cached.subarray(at, (at += w.size)), w.shape));
  if (at !== cached.length) throw new Error(`${values.classifier}: ${cached.length} values, the classifier has ${at}`);
}
for (let epoch = 0; epoch < (cached ? 0 : 3); epoch++) {
  const order = shuffled(trainSet.count, shuffler);
  for (let start = 0; start < trainSet.count; start += 128) {
    const rows = Array.from(order.slice(start, start + 128));
    tf.tidy(() => {
      const { x, y } = batch(trainSet, rows);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), logits(x)) as tf.Scalar);
    });
  }
}
const classify = (x: Float32Array, count: number): Int32Array =>
  tf.tidy(() => tf.argMax(logits(tf.tensor2d(x, [count, 784])), 1).dataSync() as Int32Array);
const testPredictions = classify(pixels(testSet), testSet.count);
const testAccuracy = testPredictions.reduce((n, p, i) => n + (p === testSet.labels![i] ? 1 : 0), 0) / testSet.count;
if (values.classifier !== undefined && !cached) {
  const all = new Float32Array(weights.reduce((n, w) => n + w.size, 0));
  let at = 0;
  for (const w of weights) all.set(w.dataSync() as Float32Array, (at += w.size) - w.size);
  writeFileSync(values.classifier, new Uint8Array(all.buffer));
}
console.log(`classifier: ${cached ? `read from ${values.classifier}` : `3 epochs in ${((performance.now() - started) / 1000).toFixed(0)} s`}; test accuracy ${(100 * testAccuracy).toFixed(2)} %`);

// ---- generate each digit and ask the classifier which digit it sees
/** Counts the samples (`perDigit` of each digit, in digit order) that the classifier reads as asked. */
function agreement(name: string, samples: (digit: number) => Float32Array): void {
  let agree = 0;
  const perClass: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const predicted = classify(samples(digit), perDigit);
    const hits = predicted.reduce((n, p) => n + (p === digit ? 1 : 0), 0);
    agree += hits;
    perClass.push(hits);
  }
  console.log(`${name}: samples read as the digit asked for: ${agree} of ${10 * perDigit} (${((100 * agree) / (10 * perDigit)).toFixed(1)} %); per digit ${perClass.join(', ')} of ${perDigit}`);
}
agreement('aelang', (digit) => sample(program, { count: perDigit, seed: 100 + digit, condition: digit }).samples.values);
program.dispose();

if (values.peer) {
  // The same images (the first --limit ones) handed over as .npy; the peer's samples come back.
  const work = mkdtempSync(join(tmpdir(), 'ae-cvae-peer-'));
  const count = limit ?? trainSet.count;
  await writeNpy(join(work, 'train_x.npy'), pixels(trainSet).subarray(0, count * 784), [count, 784]);
  await writeNpy(join(work, 'train_y.npy'), Float32Array.from(trainSet.labels!.slice(0, count)), [count]);
  await writeNpy(join(work, 'test_x.npy'), pixels(testSet), [testSet.count, 784]);
  await writeNpy(join(work, 'test_y.npy'), Float32Array.from(testSet.labels!), [testSet.count]);
  started = performance.now();
  const peerArgs = ['bench/conditional_peer.py', work, '--epochs', String(epochs), '--per-digit', String(perDigit), '--threads', values['peer-threads']!, '--seed', values.seed!, '--latent', String(latentWidth)];
  const output = execFileSync('/usr/bin/python3', peerArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  for (const line of output.trim().split('\n')) console.log(`pytorch ${line}`);
  const peerSamples = readNpyFloat32(join(work, 'samples.npy'));
  agreement('pytorch', (digit) => peerSamples.subarray(digit * perDigit * 784, (digit + 1) * perDigit * 784));
}

/** A float32 .npy written by numpy (C order): the values after the header. */
function readNpyFloat32(file: string): Float32Array {
  const bytes = readFileSync(file);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  if (!header.includes("'<f4'")) throw new Error(`${file}: not float32 (${header.trim()})`);
  const data = bytes.subarray(10 + headerLength);
  return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** A seeded Fisher–Yates permutation of 0..n-1. */
function shuffled(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function batch(dataset: Dataset, rows: number[]): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const x = new Float32Array(rows.length * 784);
  rows.forEach((row, i) => x.set(pixels(dataset).subarray(row * 784, (row + 1) * 784), i * 784));
  return { x: tf.tensor2d(x, [rows.length, 784]), y: tf.tensor1d(Int32Array.from(rows, (r) => dataset.labels![r]!), 'int32') };
}

/** MNIST is held in memory (it is never streamed). */
function pixels(dataset: Dataset): Float32Array {
  if (!dataset.x) throw new Error(`${dataset.name} is streamed, not held`);
  return dataset.x;
}
