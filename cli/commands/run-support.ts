// Shared by train/eval/encode/reconstruct: the --backend flag, opening a model (.ae or .ir.json),
// loading data for a model, and turning user-input errors into exit 1.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DataSource, IRModel } from '../../ir/types.js';
import { BackendUnavailableError, selectBackend, wasmThreadCount, type BackendName } from '../../runtime/backends/index.js';
import { loadOnnxRuntime, onnxEngine, onnxInference, unsupported, unsupportedInference, type OnnxProvider, type OnnxRuntime } from '../../runtime/engines/onnx/index.js';
import type { InferenceDelegate, Program } from '../../runtime/program/program.js';
import type { StageEngineFactory } from '../../runtime/train/engine.js';
import { loadDataset, recordedSeries, type Dataset, type TableEncoding } from '../../runtime/data/index.js';
import { loadRun, readIRFile, type LoadedRun } from '../../runtime/tasks/load-run.js';
import { defaultThreads } from '../../runtime/train/threads.js';
import { userErrorMessage } from '../../runtime/tasks/user-errors.js';
import { modelInputs } from '../../runtime/train/batches.js';
import { RUN_FILE } from '../../runtime/train/run-summary.js';
import { IR_FILE } from '../../runtime/train/train.js';
import { integerFlag, oneOfFlag, type ParsedArgs } from '../args.js';
import { loadAnalysis, type SpecLoadOptions } from './load-models.js';
import { EXIT_INPUT_ERROR, UsageError, type CliIO } from '../io.js';
import { buildStageGraph } from '../../compiler/step/step-graph.js';

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'webgpu', 'onnx', 'onnx-webgpu', 'wasm', 'cpu'] as const;

export interface TrainingBackend {
  /** What run.json records: 'onnx', or the tfjs backend's name. */
  name: string;
  /** The onnx engine, when training runs on ONNX Runtime. */
  engine?: StageEngineFactory;
  /** The onnx engine's inference passes (validation, the figures), when it runs them. */
  inference?: (program: Program) => InferenceDelegate;
}

/** The backends that run the onnx engine: ONNX Runtime's CPU kernels, or its WebGPU provider
 *  (never taken by `auto`: experimental upstream, and a GPU is taken by tfjs's webgpu first). */
const ONNX_CHOICES = { onnx: 'cpu', 'onnx-webgpu': 'webgpu' } as const satisfies Record<string, OnnxProvider>;

type OnnxChoice = keyof typeof ONNX_CHOICES;

const isOnnx = (choice: string): choice is OnnxChoice => Object.hasOwn(ONNX_CHOICES, choice);

/**
 * ONNX Runtime on the provider `choice` names (`auto`: the CPU), for training `ir` or for its
 * inference passes; or why not: it does not load, the provider does not start, or it lacks an op.
 */
async function onnxFor(choice: OnnxChoice | 'auto', ir: IRModel, purpose: 'train' | 'infer'): Promise<{ runtime: OnnxRuntime; noInference: string | null } | { why: string }> {
  const loaded = await loadOnnxRuntime();
  if (!loaded.ok) return { why: loaded.why };
  const runtime = loaded.runtime.on(choice === 'auto' ? 'cpu' : ONNX_CHOICES[choice]);
  const noInference = unsupportedInference(ir) ?? runtime.noSyncSession;
  const why = (purpose === 'train' ? unsupported(ir) : noInference) ?? (runtime.provider === 'cpu' ? null : await runtime.unavailable());
  return why === null ? { runtime, noInference } : { why };
}

/** `onnxruntime-node 1.30.0, 1 thread` or `onnxruntime-node 1.30.0, WebGPU`. */
function describeOnnx(runtime: OnnxRuntime, threads: number): string {
  return `${runtime.version}, ${runtime.provider === 'webgpu' ? 'WebGPU' : `${threads} thread${threads === 1 ? '' : 's'}`}`;
}

/**
 * The training engine from --backend: `onnx` trains on ONNX Runtime's CPU kernels and
 * `onnx-webgpu` on its WebGPU provider (validation and tasks too where the engine runs every op;
 * tfjs's wasm backend holds the weights), for a model whose every op and term it lowers. `auto`
 * takes a GPU or native tfjs backend where one loads, else onnx where it loads and trains the
 * model, else wasm, else cpu, and says in one line which and why the better ones were skipped.
 */
export async function useTrainingBackend(args: ParsedArgs, io: CliIO, ir: IRModel, options: { defaultThreads?: number } = {}): Promise<TrainingBackend> {
  const choice = oneOfFlag(args, 'backend', BACKEND_CHOICES) ?? 'auto';
  if (!isOnnx(choice) && choice !== 'auto') return { name: await useBackend(args, io, options) };
  const log = args.flags.quiet === true ? undefined : (line: string) => io.stderr(`${line}\n`);
  const fromEnvironment = process.env['AE_THREADS'] ?? io.env?.['AE_THREADS'];
  const threads = wasmThreadCount(integerFlag(args, 'threads', { min: 1 }) ?? (fromEnvironment ? undefined : options.defaultThreads));
  let tfjsLine = '';
  const selection = await selectBackend(choice === 'auto' ? 'auto' : 'wasm', { log: (line) => (tfjsLine = line), threads });
  if (choice === 'auto' && selection.name !== 'wasm' && selection.name !== 'cpu') {
    log?.(tfjsLine);
    return { name: selection.name };
  }
  const onnx = await onnxFor(choice, ir, 'train');
  if ('why' in onnx) {
    if (choice !== 'auto') throw new BackendUnavailableError(choice, onnx.why);
    log?.(tfjsLine.includes(' — ') ? `${tfjsLine}; onnx: ${onnx.why}` : `${tfjsLine} — onnx: ${onnx.why}`);
    return { name: selection.name };
  }
  const name = choice === 'auto' ? 'onnx' : choice;
  const how = choice === 'auto' ? selection.skipped.map((s) => `${s.name}: ${s.why}`) : ['requested with --backend'];
  const rest = onnx.noInference === null ? '' : `; validation and tasks on ${selection.name}: ${onnx.noInference}`;
  log?.(`backend: ${name} (${describeOnnx(onnx.runtime, threads)}${rest})${how.length > 0 ? ` — ${how.join('; ')}` : ''}`);
  return { name, engine: onnxEngine(onnx.runtime, threads, buildStageGraph), ...(onnx.noInference === null ? { inference: onnxInference(onnx.runtime, threads, buildStageGraph) } : {}) };
}

/**
 * A trained run, its inference passes (every task) on the backend from --backend: `auto` takes a
 * GPU or native tfjs backend where one loads, else ONNX Runtime where it loads and runs the
 * model's ops, else wasm, else cpu; one line on stderr says which and why. tfjs always holds the
 * weights (and runs what the onnx engine does not: sampling's noise, plots' arithmetic).
 */
export async function loadRunOnBackend(args: ParsedArgs, io: CliIO, dir: string): Promise<LoadedRun> {
  const choice = oneOfFlag(args, 'backend', BACKEND_CHOICES) ?? 'auto';
  if (!isOnnx(choice) && choice !== 'auto') {
    await useBackend(args, io);
    return loadRun(dir);
  }
  const log = args.flags.quiet === true ? undefined : (line: string) => io.stderr(`${line}\n`);
  const ir = await readIRFile(join(dir, IR_FILE));
  const fromEnvironment = process.env['AE_THREADS'] ?? io.env?.['AE_THREADS'];
  const threads = wasmThreadCount(integerFlag(args, 'threads', { min: 1 }) ?? (fromEnvironment ? undefined : defaultThreads(ir)));
  let tfjsLine = '';
  const selection = await selectBackend(choice === 'auto' ? 'auto' : 'wasm', { log: (line) => (tfjsLine = line), threads });
  if (choice === 'auto' && selection.name !== 'wasm' && selection.name !== 'cpu') {
    log?.(tfjsLine);
    return loadRun(dir);
  }
  const onnx = await onnxFor(choice, ir, 'infer');
  if ('why' in onnx) {
    if (choice !== 'auto') throw new BackendUnavailableError(choice, onnx.why);
    log?.(tfjsLine.includes(' — ') ? `${tfjsLine}; onnx: ${onnx.why}` : `${tfjsLine} — onnx: ${onnx.why}`);
    return loadRun(dir);
  }
  const run = await loadRun(dir);
  run.program.delegateInference(onnxInference(onnx.runtime, threads, buildStageGraph)(run.program));
  const how = choice === 'auto' ? selection.skipped.map((s) => `${s.name}: ${s.why}`) : ['requested with --backend'];
  log?.(`backend: ${choice === 'auto' ? 'onnx' : choice} (${describeOnnx(onnx.runtime, threads)}; weights held by tfjs ${selection.name})${how.length > 0 ? ` — ${how.join('; ')}` : ''}`);
  return run;
}

/** Selects the backend from --backend (default auto), logging the choice on stderr unless --quiet.
 *  `defaultThreads` (train's, from the model's size) applies when neither --threads nor
 *  AE_THREADS says. */
export async function useBackend(args: ParsedArgs, io: CliIO, options: { defaultThreads?: number } = {}): Promise<string> {
  const choice = oneOfFlag(args, 'backend', BACKEND_CHOICES) ?? 'auto';
  const log = args.flags.quiet === true ? undefined : (line: string) => io.stderr(`${line}\n`);
  const fromEnvironment = process.env['AE_THREADS'] ?? io.env?.['AE_THREADS'];
  const threads = integerFlag(args, 'threads', { min: 1 }) ?? (fromEnvironment ? undefined : options.defaultThreads);
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
  const series = await recordedSeries(run.dir);
  return loadDataset(source, inputs.data, {
    cwd: io.cwd,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.labels && inputs.labels ? { labelsInput: inputs.labels } : {}),
    ...(series ? { series } : {}),
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
