// Shared by train/eval/encode/reconstruct: the --backend flag, opening a model (.ae or .ir.json),
// loading data for a model, and turning user-input errors into exit 1.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DataSource, IRModel } from '../../ir/types.js';
import { selectBackend, type BackendName } from '../../runtime/backends/index.js';
import { loadDataset, type Dataset, type TableEncoding } from '../../runtime/data/index.js';
import { readIRFile } from '../../runtime/tasks/load-run.js';
import { userErrorMessage } from '../../runtime/tasks/user-errors.js';
import { modelInputs } from '../../runtime/train/batches.js';
import { RUN_FILE } from '../../runtime/train/run-summary.js';
import { integerFlag, oneOfFlag, type ParsedArgs } from '../args.js';
import { loadAnalysis, type SpecLoadOptions } from './load-models.js';
import { EXIT_INPUT_ERROR, UsageError, type CliIO } from '../io.js';

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;

/** Selects the backend from --backend (default auto), logging the choice on stderr unless --quiet. */
export async function useBackend(args: ParsedArgs, io: CliIO): Promise<string> {
  const choice = oneOfFlag(args, 'backend', BACKEND_CHOICES) ?? 'auto';
  const log = args.flags.quiet === true ? undefined : (line: string) => io.stderr(`${line}\n`);
  const threads = integerFlag(args, 'threads', { min: 1 });
  const selection = await selectBackend(choice as BackendName | 'auto', { ...(log ? { log } : {}), ...(threads !== undefined ? { threads } : {}) });
  return selection.name;
}

/** A model from a `.ir.json` file or compiled from a `.ae` file (diagnostics printed on stderr). */
export async function openModel(file: string, io: CliIO, options: SpecLoadOptions = {}): Promise<IRModel | undefined> {
  const modelName = options.model;
  if (file.endsWith('.json')) {
    const ir = await readIRFile(resolve(io.cwd, file));
    if (modelName !== undefined && ir.model !== modelName) throw new UsageError(`${file} holds model '${ir.model}', not '${modelName}'`);
    return ir;
  }
  const analysis = await loadAnalysis(file, io, options);
  if (analysis === undefined) return undefined;
  if (analysis.irs.length === 0) {
    throw new UsageError(modelName ? `${file} has no model '${modelName}'` : `${file} defines no model`);
  }
  if (analysis.irs.length > 1) {
    throw new UsageError(`${file} defines ${analysis.irs.length} models (${analysis.irs.map((ir) => ir.model).join(', ')}); choose one with --model`);
  }
  return analysis.irs[0]!;
}

/**
 * The data a task runs on: --data, else the first phase that names data (its validation data, else
 * its training data), else the --data the run was trained with (recorded in run.json).
 */
export async function dataFor(run: { dir: string; ir: IRModel; table?: TableEncoding }, args: ParsedArgs, io: CliIO, options: { labels?: boolean; limit?: number }): Promise<Dataset> {
  const { ir } = run;
  const flag = args.flags.data;
  const fromPhases = ir.phases.map((p) => p.validate ?? p.data).find((s): s is DataSource => s !== undefined);
  const source = typeof flag === 'string' ? flag : (fromPhases ?? (await trainedOn(run.dir)));
  if (source === undefined) throw new UsageError('the run names no data set; pass --data SRC');
  const inputs = modelInputs(ir);
  return loadDataset(source, inputs.data, {
    cwd: io.cwd,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.labels && inputs.labels ? { labelsInput: inputs.labels } : {}),
    ...(run.table ? { tableEncoding: run.table } : {}),
  });
}

async function trainedOn(dir: string): Promise<string | undefined> {
  try {
    const summary = JSON.parse(await readFile(join(dir, RUN_FILE), 'utf8')) as { data?: string | null };
    return summary.data ?? undefined;
  } catch {
    return undefined;
  }
}

/** Runs a command body; errors in the user's input become a message and exit 1. */
export async function reportingUserErrors(command: string, io: CliIO, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const message = userErrorMessage(error);
    if (message === undefined) throw error;
    io.stderr(`ae ${command}: ${message}\n`);
    return EXIT_INPUT_ERROR;
  }
}
