// Training throughput of aelang's runtime against tfjs-layers' model.fit, on the same architectures
// (bench/train-models.ts), the same random data in [0, 1], the same loss (bce) and optimiser (Adam),
// per backend. Each side runs a warm-up first (kernel compilation, first-call allocation) and is
// then timed over one epoch of `--samples` samples.
//
//   node --import tsx bench/train-speed.ts [--archs hinton,keras-conv] [--backends cpu,wasm]
//                                          [--samples 2048] [--batch 128] [--json results.json]
//
// Prints: arch, backend, aelang samples/s, tfjs-layers samples/s, ratio (aelang / tfjs-layers).
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
  samples: number;
  batch: number;
  json?: string;
}

interface Row {
  arch: Arch;
  backend: BackendName;
  aelang: number | null;
  layers: number | null;
  note?: string;
}

function parseSettings(argv: string[]): Settings {
  const settings: Settings = { archs: [...ARCHS], backends: ['cpu', 'wasm'], samples: 2048, batch: 128 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--archs') settings.archs = value.split(',') as Arch[];
    else if (flag === '--backends') settings.backends = value.split(',') as BackendName[];
    else if (flag === '--samples') settings.samples = Number(value);
    else if (flag === '--batch') settings.batch = Number(value);
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

// ---------------------------------------------------------------------------------------------
// trainAelang: aelang's side of the comparison, through the TRAINER's public `train()` (the same
// loop `ae train` runs: shuffled batches, one tidy'd variableGrads step per batch, Adam). It trains
// two epochs on the in-memory data and reports the second, so the first epoch is the warm-up.
// Checkpoint and metrics writes happen outside the epoch's timed `seconds`.
// ---------------------------------------------------------------------------------------------
export async function trainAelang(arch: Arch, backend: BackendName, settings: Pick<Settings, 'samples' | 'batch'>): Promise<number> {
  const runDir = mkdtempSync(join(tmpdir(), 'aelang-bench-'));
  try {
    const result = await train({
      ir: aelangIR(arch, settings.batch),
      runDir,
      cwd: process.cwd(),
      dataset: randomData(arch, settings.samples),
      epochs: 2,
      batch: settings.batch,
      backend,
    });
    result.program.dispose();
    const timed = result.metrics[result.metrics.length - 1]!;
    return settings.samples / timed.seconds;
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** tfjs-layers' side: model.fit with the same batch size, after a one-batch warm-up fit. */
export async function trainLayers(arch: Arch, settings: Pick<Settings, 'samples' | 'batch'>): Promise<number> {
  const data = randomData(arch, settings.samples);
  const model = layersModel(arch);
  const x = tf.tensor(data.x, [data.count, ...data.sampleShape]);
  try {
    const warm = tf.slice(x, 0, settings.batch);
    await model.fit(warm, warm, { batchSize: settings.batch, epochs: 1, verbose: 0 });
    warm.dispose();
    const started = performance.now();
    await model.fit(x, x, { batchSize: settings.batch, epochs: 1, shuffle: true, verbose: 0 });
    return settings.samples / ((performance.now() - started) / 1000);
  } finally {
    x.dispose();
    model.dispose();
  }
}

function formatRate(rate: number | null): string {
  return rate === null ? '—' : rate.toFixed(0);
}

function printTable(rows: Row[]): void {
  const header = ['arch', 'backend', 'aelang samples/s', 'tfjs-layers samples/s', 'ratio'];
  const lines = rows.map((r) => [
    r.arch,
    r.backend,
    formatRate(r.aelang),
    formatRate(r.layers),
    r.aelang !== null && r.layers !== null ? `${(r.aelang / r.layers).toFixed(2)}×` : '—',
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
      for (const arch of settings.archs) rows.push({ arch, backend, aelang: null, layers: null, note: `unavailable: ${(error as Error).message}` });
      continue;
    }
    for (const arch of settings.archs) {
      const row: Row = { arch, backend, aelang: null, layers: null };
      try {
        row.layers = await trainLayers(arch, settings);
      } catch (error) {
        row.note = `tfjs-layers failed: ${(error as Error).message}`;
      }
      try {
        row.aelang = await trainAelang(arch, backend, settings);
      } catch (error) {
        row.note = `aelang failed: ${(error as Error).message}`;
      }
      console.error(`${arch} on ${backend}: aelang ${formatRate(row.aelang)}, tfjs-layers ${formatRate(row.layers)} samples/s`);
      rows.push(row);
    }
  }
  console.log(`\ntraining throughput, ${settings.samples} random samples in [0, 1], batch ${settings.batch}, bce + Adam\n`);
  printTable(rows);
  if (settings.json) writeFileSync(settings.json, `${JSON.stringify({ settings, rows }, null, 2)}\n`);
}

if (process.argv[1]?.endsWith("train-speed.ts")) await main();
