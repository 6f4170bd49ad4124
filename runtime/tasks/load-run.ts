// Opening a finished (or stopped) run: its IR, validated like any IR the runtime is handed, and its
// weights, checked name by name and shape by shape against that IR.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateIR } from '../../ir/schema-validation.js';
import type { IRModel } from '../../ir/types.js';
import { buildProgram, type Program } from '../program/program.js';
import { RunFileError } from '../runs/index.js';
import { loadWeights } from '../train/checkpoint.js';
import { IR_FILE } from '../train/train.js';
import { fileErrorReason } from '../file-error-reason.js';
import { TABLE_ENCODING_FILE, type TableEncoding } from '../data/index.js';

export interface LoadedRun {
  dir: string;
  ir: IRModel;
  program: Program;
  /** A table model's encoding of rows, fitted on its training data (table.json). */
  table?: TableEncoding;
}

/** Reads and validates an IR JSON file; a bad IR is an error naming the file and the schema path. */
export async function readIRFile(file: string): Promise<IRModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RunFileError(`cannot read ${file}: ${fileErrorReason(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunFileError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const valid = validateIR(json);
  if (!valid.ok) throw new RunFileError(`${file}: ${valid.error}`);
  return valid.ir;
}

export async function loadRun(dir: string): Promise<LoadedRun> {
  const ir = await readIRFile(join(dir, IR_FILE));
  const program = buildProgram(ir, { seed: 0 });
  try {
    await loadWeights(program, dir);
  } catch (error) {
    program.dispose();
    throw error;
  }
  const table = ir.inputs.some((i) => i.kind === 'table') ? await readTableEncoding(dir) : undefined;
  return { dir, ir, program, ...(table ? { table } : {}) };
}

/** table.json: without it a table run cannot read rows as it was trained on them. */
export async function readTableEncoding(dir: string): Promise<TableEncoding> {
  const file = join(dir, TABLE_ENCODING_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as TableEncoding;
  } catch (error) {
    throw new RunFileError(`cannot read ${file} (the table's column statistics and levels from training): ${fileErrorReason(error)}`);
  }
}
