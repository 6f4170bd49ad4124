// Shared by sample, interpolate, score and search: the data a run was trained on, a vq run's code
// usage (recorded in the run the first time it is needed), and writing decoded samples as a PNG
// grid or an .npy array.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DataSource, IRModel } from '../../ir/types.js';
import { loadDataset, recordedSeries, type Dataset, type TableEncoding } from '../../runtime/data/index.js';
import { writeImageGrid } from '../../runtime/images/index.js';
import { writeNpy } from '../../runtime/io/index.js';
import { writeJsonAtomic } from '../../runtime/runs/index.js';
import { codeUsage, imageLayout, latentKind, type LoadedRun, type TensorValues } from '../../runtime/tasks/index.js';
import { modelInputs } from '../../runtime/train/batches.js';
import { RUN_FILE } from '../../runtime/train/run-summary.js';
import { UsageError, type CliIO } from '../io.js';
import { checkOutputFile } from '../paths.js';

export const CODE_USAGE_FILE = 'code-usage.json';

/** The data the run was trained on: the --data it was trained with (which replaced the phases'
 *  data), else its first phase's `data`. */
export async function trainingData(run: { dir: string; ir: IRModel; table?: TableEncoding }, io: CliIO, what: string, options: { labels?: boolean } = {}): Promise<Dataset> {
  const source: DataSource | string | undefined = (await trainedWith(run.dir)) ?? run.ir.phases.find((p) => p.data !== undefined)?.data;
  if (source === undefined) throw new UsageError(`the run names no training data for ${what}; pass it with --fit SRC`);
  return loadData(run.ir, source, io, { ...options, runDir: run.dir, ...(run.table ? { table: run.table } : {}) });
}

/** `runDir`: the run whose recorded series statistics standardise windows (a series model's);
 *  `table`: the run's table encoding, which reads a table's rows as its training data was read. */
export async function loadData(ir: IRModel, source: DataSource | string, io: CliIO, options: { labels?: boolean; limit?: number; runDir?: string; table?: TableEncoding } = {}): Promise<Dataset> {
  const inputs = modelInputs(ir);
  const series = options.runDir === undefined ? undefined : await recordedSeries(options.runDir);
  return loadDataset(source, inputs.data, {
    cwd: io.cwd,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.labels && inputs.labels ? { labelsInput: inputs.labels } : {}),
    ...(series ? { series } : {}),
    // A table's rows are read as its training data was (the run's table.json).
    ...(options.table ? { tableEncoding: options.table } : {}),
  });
}

async function trainedWith(dir: string): Promise<string | undefined> {
  try {
    const summary = JSON.parse(await readFile(join(dir, RUN_FILE), 'utf8')) as { data?: string | null };
    return summary.data ?? undefined;
  } catch {
    return undefined;
  }
}

/** How often the training data used each codebook entry: from the run, else counted now and recorded. */
export async function recordedCodeUsage(run: LoadedRun, io: CliIO): Promise<number[]> {
  const file = join(run.dir, CODE_USAGE_FILE);
  try {
    const recorded = JSON.parse(await readFile(file, 'utf8')) as { counts?: unknown };
    if (Array.isArray(recorded.counts) && recorded.counts.every((c) => typeof c === 'number')) return recorded.counts as number[];
  } catch {
    // Not recorded yet (runs trained before code usage was recorded): count it below.
  }
  const data = await trainingData(run, io, 'the codebook usage');
  return writeCodeUsage(run, data, io);
}

/** Counts the codebook usage on `data` and records it in the run (`ae train` does this for vq models). */
export async function writeCodeUsage(run: Pick<LoadedRun, 'dir' | 'program'>, data: Dataset, io: CliIO): Promise<number[]> {
  const counts = Array.from(codeUsage(run.program, data));
  await writeJsonAtomic(join(run.dir, CODE_USAGE_FILE), { data: data.name, samples: data.count, counts });
  io.stderr(`recorded the codebook usage on ${data.name} in ${join(run.dir, CODE_USAGE_FILE)}\n`);
  return counts;
}

/** Whether `ae train` should record code usage for this model. */
export function hasCodebook(ir: IRModel): boolean {
  return latentKind(ir) === 'vq';
}

/** Checks `-o` names a .png or .npy file in a directory that exists. */
export function imageOrArrayOut(out: string | undefined, cwd: string): string {
  if (out === undefined) throw new UsageError('-o FILE.png or -o FILE.npy is required');
  checkOutputFile(out, cwd, ['.png', '.npy']);
  return out;
}

/** Writes decoded samples: an .npy array of all of them, or a PNG grid of `rows`. */
export async function writeSamples(ir: IRModel, out: string, samples: TensorValues, rows: Float32Array[][], io: CliIO): Promise<void> {
  const path = resolve(io.cwd, out);
  if (out.endsWith('.npy')) {
    await writeNpy(path, samples.values, samples.shape);
    return;
  }
  const input = modelInputs(ir).data;
  const layout = imageLayout(input);
  if (layout === undefined) {
    throw new UsageError(`input '${input.name}' of shape [${input.shape.slice(1).join(', ')}] is not an image; write -o FILE.npy`);
  }
  await writeImageGrid(path, rows, { ...layout, range: input.range ?? [0, 1] });
}

/** Splits n samples into rows of `columns` images. */
export function gridRows(samples: TensorValues, columns: number): Float32Array[][] {
  const n = samples.shape[0]!;
  const size = samples.values.length / Math.max(n, 1);
  const rows: Float32Array[][] = [];
  for (let i = 0; i < n; i++) {
    if (i % columns === 0) rows.push([]);
    rows[rows.length - 1]!.push(samples.values.slice(i * size, (i + 1) * size));
  }
  return rows;
}
