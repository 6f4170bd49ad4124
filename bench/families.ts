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
// prints), and the last epoch's mean training loss from its metrics (the peer sums the same).
// Both sides get the same thread count, --threads (default 1): the wasm backend's XNNPACK threads
// and PyTorch's intra-op threads; the table says which BLAS PyTorch uses.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IRModel } from '../ir/types.js';
import { selectBackend, type BackendName } from '../runtime/backends/index.js';
import type { Dataset } from '../runtime/data/index.js';
import { train } from '../runtime/train/train.js';
import { benchIR, chooseFamilies, describePeer, flagValue, mnistSubsets, root, runPeer, testFigures, writeWork, type Family, type Figures } from './peer/work.js';

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
  const value = (flag: string) => flagValue(argv, flag);
  return {
    epochs: Number(value('--epochs') ?? 2),
    trainSize: Number(value('--train-size') ?? 6000),
    testSize: Number(value('--test-size') ?? 5000),
    batch: Number(value('--batch') ?? 128),
    threads: Number(value('--threads') ?? 1),
    backend: (value('--backend') ?? 'wasm') as BackendName,
    seed: Number(value('--seed') ?? 1),
    families: chooseFamilies(value('--families')),
    ...(value('--json') ? { json: value('--json')! } : {}),
  };
}

async function runAelang(ir: IRModel, trainSet: Dataset, testSet: Dataset, runDir: string, seed: number): Promise<Figures> {
  const started = performance.now();
  const result = await train({ ir, runDir, cwd: root, seed, dataset: trainSet });
  const seconds = (performance.now() - started) / 1000;
  try {
    return { ...testFigures(result.program, testSet, seed), trainLoss: result.metrics.at(-1)?.loss ?? Number.NaN, seconds };
  } finally {
    result.program.dispose();
  }
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
  const header = ['family', 'model', 'error / image', 'error / pixel', 'head accuracy', 'negative ELBO (mean z / sampled)', 'codebook perplexity, dead codes', 'train loss (last epoch)', 'train s'];
  const lines = rows.map((row) =>
    row.error
      ? [row.family, row.model, `failed: ${row.error}`, '', '', '', '', '', '']
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
          pair(row, (f) => f.trainLoss, (v) => (v === undefined ? '' : v.toPrecision(4))),
          pair(row, (f) => f.seconds, fixed(0)),
        ],
  );
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const peer = describePeer(settings.threads);
  const selection = await selectBackend(settings.backend, { threads: settings.threads });
  console.error(`aelang: ${settings.backend} (${selection.reason}); PyTorch: ${peer}`);
  const work = mkdtempSync(join(tmpdir(), 'ae-families-'));
  const rows: Row[] = [];
  const dataFor = mnistSubsets();
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
        row.torch = runPeer(dir, settings.threads, settings.seed);
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
