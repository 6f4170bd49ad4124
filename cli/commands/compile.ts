// `ae compile FILE [--model NAME] [-o OUT]`: the model's IR as JSON (stdout by default).
// A file with several models needs --model: the runtime reads one model per IR file.
import { resolve } from 'node:path';
import { serializeIR } from '../../compiler/emit-ir.js';
import { bytesFlag, parseArgs, stringFlag } from '../args.js';
import { checkOutputFile, checkSpecArgument } from '../paths.js';
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
    if (out === undefined) {
      io.stdout(text);
      return EXIT_OK;
    }
    try {
      await writeOutputFiles([{ shown: out, path: resolve(io.cwd, out), data: text }], { cwd: io.cwd, force: args.flags.force === true });
    } catch (error) {
      if (!(error instanceof OutputError)) throw error;
      io.stderr(`ae compile: ${error.message}\n`);
      return EXIT_INPUT_ERROR;
    }
    return EXIT_OK;
  },
};
