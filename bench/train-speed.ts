// Training throughput of aelang's runtime beside two peers doing the same work: tfjs-layers'
// model.fit on the same tfjs backend, and PyTorch on the CPU (bench/torch_peer.py, Debian's
// python3-torch with OpenBLAS). aelang trains twice: on its onnx engine (ONNX Runtime, the CPU
// default) and on the tfjs backend. Same architectures (bench/train-models.ts), same seeded random
// data in [0, 1], same loss and optimiser, same batch, and the SAME THREAD COUNT on every side.
//
//   node --import tsx bench/train-speed.ts [--archs hinton,keras-conv,mnist-ae,tiny]
//        [--threads 1,2] [--backend wasm|cpu|webgpu] [--onnx-provider cpu|webgpu] [--samples N] [--batch 128] [--reps 3]
//        [--torch-device cpu|cuda] [--json out.json]
//
// `--threads` defaults to 1 and every core. The wasm backend fixes its thread count when it first
// starts in a process, so each (thread count, repetition) runs the tfjs sides in a fresh child
// process (`--child`); the PyTorch peer runs with torch.set_num_threads and OMP/OpenBLAS threads set
// to the same count. Repetitions alternate which of the two processes goes first, and the table
// shows medians. The peer reports the BLAS library it actually loaded; against Debian's reference
// BLAS (torch without libopenblas0-pthread is ~10× slower on dense layers) no ratio is printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, InMemoryDataset } from '../runtime/data/index.js';
import { describeBackend, selectBackend, type BackendName } from '../runtime/backends/index.js';
import { Random } from '../runtime/random.js';
import { loadOnnxRuntime, onnxEngine, unsupported, type OnnxProvider } from '../runtime/engines/onnx/index.js';
import type { StageEngineFactory } from '../runtime/train/engine.js';
import { train } from '../runtime/train/train.js';
import { ARCHS, INPUT_SHAPE, aelangIR, layersModel, type Arch } from './train-models.js';
import { buildStageGraph } from '../compiler/step/step-graph.js';

interface Settings {
  archs: Arch[];
  threads: number[];
  backend: BackendName;
  samples: Partial<Record<Arch, number>>;
  batch: number;
  reps: number;
  json?: string;
  child: boolean;
  /** Where the PyTorch peer runs: the CPU, or `cuda` beside the webgpu backend (bench/gpu/). */
  torchDevice: 'cpu' | 'cuda';
  /** Where the onnx engine runs: ONNX Runtime's CPU kernels, or its WebGPU provider (bench/gpu/). */
  onnxProvider: OnnxProvider;
}

/** Debian's python3-torch lives in /usr/bin/python3; the GPU machine's CUDA torch elsewhere. */
const PYTHON = process.env['AE_BENCH_PYTHON'] ?? '/usr/bin/python3';

/** Samples per timed epoch: a few seconds of work each on one wasm thread. */
const DEFAULT_SAMPLES: Record<Arch, number> = { hinton: 2048, 'keras-conv': 2048, 'mnist-ae': 8192, tiny: 20000 };

function parseSettings(argv: string[]): Settings {
  const settings: Settings = {
    archs: ['hinton', 'keras-conv', 'mnist-ae', 'tiny'],
    threads: [...new Set([1, availableParallelism()])],
    backend: 'wasm',
    samples: {},
    batch: 128,
    reps: 3,
    child: false,
    torchDevice: 'cpu',
    onnxProvider: 'cpu',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--child') {
      settings.child = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--archs') settings.archs = value.split(',') as Arch[];
    else if (flag === '--threads') settings.threads = value.split(',').map(Number);
    else if (flag === '--backend') settings.backend = value as BackendName;
    else if (flag === '--samples') settings.samples = Object.fromEntries(ARCHS.map((a) => [a, Number(value)]));
    else if (flag === '--batch') settings.batch = Number(value);
    else if (flag === '--reps') settings.reps = Number(value);
    else if (flag === '--json') settings.json = value;
    else if (flag === '--torch-device') settings.torchDevice = value as Settings['torchDevice'];
    else if (flag === '--onnx-provider') settings.onnxProvider = value as OnnxProvider;
    else throw new Error(`unknown flag ${flag}`);
  }
  for (const arch of settings.archs) if (!ARCHS.includes(arch)) throw new Error(`unknown arch '${arch}' (${ARCHS.join(', ')})`);
  for (const t of settings.threads) if (!Number.isInteger(t) || t < 1) throw new Error(`--threads takes whole numbers ≥ 1, got ${t}`);
  return settings;
}

const samplesFor = (settings: Settings, arch: Arch) => settings.samples[arch] ?? DEFAULT_SAMPLES[arch];

/** Uniform random data in [0, 1], seeded: both tfjs sides train on the same numbers. */
function randomData(arch: Arch, samples: number): InMemoryDataset {
  const sampleShape = INPUT_SHAPE[arch];
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const random = new Random(1234);
  const x = new Float32Array(samples * size);
  for (let i = 0; i < x.length; i++) x[i] = random.next();
  return { name: 'random', count: samples, sampleShape, x };
}

/**
 * aelang's side: the public `train()` (the loop `ae train` runs: shuffled batches, one step per
 * batch, Adam), one epoch from a fresh model. The epoch's `seconds` excludes the checkpoint and
 * metrics writes that follow it.
 */
export async function trainAelang(arch: Arch, backend: BackendName, data: Dataset, batch: number, engine?: StageEngineFactory): Promise<number> {
  const runDir = mkdtempSync(join(tmpdir(), 'aelang-bench-'));
  try {
    const result = await train({ ir: aelangIR(arch, batch), runDir, cwd: process.cwd(), dataset: data, epochs: 1, batch, backend, ...(engine ? { engine } : {}) });
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

interface TfjsRate {
  arch: Arch;
  /** aelang on its onnx engine (absent where ONNX Runtime does not load or lower the model). */
  onnx?: number;
  aelang: number;
  layers: number;
}

/** Child mode: after a warm-up of each side, one timed epoch per side and architecture. */
async function childMain(settings: Settings): Promise<void> {
  await selectBackend(settings.backend);
  const backend = await describeBackend();
  const loaded = await loadOnnxRuntime();
  const ort = loaded.ok ? { ok: true as const, runtime: loaded.runtime.on(settings.onnxProvider) } : loaded;
  const unavailable = ort.ok ? await ort.runtime.unavailable() : ort.why;
  const threads = Number(process.env['AE_THREADS']);
  const onnx = ort.ok && unavailable === null ? { version: `${ort.runtime.version} ${ort.runtime.provider}`, threads } : { missing: unavailable ?? 'not loaded' };
  console.log(JSON.stringify({ backend: backend.backend, detail: backend.detail, tfjs: backend.tfjsVersion, onnx }));
  for (const arch of settings.archs) {
    const data = randomData(arch, samplesFor(settings, arch));
    const warm = randomData(arch, settings.batch * 4);
    const model = layersModel(arch);
    const x = tf.tensor(data.x, [data.count, ...data.sampleShape]);
    const warmX = tf.tensor(warm.x, [warm.count, ...warm.sampleShape]);
    const engine = ort.ok && unavailable === null && unsupported(aelangIR(arch, settings.batch)) === null ? onnxEngine(ort.runtime, threads, buildStageGraph) : undefined;
    await trainLayers(model, warmX, settings.batch);
    await trainAelang(arch, settings.backend, warm, settings.batch);
    if (engine) await trainAelang(arch, settings.backend, warm, settings.batch, engine);
    const aelang = await trainAelang(arch, settings.backend, data, settings.batch);
    const onnxRate = engine ? await trainAelang(arch, settings.backend, data, settings.batch, engine) : undefined;
    const layers = await trainLayers(model, x, settings.batch);
    console.log(JSON.stringify({ arch, aelang, layers, ...(onnxRate !== undefined ? { onnx: onnxRate } : {}) } satisfies TfjsRate));
    tf.dispose([x, warmX]);
    model.dispose();
  }
}

interface TorchHeader {
  torch: string;
  device: string;
  gpu: string | null;
  threads: number;
  interop_threads: number;
  blas: { name: string; core?: string; config?: string; libraries: string[] };
}

function jsonLines(stdout: string): unknown[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

interface TfjsHeader {
  detail: string;
  tfjs: string;
  onnx: { version: string; threads: number } | { missing: string };
}

function runTfjs(settings: Settings, threads: number): { header: TfjsHeader; rates: TfjsRate[] } {
  // execArgv keeps `--import tsx` when this runs from TypeScript, and is empty for the compiled kit.
  const args = [...process.execArgv, import.meta.filename, '--child', '--backend', settings.backend, '--onnx-provider', settings.onnxProvider, '--archs', settings.archs.join(','), '--batch', String(settings.batch)];
  for (const arch of settings.archs) if (settings.samples[arch]) args.push('--samples', String(settings.samples[arch]));
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, AE_THREADS: String(threads) } });
  if (result.status !== 0) {
    const reason = result.stderr.split('\n').find((line) => /^\w*Error: /.test(line)) ?? result.stderr;
    throw new Error(`the ${settings.backend} side at ${threads} thread(s) failed: ${reason}`);
  }
  const [header, ...rates] = jsonLines(result.stdout) as [TfjsHeader, ...TfjsRate[]];
  return { header, rates };
}

/**
 * The PyTorch peer at `threads` threads. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, which some machines
 * set to keep old OpenBLAS builds correct, pin a slower kernel: they are dropped for the peer, which
 * prints the core type OpenBLAS then picks.
 */
function runTorch(settings: Settings, threads: number): { header: TorchHeader; rates: Map<Arch, number> } | { missing: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  delete env['OPENBLAS_CORETYPE'];
  delete env['OPENBLAS_L2_SIZE'];
  const rates = new Map<Arch, number>();
  let header: TorchHeader | undefined;
  // One process per architecture: each gets its own sample count.
  for (const arch of settings.archs) {
    const args = [join(import.meta.dirname, 'torch_peer.py'), '--threads', String(threads), '--batch', String(settings.batch), '--reps', '1', '--archs', arch, '--samples', String(samplesFor(settings, arch))];
    const result = spawnSync(PYTHON, [...args, '--device', settings.torchDevice], { encoding: 'utf8', env });
    if (result.error || result.status !== 0) {
      return { missing: `PyTorch peer not run: ${result.error?.message ?? result.stderr.trim().split('\n').at(-1)} (apt-get install python3-torch libopenblas0-pthread)` };
    }
    const [head, row] = jsonLines(result.stdout) as [TorchHeader, { arch: Arch; samplesPerSecond: number[] }];
    header = head;
    rates.set(arch, row.samplesPerSecond[0]!);
  }
  return { header: header!, rates };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Row {
  arch: Arch;
  threads: number;
  onnx: number[];
  aelang: number[];
  layers: number[];
  torch: number[];
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  if (settings.child) return childMain(settings);
  const rows: Row[] = [];
  const headers: Header[] = [];
  for (const threads of settings.threads) {
    const byArch = new Map<Arch, Row>(settings.archs.map((arch) => [arch, { arch, threads, onnx: [], aelang: [], layers: [], torch: [] }]));
    let tfjsDetail = '';
    let onnxDetail = '';
    let torchHeader: TorchHeader | undefined;
    let missing: string | undefined;
    for (let rep = 0; rep < settings.reps; rep++) {
      const order = rep % 2 === 0 ? ['tfjs', 'torch'] : ['torch', 'tfjs'];
      for (const side of order) {
        if (side === 'tfjs') {
          const { header, rates } = runTfjs(settings, threads);
          tfjsDetail = `tfjs ${header.tfjs} ${settings.backend} (${header.detail})`;
          onnxDetail = 'missing' in header.onnx ? `onnx engine not run: ${header.onnx.missing}` : `onnx engine: ${header.onnx.version}, ${header.onnx.threads} intra-op thread(s)`;
          for (const r of rates) {
            if (r.onnx !== undefined) byArch.get(r.arch)!.onnx.push(r.onnx);
            byArch.get(r.arch)!.aelang.push(r.aelang);
            byArch.get(r.arch)!.layers.push(r.layers);
          }
        } else if (!missing) {
          const peer = runTorch(settings, threads);
          if ('missing' in peer) missing = peer.missing;
          else {
            torchHeader = peer.header;
            for (const [arch, rate] of peer.rates) byArch.get(arch)!.torch.push(rate);
          }
        }
      }
      console.error(`threads ${threads}: repetition ${rep + 1}/${settings.reps} done`);
    }
    headers.push({ threads, tfjs: tfjsDetail, onnx: onnxDetail, ...(torchHeader ? { torch: torchHeader } : {}), ...(missing ? { missing } : {}) });
    rows.push(...byArch.values());
  }
  printReport(settings, headers, rows);
  if (settings.json) writeFileSync(settings.json, `${JSON.stringify({ settings, headers, rows }, null, 2)}\n`);
}

interface Header {
  threads: number;
  tfjs: string;
  onnx: string;
  torch?: TorchHeader;
  missing?: string;
}

function printReport(settings: Settings, headers: Header[], rows: Row[]): void {
  console.log(`\ntraining throughput (samples/s): random data in [0, 1], batch ${settings.batch}, Adam; medians of ${settings.reps} repetitions of one epoch`);
  for (const h of headers) {
    console.log(`\n${h.threads} thread(s): ${h.onnx}; ${h.tfjs}`);
    if (h.missing) console.log(`  ${h.missing}`);
    else if (h.torch) {
      const blas = h.torch.blas;
      if (h.torch.gpu) console.log(`  PyTorch ${h.torch.torch} on ${h.torch.gpu} (CUDA)`);
      console.log(`  PyTorch ${h.torch.torch}, ${h.torch.threads} intra-op / ${h.torch.interop_threads} inter-op thread(s), BLAS: ${blas.name}${blas.core ? ` (core ${blas.core})` : ''} — ${blas.libraries.join(', ')}`);
    }
  }
  const honest = (h?: { torch?: TorchHeader }) =>
    h?.torch != null && (h.torch.device === 'cuda' || !['reference', 'none found'].includes(h.torch.blas.name));
  const header = ['arch', 'threads', 'aelang onnx', `aelang ${settings.backend}`, 'tfjs-layers', 'PyTorch', 'onnx/PyTorch', `${settings.backend}/PyTorch`];
  const rate = (values: number[]) => (values.length === 0 ? '—' : median(values).toFixed(median(values) < 100 ? 1 : 0));
  const lines = rows.map((r) => {
    const h = headers.find((x) => x.threads === r.threads);
    const ratio = (side: number[]) => (side.length === 0 || r.torch.length === 0 ? '—' : honest(h) ? `${(median(side) / median(r.torch)).toFixed(2)}×` : 'refused');
    return [r.arch, String(r.threads), rate(r.onnx), rate(r.aelang), rate(r.layers), rate(r.torch), ratio(r.onnx), ratio(r.aelang)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
  if (headers.some((h) => h.torch && !honest(h))) {
    console.log('\nNo ratio against PyTorch: it runs on the reference BLAS, ~10× slower than any real install. `apt-get install libopenblas0-pthread` and run again.');
  }
}

if (/train-speed\.[jt]s$/.test(process.argv[1] ?? '')) {
  await main().catch((error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
