// `ae train FILE`: compile (or read) the model, pick a backend, train it into a run directory.
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { totalmem } from 'node:os';
import { DEFAULT_MEMORY_LIMIT } from '../../compiler/check/memory.js';
import { createRunDirectory } from '../../runtime/runs/index.js';
import { readIRFile } from '../../runtime/tasks/load-run.js';
import { formatLoss } from '../../runtime/train/progress.js';
import { IR_FILE, train } from '../../runtime/train/train.js';
import { recordedBackend } from '../../runtime/train/overrides.js';
import type { IRModel } from '../../ir/types.js';
import { loadDataset } from '../../runtime/data/index.js';
import type { Program } from '../../runtime/program/program.js';
import { evaluate, imageLayout, isPicture, TaskError, writeReconstructionGrid } from '../../runtime/tasks/index.js';
import { modelInputs } from '../../runtime/train/batches.js';
import { bytesFlag, integerFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import { checkRunArgument, checkSpecArgument } from '../paths.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, EXIT_OK, UsageError, type CliIO } from '../io.js';
import { openModel, reportingUserErrors, useTrainingBackend } from './run-support.js';
import { defaultThreads } from '../../runtime/train/threads.js';
import { hasCodebook, trainingData, writeCodeUsage } from './uses-support.js';
import { RECONSTRUCTION_LINES_FILE, writeReconstructionLines, writeRunCurves } from '../../runtime/plots/index.js';
import { commandInfo } from './info.js';
import { closeTrainLogs, logKinds, openTrainLogs, removeLogsIfAlone } from './train-logs.js';

export const trainCommand: Command = {
  ...commandInfo.train,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.train.options);
    const [file, ...extra] = args.positionals;
    if (extra.length > 0) throw new UsageError(`one FILE at a time, got ${args.positionals.length}`);
    const resumeDir = stringFlag(args, 'resume');
    if (file === undefined && resumeDir === undefined) throw new UsageError('no FILE given');
    if (resumeDir !== undefined && stringFlag(args, 'out') !== undefined) throw new UsageError('--resume continues in its own directory; drop --out');
    const epochs = integerFlag(args, 'epochs');
    const batch = integerFlag(args, 'batch');
    const limit = integerFlag(args, 'limit');
    const seed = integerFlag(args, 'seed', { min: 0 });
    const stream = oneOfFlag(args, 'stream', ['auto', 'always', 'never']);
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    if (file !== undefined) checkSpecArgument(file, io.cwd, ['.ae', '.ir.json']);
    if (resumeDir !== undefined) checkRunArgument(resumeDir, io.cwd);
    const logs = logKinds(args);
    return reportingUserErrors('train', io, async () => {
      const runIR = resumeDir === undefined ? undefined : await readIRFile(join(createRunDirectory(resumeDir, 'run', io.cwd, { resume: true }), IR_FILE));
      const ir = file === undefined ? runIR : await openModel(file, io, {
              model: stringFlag(args, 'model'),
              color: args.flags.color,
              memoryLimit: bytesFlag(args, 'max-memory') ?? Math.min(DEFAULT_MEMORY_LIMIT, totalmem()),
            });
      if (ir === undefined) return EXIT_INPUT_ERROR;
      // Said here in the command's words (the library's TrainingError names train()'s options).
      const bare = resumeDir === undefined && stringFlag(args, 'data') === undefined ? ir.phases.find((phase) => phase.data === undefined) : undefined;
      if (bare) {
        io.stderr(`ae train: phase '${bare.name}' has no data: pass --data SRC or set data = ... in its train block\n`);
        return EXIT_INPUT_ERROR;
      }
      if (runIR !== undefined && !isDeepStrictEqual(withoutSource(ir), withoutSource(runIR))) {
        io.stderr(`ae train: cannot resume: ${file} no longer compiles to the model in ${resumeDir}/${IR_FILE} (train the changed model into a new run without --resume)\n`);
        return EXIT_INPUT_ERROR;
      }
      // A resumed run continues on the backend it started on unless --backend says otherwise.
      const startedOn = resumeDir !== undefined && args.flags.backend === undefined ? await recordedBackend(resolve(io.cwd, resumeDir)) : undefined;
      const training = await useTrainingBackend(startedOn ? { ...args, flags: { ...args.flags, backend: startedOn } } : args, io, ir, { defaultThreads: defaultThreads(ir) });
      const backend = training.name;
      const runDir = createRunDirectory(resumeDir ?? stringFlag(args, 'out'), ir.model, io.cwd, { resume: resumeDir !== undefined });
      const experimentLogs = openTrainLogs(logs, args, io.cwd, runDir);
      const result = await removingIfEmpty(runDir, () =>
        train({
          callbacks: experimentLogs,
          ir,
          runDir,
          cwd: io.cwd,
          backend,
          ...(training.engine ? { engine: training.engine } : {}),
          ...(training.inference ? { inference: training.inference } : {}),
          resume: resumeDir !== undefined,
          progress: args.flags.quiet ? { stderr: () => {}, isTTY: false } : { stderr: io.stderr, isTTY: io.isTTY },
          ...(seed !== undefined ? { seed } : {}),
          ...(epochs !== undefined ? { epochs } : {}),
          ...(batch !== undefined ? { batch } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(stream === 'always' || stream === 'never' ? { stream: stream === 'always' } : {}),
          ...(stringFlag(args, 'data') !== undefined ? { data: stringFlag(args, 'data')! } : {}),
        }).catch(async (error: unknown) => {
          await closeTrainLogs(experimentLogs, undefined, 0, true);
          await removeLogsIfAlone(runDir);
          throw error;
        }),
      );
      const last = result.metrics[result.metrics.length - 1];
      // --limit cuts the validation data too: said here, so that this val_loss and the held-out
      // figure below (on up to HELD_OUT_LIMIT samples) do not silently disagree.
      const limitedValidation = result.overrides.limit !== undefined ? ` (validation limited to ${result.overrides.limit} samples by --limit)` : '';
      const loss = last ? ` loss ${formatLoss(last.loss)}${last.val_loss !== null ? ` val_loss ${formatLoss(last.val_loss)}${limitedValidation}` : ''}` : '';
      io.stderr(`trained ${ir.model}: ${result.steps} steps,${loss}, ${result.samplesPerSecond.toFixed(0)} samples/s on ${backend}\n`);
      let heldOut: HeldOut | undefined;
      try {
        heldOut = await reportHeldOut(ir, result.program, runDir, io, result.overrides.data, result.overrides.limit);
        await recordUses(ir, result.program, runDir, io);
        const grid = existsSync(join(runDir, GRID_FILE)) ? join(runDir, GRID_FILE) : undefined;
        for (const where of await closeTrainLogs(experimentLogs, grid, result.steps, false)) io.stderr(`wrote the ${where}\n`);
      } finally {
        result.program.dispose();
      }
      if (format === 'json') {
        const summary = {
          model: ir.model,
          run: runDir,
          backend,
          steps: result.steps,
          epochs: result.metrics.length,
          loss: last?.loss ?? null,
          val_loss: last?.val_loss ?? null,
          samplesPerSecond: result.samplesPerSecond,
          stoppedEarly: result.stoppedEarly,
          ...(heldOut ? { heldOut } : {}),
        };
        io.stdout(`${JSON.stringify(summary)}\n`);
      } else {
        io.stdout(`${runDir}\n`);
      }
      return EXIT_OK;
    });
  },
};

/**
 * After training: the reconstruction error on held-out data (the last phase's `validate`, else the
 * training data) in the input's own scale, and, for image inputs, `reconstructions.png` in the run.
 */
interface HeldOut {
  /** Which data the numbers are of: the last phase's validation data, else its training data. */
  split: 'validation' | 'training';
  data: string;
  samples: number;
  loss: number;
  mse: number;
}

async function reportHeldOut(ir: IRModel, program: Program, runDir: string, io: CliIO, dataFlag: string | undefined, limit: number | undefined): Promise<HeldOut | undefined> {
  const phase = ir.phases[ir.phases.length - 1];
  const source = phase?.validate ?? dataFlag ?? phase?.data;
  if (source === undefined) return undefined;
  const { data: input, labels } = modelInputs(ir);
  const dataset = await loadDataset(source, input, { cwd: io.cwd, limit: HELD_OUT_LIMIT, ...(labels ? { labelsInput: labels } : {}) });
  const evaluation = evaluate(program, dataset);
  const limitNote = limit !== undefined && evaluation.samples > limit ? `, not limited by --limit` : '';
  io.stderr(`${phase?.validate ? 'validation' : 'training'} data (${dataset.name}, ${evaluation.samples} samples${limitNote}): loss ${formatLoss(evaluation.loss)}, mse ${formatLoss(evaluation.mse)} per element\n`);
  const heldOut: HeldOut = { split: phase?.validate ? 'validation' : 'training', data: dataset.name, samples: evaluation.samples, loss: evaluation.loss, mse: evaluation.mse };
  const layout = imageLayout(input);
  if (layout !== undefined && isPicture(layout)) {
    await writeReconstructionGrid(program, input, layout, dataset, join(runDir, GRID_FILE), 16);
    io.stderr(`wrote ${join(runDir, GRID_FILE)} (originals above reconstructions)\n`);
  } else if (await writeReconstructionLines(program, input, dataset, runDir)) {
    // A vector or a sequence window: line plots, original against reconstruction.
    io.stderr(`wrote ${join(runDir, RECONSTRUCTION_LINES_FILE)} (originals and reconstructions as lines)\n`);
  }
  return heldOut;
}

/** What the uses read from a run: curves.svg to look at, and for a vq code its codebook usage (`ae sample`). */
async function recordUses(ir: IRModel, program: Program, runDir: string, io: CliIO): Promise<void> {
  const curves = await writeRunCurves(runDir, `${ir.model}: training curves`).catch((error: unknown) => {
    if (error instanceof TaskError) return undefined; // no epoch ran (a resume of a finished run)
    throw error;
  });
  if (curves !== undefined) io.stderr(`wrote ${curves} (training curves)\n`);
  if (hasCodebook(ir)) await writeCodeUsage({ dir: runDir, program }, await trainingData({ dir: runDir, ir }, io, 'the codebook usage'), io);
}

/** Runs `work`; if it fails before writing anything into the run directory, the directory goes too. */
async function removingIfEmpty<T>(runDir: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (readdirSync(runDir).length === 0) rmdirSync(runDir);
    throw error;
  }
}

/** Enough for every MNIST test image, few enough to keep the final evaluation to seconds. */
const HELD_OUT_LIMIT = 10_000;
const GRID_FILE = 'reconstructions.png';

/** The source location fields differ between an .ae compile and the stored IR only by path. */
function withoutSource(ir: object): unknown {
  return JSON.parse(JSON.stringify(ir, (key, value) => (key === 'source' ? undefined : value)));
}
