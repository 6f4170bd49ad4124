// Every autoencoder family of examples/ trained in aelang and in PyTorch on the same work, side by
// side: the same IR (architecture, objective, phases), the same initial weights, the same MNIST
// subsets, epochs, batch and optimiser, and the same figures computed the same way on the test
// subset. The PyTorch side is bench/families_peer.py, run by this script with Debian's python3-torch.
//
//   nice -n 10 node --import tsx bench/families.ts [--epochs 2] [--train-size 6000] [--test-size 5000]
//        [--batch 128] [--threads 1] [--seed 1] [--families deep-tied,vae,...] [--backend wasm] [--json out.json]
//
// aelang trains through `train()` (what `ae train` runs) on the chosen backend (wasm, the default
// CPU backend, by default); figures come from `evaluate()` and `modelMetrics()` (what `ae eval`
// prints). Both sides get the same thread count: wasm runs one thread in tfjs 4.22, so PyTorch is
// given --threads (default 1) too, and the table says which BLAS it uses.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeSource } from '../compiler/analyze.js';
import type { IRModel, IRPhase } from '../ir/types.js';
import { selectBackend, type BackendName } from '../runtime/backends/index.js';
import { loadDataset, sampleRange, type Dataset } from '../runtime/data/index.js';
import { encodeNpy } from '../runtime/io/npy.js';
import { buildProgram } from '../runtime/program/program.js';
import { evaluate, evaluationObjective, modelMetrics, type ModelMetrics } from '../runtime/tasks/index.js';
import { modelInputs } from '../runtime/train/batches.js';
import { train } from '../runtime/train/train.js';

const root = resolve(import.meta.dirname, '..');
const PYTHON = '/usr/bin/python3';

interface Family {
  name: string;
  file: string;
  model?: string;
  /** Edits to the source, e.g. the untied variant of a tied model. */
  edit?: (text: string) => string;
}

const FAMILIES: Family[] = [
  { name: 'basic', file: 'examples/basic/basic.ae' },
  { name: 'mnist', file: 'examples/mnist/mnist.ae' },
  { name: 'deep-tied', file: 'examples/deep/hinton2006.ae' },
  { name: 'deep-untied', file: 'examples/deep/hinton2006.ae', edit: (t) => t.replace('mirror(encoder, tied = true)', 'mirror(encoder)') },
  { name: 'denoising', file: 'examples/denoising/denoising.ae' },
  { name: 'stacked-denoising', file: 'examples/stacked-denoising/sdae.ae' },
  { name: 'conv-upsample', file: 'examples/convolutional/cae.ae', model: 'keras_cae' },
  { name: 'conv-switches', file: 'examples/convolutional/cae.ae', model: 'cae' },
  { name: 'conv-classifier', file: 'examples/convolutional/cae.ae', model: 'cae_classifier' },
  { name: 'variational', file: 'examples/variational/vae.ae' },
  { name: 'sparse', file: 'examples/sparse/sparse.ae' },
  { name: 'contractive', file: 'examples/contractive/contractive.ae' },
  { name: 'vq-vae', file: 'examples/vq-vae/vqvae.ae' },
  { name: 'binary', file: 'examples/binary/binary.ae' },
  { name: 'onehot', file: 'examples/onehot/onehot.ae' },
];

interface Settings {
  epochs: number;
  trainSize: number;
  testSize: number;
  batch: number;
  threads: number;
  backend: BackendName;
  /** Initial weights, shuffling and noise on both sides; a second seed shows the run-to-run spread. */
  seed: number;
  families: Family[];
  json?: string;
}

function parseSettings(argv: string[]): Settings {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const names = value('--families')?.split(',');
  const unknown = names?.filter((n) => !FAMILIES.some((f) => f.name === n)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown families ${unknown.join(', ')}; known: ${FAMILIES.map((f) => f.name).join(', ')}`);
  return {
    epochs: Number(value('--epochs') ?? 2),
    trainSize: Number(value('--train-size') ?? 6000),
    testSize: Number(value('--test-size') ?? 5000),
    batch: Number(value('--batch') ?? 128),
    threads: Number(value('--threads') ?? 1),
    backend: (value('--backend') ?? 'wasm') as BackendName,
    seed: Number(value('--seed') ?? 1),
    families: names ? FAMILIES.filter((f) => names.includes(f.name)) : FAMILIES,
    ...(value('--json') ? { json: value('--json')! } : {}),
  };
}

/** The default phase `train()` runs for a model without `train`, written out so the peer runs it too. */
const DEFAULT_OPTIMIZER: IRPhase['optimizer'] = { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 };

/** The family's IR with every phase at the benchmark's epochs, batch and seed, and no data sources
 *  of its own (both sides are handed the same subsets). */
function benchIR(family: Family, settings: Settings): IRModel {
  const source = readFileSync(join(root, family.file), 'utf8');
  const analysis = analyzeSource(family.edit ? family.edit(source) : source, family.file, { cwd: root });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${family.file}: ${errors.map((d) => d.message).join('; ')}`);
  const ir = analysis.irs.find((m) => family.model === undefined || m.model === family.model);
  if (!ir) throw new Error(`${family.file}: no model ${family.model ?? ''}`);
  const phases: IRPhase[] =
    ir.phases.length > 0 ? ir.phases : [{ name: 'train', optimizer: DEFAULT_OPTIMIZER, epochs: 0, batch: 0, seed: 0, freeze: [], objective: [] }];
  return {
    ...ir,
    phases: phases.map(({ data: _data, validate: _validate, ...phase }) => ({
      ...phase,
      epochs: settings.epochs,
      batch: settings.batch,
      seed: settings.seed,
      ...(phase.schedule ? { schedule: { ...phase.schedule, epochs: settings.epochs } } : {}),
    })),
  };
}

interface Figures extends ModelMetrics {
  /** Squared error summed over an image's values, averaged over the test images. */
  perImage: number;
  /** The same per value (pixel). */
  perPixel: number;
  loss: number;
  seconds: number;
}

function npy(values: Float32Array | Int32Array, shape: number[]): Uint8Array {
  return encodeNpy(values instanceof Float32Array ? values : Float32Array.from(values), shape);
}

/** Model, initial weights and data for the peer, in `dir`. */
function writeWork(dir: string, ir: IRModel, trainSet: Dataset, testSet: Dataset, seed: number): void {
  mkdirSync(join(dir, 'init'), { recursive: true });
  writeFileSync(join(dir, 'model.ir.json'), JSON.stringify(ir));
  // buildProgram with the seed train() uses draws the weights train() starts from.
  const program = buildProgram(ir, { seed });
  for (const [id, variable] of program.variables) writeFileSync(join(dir, 'init', `${id}.npy`), npy(variable.dataSync() as Float32Array, variable.shape));
  program.dispose();
  for (const [name, set] of [['train', trainSet], ['test', testSet]] as const) {
    writeFileSync(join(dir, `${name}_x.npy`), npy(sampleRange(set, 0, set.count), [set.count, ...set.sampleShape]));
    if (set.labels) writeFileSync(join(dir, `${name}_y.npy`), npy(set.labels, [set.count]));
  }
}

async function runAelang(ir: IRModel, trainSet: Dataset, testSet: Dataset, runDir: string, seed: number): Promise<Figures> {
  const started = performance.now();
  const result = await train({ ir, runDir, cwd: root, seed, dataset: trainSet });
  const seconds = (performance.now() - started) / 1000;
  try {
    const evaluation = evaluate(result.program, testSet);
    const pixels = testSet.sampleShape.reduce((a, b) => a * b, 1);
    const metrics = modelMetrics(result.program, testSet, evaluationObjective(result.program), { seed });
    return { ...metrics, perImage: evaluation.mse * pixels, perPixel: evaluation.mse, loss: evaluation.loss, seconds };
  } finally {
    result.program.dispose();
  }
}

function runPeer(dir: string, settings: Settings): Figures {
  const run = spawnSync(PYTHON, [join(import.meta.dirname, 'families_peer.py'), dir, '--threads', String(settings.threads), '--seed', String(settings.seed)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`families_peer.py failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as ModelMetrics & { mse: number; pixels: number; loss: number; train_seconds: number };
  return { ...out, perImage: out.mse * out.pixels, perPixel: out.mse, loss: out.loss, seconds: out.train_seconds };
}

function describePeer(threads: number): string {
  const run = spawnSync(PYTHON, [join(import.meta.dirname, 'families_peer.py'), '--describe', String(threads)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`no PyTorch peer: ${PYTHON} with torch is needed (apt-get install python3-torch): ${run.stderr.trim()}`);
  return run.stdout.trim();
}

interface Row {
  family: string;
  model: string;
  aelang?: Figures;
  torch?: Figures;
  error?: string;
}

const fixed = (digits: number) => (v: number | undefined) => (v === undefined ? '' : v.toFixed(digits));

/** Both sides' value of one figure, `aelang / torch`, or empty when the family has none. */
function pair(row: Row, pick: (f: Figures) => number | undefined, format: (v: number | undefined) => string): string {
  const a = row.aelang ? pick(row.aelang) : undefined;
  const t = row.torch ? pick(row.torch) : undefined;
  return a === undefined && t === undefined ? '' : `${format(a)} / ${format(t)}`;
}

function headAccuracy(f: Figures): number | undefined {
  const first = Object.values(f.heads ?? {})[0];
  return first?.accuracy;
}

function markdownTable(rows: Row[]): string {
  const header = ['family', 'model', 'error / image', 'error / pixel', 'head accuracy', 'negative ELBO (mean z / sampled)', 'codebook perplexity, dead codes', 'train s'];
  const lines = rows.map((row) =>
    row.error
      ? [row.family, row.model, `failed: ${row.error}`, '', '', '', '', '']
      : [
          row.family,
          row.model,
          pair(row, (f) => f.perImage, fixed(2)),
          pair(row, (f) => f.perPixel, fixed(4)),
          pair(row, headAccuracy, fixed(4)),
          row.aelang?.nelbo === undefined ? '' : `${fixed(1)(row.aelang.nelbo)} (${fixed(1)(row.aelang.nelbo_sampled)}) / ${fixed(1)(row.torch?.nelbo)} (${fixed(1)(row.torch?.nelbo_sampled)})`,
          row.aelang?.codebook === undefined
            ? ''
            : `${fixed(1)(row.aelang.codebook.perplexity)}, ${row.aelang.codebook.size - row.aelang.codebook.used} / ${fixed(1)(row.torch?.codebook?.perplexity)}, ${row.torch?.codebook ? row.torch.codebook.size - row.torch.codebook.used : ''}`,
          pair(row, (f) => f.seconds, fixed(0)),
        ],
  );
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const peer = describePeer(settings.threads);
  const selection = await selectBackend(settings.backend);
  console.error(`aelang: ${settings.backend} (${selection.reason}); PyTorch: ${peer}`);
  const work = mkdtempSync(join(tmpdir(), 'ae-families-'));
  const rows: Row[] = [];
  const sets = new Map<string, Dataset>();
  const dataFor = async (ir: IRModel, split: 'train' | 'test', limit: number) => {
    const inputs = modelInputs(ir);
    const key = `${split}:${JSON.stringify(inputs.data.shape)}:${JSON.stringify(inputs.data.range)}:${inputs.labels ? 'labels' : ''}`;
    if (!sets.has(key)) sets.set(key, await loadDataset(`mnist:${split}`, inputs.data, { cwd: root, limit, ...(inputs.labels ? { labelsInput: inputs.labels } : {}) }));
    return sets.get(key)!;
  };
  try {
    for (const family of settings.families) {
      const row: Row = { family: family.name, model: `${family.file.replace('examples/', '')}${family.model ? ` (${family.model})` : ''}` };
      rows.push(row);
      try {
        const ir = benchIR(family, settings);
        const trainSet = await dataFor(ir, 'train', settings.trainSize);
        const testSet = await dataFor(ir, 'test', settings.testSize);
        const dir = join(work, family.name);
        writeWork(dir, ir, trainSet, testSet, settings.seed);
        mkdirSync(join(dir, 'run'));
        row.aelang = await runAelang(ir, trainSet, testSet, join(dir, 'run'), settings.seed);
        row.torch = runPeer(dir, settings);
      } catch (error) {
        row.error = (error as Error).message.split('\n')[0]!;
      }
      console.error(`${family.name}: ${JSON.stringify({ aelang: row.aelang, torch: row.torch, error: row.error })}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`MNIST: first ${settings.trainSize} training images, first ${settings.testSize} test images; ${settings.epochs} epochs (each greedy layer too), batch ${settings.batch}, seed ${settings.seed}`);
  console.log(`aelang ${settings.backend} (${selection.reason}) / PyTorch (${peer}); each cell: aelang / PyTorch\n`);
  console.log(markdownTable(rows));
  if (settings.json) writeFileSync(settings.json, `${JSON.stringify({ settings: { ...settings, families: settings.families.map((f) => f.name) }, peer, rows }, null, 2)}\n`);
}

await main();
