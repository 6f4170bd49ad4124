// `ae compile FILE [--model NAME] [-o OUT] [--step-graph DIR]`: the model's IR as JSON (stdout by
// default), and with --step-graph each training stage's step graph as an ONNX model, the graph the
// onnx engine runs for that stage (compiler/step/). A file with several models needs --model: the
// runtime reads one model per IR file.
import { join, resolve } from 'node:path';
import { serializeIR } from '../../compiler/emit-ir.js';
import { stageGraphs } from '../../compiler/step/stage-graphs.js';
import type { IRModel } from '../../ir/types.js';
import type { StageGraph } from '../../onnx/stage-graph.js';
import { unsupportedOps } from '../../onnx/lowering/lower.js';
import { unsupportedTerms } from '../../onnx/lowering/terms.js';
import { bytesFlag, parseArgs, stringFlag } from '../args.js';
import type { CliIO } from '../io.js';
import { checkOutputDirectory, checkOutputFile, checkSpecArgument } from '../paths.js';
import { OutputError, writeOutputFiles } from '../output-files.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, EXIT_OK, UsageError } from '../io.js';
import { loadAnalysis, modelNames } from './load-models.js';
import { commandInfo } from './info.js';

export const compileCommand: Command = {
  ...commandInfo.compile,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.compile.options);
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('no FILE given');
    if (extra.length > 0) throw new UsageError(`one FILE at a time, got also '${extra.join("', '")}'`);
    checkSpecArgument(file, io.cwd);
    const out = stringFlag(args, 'out');
    if (out !== undefined) checkOutputFile(out, io.cwd, ['.json']);
    const stepGraphDir = stringFlag(args, 'step-graph');
    const model = stringFlag(args, 'model');
    const analysis = await loadAnalysis(file, io, { model, color: args.flags.color, memoryLimit: bytesFlag(args, 'max-memory') });
    if (!analysis) return EXIT_INPUT_ERROR;
    const names = modelNames(analysis);
    if (names.length === 0) {
      io.stderr(`ae compile: '${file}' has no model\n`);
      return EXIT_INPUT_ERROR;
    }
    if (model === undefined && names.length > 1) {
      throw new UsageError(`'${file}' has ${names.length} models; choose one with --model (${names.join(', ')})`);
    }
    const ir = analysis.irs[0];
    if (!ir) return EXIT_INPUT_ERROR;
    const text = serializeIR(ir);
    try {
      if (stepGraphDir !== undefined && !(await writeStepGraphs(ir, stepGraphDir, io, args.flags.force === true))) return EXIT_INPUT_ERROR;
      if (out === undefined) io.stdout(text);
      else await writeOutputFiles([{ shown: out, path: resolve(io.cwd, out), data: text }], { cwd: io.cwd, force: args.flags.force === true });
    } catch (error) {
      if (!(error instanceof OutputError)) throw error;
      io.stderr(`ae compile: ${error.message}\n`);
      return EXIT_INPUT_ERROR;
    }
    return EXIT_OK;
  },
};

/** What a stage's step graph holds, in one line. */
export function stepGraphLine(stage: string, graph: StageGraph): string {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return `stage \`${stage}\`: ${count(graph.nodeCount, 'node')}, ${count(graph.trainable.length, 'gradient')} (of ${count(graph.parameters.length, 'parameter')} fed), ${count(graph.noise.length, 'draw')}`;
}

/** Writes each stage's step graph into `dir` (all or none) and says what each holds; false, with
 *  the reason on stderr, where the model has an op or term ONNX Runtime does not train. */
async function writeStepGraphs(ir: IRModel, dir: string, io: CliIO, force: boolean): Promise<boolean> {
  const missing = [...unsupportedOps(ir.nodes).map((op) => `the op '${op}'`), ...unsupportedTerms([...ir.objective, ...ir.phases.flatMap((p) => p.objective)]).map((t) => `the loss term '${t}'`)];
  if (missing.length > 0) {
    io.stderr(`ae compile: no step graph for '${ir.model}': the onnx engine does not train ${missing.join(', ')}\n`);
    return false;
  }
  checkOutputDirectory(dir, io.cwd, '--step-graph', 'it names the directory the step graphs go into');
  const stages = stageGraphs(ir);
  await writeOutputFiles(
    stages.map(({ graph, file }) => ({ shown: join(dir, file), path: resolve(io.cwd, dir, file), data: graph.model })),
    { cwd: io.cwd, force },
  );
  for (const { stage, graph, file } of stages) {
    io.stderr(`${stepGraphLine(stage.name, graph)} → ${join(dir, file)}\n`);
  }
  return true;
}
