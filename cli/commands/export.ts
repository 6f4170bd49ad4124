// `ae export RUN --format onnx -o FILE.onnx` and `--format pytorch -o DIR`: a trained run for other
// stacks (docs/export.md). The exporters (export/) take only the IR and plain weight arrays; this
// command reads those from the run directory.
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exportOnnx } from '../../export/onnx/index.js';
import { exportPytorch } from '../../export/pytorch/index.js';
import { ExportError, type ModelPart, type Weights } from '../../export/weights.js';
import { readSafetensors } from '../../runtime/runs/index.js';
import { readIRFile, readTableEncoding } from '../../runtime/tasks/load-run.js';
import type { TableEncoding } from '../../export/table.js';
import { loadCheckpoint, WEIGHTS_FILE } from '../../runtime/train/checkpoint.js';
import { IR_FILE } from '../../runtime/train/train.js';
import type { IRModel } from '../../ir/types.js';
import { oneOfFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, EXIT_OK, UsageError, type CliIO } from '../io.js';
import { packageVersion } from '../version.js';
import { checkOutputDirectory, checkOutputFile, checkRunArgument } from '../paths.js';
import { OutputError, writeOutputFiles, type OutputOptions } from '../output-files.js';
import { reportingUserErrors } from './run-support.js';
import { commandInfo } from './info.js';

export const exportCommand: Command = {
  ...commandInfo.export,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.export.options);
    const format = oneOfFlag(args, 'format', ['onnx', 'pytorch'] as const);
    const part = oneOfFlag(args, 'part', ['model', 'encoder', 'decoder'] as const) ?? 'model';
    const out = stringFlag(args, 'out');
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    const runDir = args.positionals[0]!;
    checkRunArgument(runDir, io.cwd);
    if (format === undefined) throw new UsageError('--format onnx or --format pytorch is required');
    if (out === undefined) throw new UsageError(format === 'onnx' ? '-o FILE.onnx is required' : '-o DIR is required');
    if (format === 'onnx') checkOutputFile(out, io.cwd, ['.onnx']);
    else {
      if (part !== 'model') throw new UsageError('--part is for --format onnx; the PyTorch module has forward (the model) and encode (the encoder)');
      checkOutputDirectory(out, io.cwd, '-o', '--format pytorch writes a directory');
    }
    return reportingUserErrors('export', io, async () => {
      const dir = resolve(io.cwd, runDir);
      const ir = await readIRFile(join(dir, IR_FILE));
      const weights = await readWeights(dir);
      // A table run's row encoding (table.json), which the exported files record.
      const table = ir.inputs.some((i) => i.kind === 'table') ? await readTableEncoding(dir) : undefined;
      const nonFinite = nonFiniteWeight(weights);
      if (nonFinite) {
        io.stderr(`ae export: the weights of ${ir.model} are not finite (${nonFinite}); nothing was written (\`ae eval\` refuses them too: retrain, or resume from an earlier checkpoint)\n`);
        return EXIT_INPUT_ERROR;
      }
      const output = { cwd: io.cwd, force: args.flags.force === true };
      try {
        if (format === 'onnx') await writeOnnx(ir, weights, part, out, output, table);
        else await writePytorch(ir, weights, out, io, output, table);
      } catch (error) {
        if (error instanceof OutputError) {
          io.stderr(`ae export: ${error.message}\n`);
          return EXIT_INPUT_ERROR;
        }
        if (!(error instanceof ExportError)) throw error;
        io.stderr(`ae export: ${ir.model} does not export to ${format === 'onnx' ? 'ONNX' : 'PyTorch'}: ${error.message}\n`);
        return EXIT_INPUT_ERROR;
      }
      io.stderr(`wrote ${out}\n`);
      return EXIT_OK;
    });
  },
};

/** The run's weights as `loadRun` reads them: its last checkpoint's, else a weights.safetensors beside
 *  model.ir.json (a directory assembled by hand). */
async function readWeights(dir: string): Promise<Weights> {
  const tensors = (await loadCheckpoint(dir))?.weights ?? (await readSafetensors(join(dir, WEIGHTS_FILE))).tensors;
  return new Map(Object.entries(tensors).map(([id, t]) => [id, { shape: t.shape, values: Float32Array.from(t.data) }]));
}

/** The first weight that is NaN or infinite, as `id[index] = value`: such a file would load and
 *  then compute NaN everywhere, so it is not written. */
function nonFiniteWeight(weights: Weights): string | undefined {
  for (const [id, { values }] of weights) {
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return `${id}[${i}] is ${values[i]}`;
  }
  return undefined;
}

async function writeOnnx(ir: IRModel, weights: Weights, part: ModelPart, out: string, output: OutputOptions, table?: TableEncoding): Promise<void> {
  const data = exportOnnx(ir, weights, { part, version: await packageVersion(), ...(table ? { table } : {}) });
  await writeOutputFiles([{ shown: out, path: resolve(output.cwd, out), data }], output);
}

async function writePytorch(ir: IRModel, weights: Weights, out: string, io: CliIO, output: OutputOptions, table?: TableEncoding): Promise<void> {
  const { files, noTrainPy } = exportPytorch(ir, weights, { version: await packageVersion(), ...(table ? { table } : {}) });
  const dir = resolve(io.cwd, out);
  await writeOutputFiles(
    Object.entries(files).map(([name, data]) => ({ shown: join(out, name), path: join(dir, name), data })),
    output,
  );
  if (noTrainPy !== undefined) {
    await rm(join(dir, 'train.py'), { force: true }); // not one from an earlier export of another model
    io.stderr(`ae export: no train.py: ${noTrainPy} (model.py and the weights are written)\n`);
  }
}
