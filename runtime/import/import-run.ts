// A run made from weights trained outside aelang (train.py of `ae export --format pytorch`, which
// writes them under aelang's parameter ids and in its layouts): the IR and a checkpoint in the format
// `ae train` writes (checkpoint/ with weights, an empty optimizer state, state.json with checksums),
// so `ae eval`, `encode`, `score`, `serve` and the library's loadRun open it like any run. Every
// stored parameter of the IR must be there with its shape, float32 and finite; nothing else may be.
// Recurrent layers arrive in Keras's gate order (model.py's aelang_tensors reorders PyTorch's). A
// table model's row encoding comes in the file's metadata (`table`, written by train.py) and
// becomes the run's table.json.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { IRModel } from '../../ir/types.js';
import { CheckpointError, encodeSafetensors, nodeRunFiles, readSafetensors, writeJsonAtomic, type RunFiles, type TensorMap } from '../runs/index.js';
import { CALLBACKS_FILE, CHECKPOINT_DIR, checkFinite, OPTIMIZER_FILE, STATE_FILE, WEIGHTS_FILE, type TrainState } from '../train/checkpoint.js';
import { planStages } from '../train/stages.js';
import { IR_FILE } from '../train/train.js';
import { TABLE_ENCODING_FILE, type TableEncoding } from '../data/index.js';

export interface ImportedRun {
  /** Stored parameters and their values' count. */
  parameters: number;
  values: number;
  /** The weights file's safetensors metadata (train.py records who trained it and how). */
  metadata: Record<string, string>;
}

/** Checks `tensors` against the IR's stored parameters: the same names, shapes, float32, finite. */
export function checkImportedWeights(ir: IRModel, tensors: TensorMap, file: string): void {
  const stored = ir.parameters.filter((p) => p.tiedTo === undefined);
  const ids = new Set(stored.map((p) => p.id));
  const extra = Object.keys(tensors).filter((name) => !ids.has(name));
  if (extra.length > 0) throw new CheckpointError(`${file}: tensor '${extra[0]}' is not a parameter of model '${ir.model}' (weights of another model, or a PyTorch state_dict rather than train.py's result?)`);
  for (const p of stored) {
    const t = tensors[p.id];
    if (!t) throw new CheckpointError(`${file}: parameter '${p.id}' of model '${ir.model}' is missing`);
    if (t.dtype !== 'F32') throw new CheckpointError(`${file}: parameter '${p.id}' has dtype ${t.dtype}, expected F32`);
    if (t.shape.join(',') !== p.shape.join(',')) throw new CheckpointError(`${file}: parameter '${p.id}' has shape [${t.shape.join(', ')}], the model expects [${p.shape.join(', ')}]`);
  }
  checkFinite(tensors, file);
}

/** Writes the run into `runDir` (an empty directory the caller made): checkpoint first, the IR last,
 *  so a directory that holds model.ir.json holds a whole run. */
export async function importRun(ir: IRModel, weightsFile: string, runDir: string, files: RunFiles = nodeRunFiles): Promise<ImportedRun> {
  const { tensors, metadata } = await readSafetensors(weightsFile);
  if (metadata.model !== undefined && metadata.model !== ir.model) {
    throw new CheckpointError(`${weightsFile} holds weights of model '${metadata.model}', not '${ir.model}'`);
  }
  checkImportedWeights(ir, tensors, weightsFile);
  const table = ir.inputs.find((i) => i.kind === 'table') ? importedTable(ir, metadata, weightsFile) : undefined;
  const optimizer = ir.phases[ir.phases.length - 1]!.optimizer.kind;
  const blobs: Record<string, Uint8Array> = {
    [WEIGHTS_FILE]: encodeSafetensors(tensors, { format: 'pt', model: ir.model }),
    [OPTIMIZER_FILE]: encodeSafetensors({}, { optimizer, step: '0' }),
    [CALLBACKS_FILE]: encodeSafetensors({}),
  };
  // Where training stands: every stage done, so `ae train --resume` has nothing left to train.
  const stages = planStages(ir);
  const last = stages[stages.length - 1]!;
  const state: TrainState = {
    stage: stages.length - 1,
    stageName: last.name,
    epoch: last.epochs,
    step: 0,
    seed: ir.phases[0]!.seed,
    seedOverride: null,
    stoppedEarly: false,
    rng: 0,
    metricsLines: 0,
    imported: { from: weightsFile, metadata },
  };
  const staging = join(runDir, '.checkpoint.new');
  await files.remove(staging);
  await files.makeDirectory(staging);
  for (const [name, bytes] of Object.entries(blobs)) await files.write(join(staging, name), bytes);
  const sums = Object.fromEntries(Object.entries(blobs).map(([name, bytes]) => [name, createHash('sha256').update(bytes).digest('hex')]));
  await files.write(join(staging, STATE_FILE), `${JSON.stringify({ ...state, files: sums }, null, 2)}\n`);
  await files.syncDirectory(staging);
  await files.rename(staging, join(runDir, CHECKPOINT_DIR));
  await files.syncDirectory(runDir);
  if (table) await writeJsonAtomic(join(runDir, TABLE_ENCODING_FILE), table, files);
  await writeJsonAtomic(join(runDir, IR_FILE), ir, files);
  const values = Object.values(tensors).reduce((n, t) => n + t.data.length, 0);
  return { parameters: Object.keys(tensors).length, values, metadata };
}

/** The row encoding a table model's weights were trained with, from the file's `table` metadata,
 *  checked against the IR's columns (names, kinds and level counts, in order). */
function importedTable(ir: IRModel, metadata: Record<string, string>, file: string): TableEncoding {
  const input = ir.inputs.find((i) => i.kind === 'table')!;
  if (metadata.table === undefined) throw new CheckpointError(`${file}: model '${ir.model}' reads a table, but the file records no row encoding (metadata 'table', which train.py writes)`);
  let table: TableEncoding;
  try {
    table = JSON.parse(metadata.table) as TableEncoding;
  } catch {
    throw new CheckpointError(`${file}: the metadata 'table' is not JSON`);
  }
  const columns = input.columns ?? [];
  const encoded = Array.isArray(table?.columns) ? table.columns : [];
  if (encoded.length !== columns.length) throw new CheckpointError(`${file}: the row encoding has ${encoded.length} columns, input '${input.name}' has ${columns.length}`);
  columns.forEach((column, i) => {
    const c = encoded[i]! as { name?: unknown; mean?: unknown; std?: unknown; levels?: unknown };
    const fits =
      c.name === column.name &&
      (column.levels === undefined
        ? typeof c.mean === 'number' && Number.isFinite(c.mean) && typeof c.std === 'number' && c.std > 0 && Number.isFinite(c.std)
        : Array.isArray(c.levels) && c.levels.length === column.levels && c.levels.every((l) => typeof l === 'string'));
    if (!fits) throw new CheckpointError(`${file}: the row encoding's column ${i + 1} does not fit input '${input.name}' (column '${column.name}', ${column.levels === undefined ? 'numeric: a mean and a positive std' : `${column.levels} levels`})`);
  });
  return table;
}
