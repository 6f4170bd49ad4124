// Training throughput of aelang's runtime against tfjs-layers' model.fit, on the same architectures
// (bench/train-models.ts), the same random data in [0, 1], the same loss (bce) and optimiser (Adam),
// per backend, in one process.
//
//   node --import tsx bench/train-speed.ts [--archs hinton,keras-conv,mnist-ae] [--backends cpu,wasm]
//        [--samples N] [--batch 128] [--reps 3] [--json results.json]
//
// The machine may be busy (other processes, a shared CI runner), so the two sides are measured
// interleaved: after a warm-up of each (kernel set-up, first allocations), every repetition times
// one epoch of `--samples` samples on each side, alternating which goes first, and the table shows
// the medians: of each side's samples/s and of the per-repetition ratios (aelang / tfjs-layers).
// `--samples` defaults per backend (the pure-JS cpu backend is ~50× slower than wasm).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../runtime/data/index.js';
import { selectBackend, type BackendName } from '../runtime/backends/index.js';
import { Random } from '../runtime/random.js';
import { train } from '../runtime/train/train.js';
import { ARCHS, INPUT_SHAPE, aelangIR, layersModel, type Arch } from './train-models.js';

interface Settings {
  archs: Arch[];
  backends: BackendName[];
  samples?: number;
  batch: number;
  reps: number;
  json?: string;
}

interface Row {
  arch: Arch;
  backend: BackendName;
  samples: number;
  /** Median samples/s of each side, and the median and range of the per-repetition ratios. */
  aelang: number | null;
  layers: number | null;
  ratio: number | null;
  ratios: number[];
  note?: string;
}

const DEFAULT_SAMPLES: Partial<Record<BackendName, number>> = { cpu: 256, wasm: 1024 };

function parseSettings(argv: string[]): Settings {
  const settings: Settings = { archs: ['hinton', 'keras-conv'], backends: ['cpu', 'wasm'], batch: 128, reps: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--archs') settings.archs = value.split(',') as Arch[];
    else if (flag === '--backends') settings.backends = value.split(',') as BackendName[];
    else if (flag === '--samples') settings.samples = Number(value);
    else if (flag === '--batch') settings.batch = Number(value);
    else if (flag === '--reps') settings.reps = Number(value);
    else if (flag === '--json') settings.json = value;
    else throw new Error(`unknown flag ${flag}`);
  }
  for (const arch of settings.archs) if (!ARCHS.includes(arch)) throw new Error(`unknown arch '${arch}' (${ARCHS.join(', ')})`);
  return settings;
}

/** Uniform random data in [0, 1], seeded: both sides train on the same numbers. */
function randomData(arch: Arch, samples: number): Dataset {
  const sampleShape = INPUT_SHAPE[arch];
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const random = new Random(1234);
  const x = new Float32Array(samples * size);
  for (let i = 0; i < x.length; i++) x[i] = random.next();
  return { name: 'random', count: samples, sampleShape, x };
}

/**
 * aelang's side: the TRAINER's public `train()` (the loop `ae train` runs: shuffled batches, one
 * variableGrads step per batch, Adam), one epoch on the in-memory data, from a fresh model. The
 * epoch's `seconds` excludes the checkpoint and metrics writes that follow it.
 */
export async function trainAelang(arch: Arch, backend: BackendName, data: Dataset, batch: number): Promise<number> {
  const runDir = mkdtempSync(join(tmpdir(), 'aelang-bench-'));
  try {
    const result = await train({ ir: aelangIR(arch, batch), runDir, cwd: process.cwd(), dataset: data, epochs: 1, batch, backend });
    result.program.dispose();
    return data.count / result.metrics[result.metrics.length - 1]!.seconds;
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** tfjs-layers' side: one epoch of model.fit (shuffled) on a model built and warmed up once. */
export async function trainLayers(model: ReturnType<typeof layersModel>, x: tf.Tensor, batch: number): Promise<number> {
  const started = performance.now();
  await model.fit(x, x, { batchSize: batch, epochs: 1, shuffle: true, verbose: 0 });
  return x.shape[0]! / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure(arch: Arch, backend: BackendName, settings: Settings): Promise<Row> {
  const samples = settings.samples ?? DEFAULT_SAMPLES[backend] ?? 1024;
  const data = randomData(arch, samples);
  const warmData = randomData(arch, settings.batch);
  const model = layersModel(arch);
  const x = tf.tensor(data.x, [data.count, ...data.sampleShape]);
  const warm = tf.tensor(warmData.x, [warmData.count, ...warmData.sampleShape]);
  try {
    await trainLayers(model, warm, settings.batch);
    await trainAelang(arch, backend, warmData, settings.batch);
    const rates = { aelang: [] as number[], layers: [] as number[], ratios: [] as number[] };
    for (let rep = 0; rep < settings.reps; rep++) {
      let aelang: number;
      let layers: number;
      if (rep % 2 === 0) {
        aelang = await trainAelang(arch, backend, data, settings.batch);
        layers = await trainLayers(model, x, settings.batch);
      } else {
        layers = await trainLayers(model, x, settings.batch);
        aelang = await trainAelang(arch, backend, data, settings.batch);
      }
      rates.aelang.push(aelang);
      rates.layers.push(layers);
      rates.ratios.push(aelang / layers);
      console.error(`  ${arch} on ${backend}, rep ${rep + 1}/${settings.reps}: aelang ${aelang.toFixed(0)}, tfjs-layers ${layers.toFixed(0)} samples/s (${(aelang / layers).toFixed(2)}×)`);
    }
    return { arch, backend, samples, aelang: median(rates.aelang), layers: median(rates.layers), ratio: median(rates.ratios), ratios: rates.ratios };
  } finally {
    x.dispose();
    warm.dispose();
    model.dispose();
  }
}

function printTable(rows: Row[]): void {
  const header = ['arch', 'backend', 'aelang samples/s', 'tfjs-layers samples/s', 'ratio', 'ratio range'];
  const rate = (r: number | null) => (r === null ? '—' : r.toFixed(r < 100 ? 1 : 0));
  const lines = rows.map((r) => [
    r.arch,
    r.backend,
    rate(r.aelang),
    rate(r.layers),
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.ratios.length === 0 ? '—' : `${Math.min(...r.ratios).toFixed(2)}–${Math.max(...r.ratios).toFixed(2)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
  for (const r of rows) if (r.note) console.log(`\n${r.arch} on ${r.backend}: ${r.note}`);
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const rows: Row[] = [];
  for (const backend of settings.backends) {
    try {
      const selection = await selectBackend(backend);
      console.error(`backend ${backend}: ${selection.reason}`);
    } catch (error) {
      for (const arch of settings.archs) {
        rows.push({ arch, backend, samples: 0, aelang: null, layers: null, ratio: null, ratios: [], note: `unavailable: ${(error as Error).message}` });
      }
      continue;
    }
    for (const arch of settings.archs) {
      try {
        rows.push(await measure(arch, backend, settings));
      } catch (error) {
        rows.push({ arch, backend, samples: 0, aelang: null, layers: null, ratio: null, ratios: [], note: `failed: ${(error as Error).message}` });
      }
    }
  }
  console.log(`\ntraining throughput: random samples in [0, 1], batch ${settings.batch}, bce + Adam; medians of ${settings.reps} interleaved repetitions of one epoch`);
  console.log(`(samples per epoch: ${settings.backends.map((b) => `${b} ${settings.samples ?? DEFAULT_SAMPLES[b] ?? 1024}`).join(', ')})\n`);
  printTable(rows);
  const torch = torchPeer(settings);
  if (torch.length > 0) printTorchTable(torch, rows);
  if (settings.json) writeFileSync(settings.json, `${JSON.stringify({ settings, rows, torch }, null, 2)}\n`);
}

interface TorchRow {
  arch: string;
  torch: string;
  threads: number;
  samplesPerSecond: number;
}

/**
 * The same architectures trained by PyTorch on the CPU (bench/torch_peer.py), when a Python with
 * torch is there (Debian's python3-torch: `apt-get install python3-torch`, in /usr/bin/python3).
 * A separate process, so it never competes with the tfjs runs for the cores.
 */
function torchPeer(settings: Settings): TorchRow[] {
  const archs = settings.archs.filter((a) => a === 'hinton' || a === 'keras-conv');
  if (archs.length === 0) return [];
  for (const python of ['/usr/bin/python3', 'python3']) {
    const script = join(import.meta.dirname, 'torch_peer.py');
    const samples = String(settings.samples ?? 1024);
    const result = spawnSync(python, [script, '--samples', samples, '--batch', String(settings.batch), '--archs', archs.join(',')], { encoding: 'utf8' });
    if (result.status === 0) return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TorchRow);
  }
  console.log('\n(PyTorch peer skipped: no python3 with torch; `apt-get install python3-torch` adds it)');
  return [];
}

function printTorchTable(torch: TorchRow[], rows: Row[]): void {
  console.log(`\nPyTorch ${torch[0]!.torch} on the CPU (${torch[0]!.threads} thread(s)), same architectures, data and loss:\n`);
  for (const peer of torch) {
    const ours = rows.filter((r) => r.arch === peer.arch && r.aelang !== null);
    const ratios = ours.map((r) => `aelang ${r.backend} / torch ${(r.aelang! / peer.samplesPerSecond).toFixed(2)}×`).join(', ');
    console.log(`  ${peer.arch.padEnd(10)}  torch ${peer.samplesPerSecond.toFixed(1)} samples/s  ${ratios}`);
  }
}

if (process.argv[1]?.endsWith('train-speed.ts')) await main();
