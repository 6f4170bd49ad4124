// `ae encode RUN --data SRC -o FILE.npy|FILE.csv`: the latent code of every sample.
import { resolve } from 'node:path';
import { writeCsv, writeNpy } from '../../runtime/io/index.js';
import { encode, encodeCodes } from '../../runtime/tasks/index.js';
import { integerFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkOutputFile, checkRunArgument } from '../paths.js';
import { EXIT_OK, UsageError } from '../io.js';
import { dataFor, reportingUserErrors, loadRunOnBackend } from './run-support.js';
import { commandInfo } from './info.js';

export const encodeCommand: Command = {
  ...commandInfo.encode,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.encode.options);
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    const out = stringFlag(args, 'out');
    const limit = integerFlag(args, 'limit');
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    if (out === undefined) throw new UsageError('-o FILE.npy or -o FILE.csv is required');
    checkOutputFile(out, io.cwd, ['.npy', '.csv']);
    return reportingUserErrors('encode', io, async () => {
      const run = await loadRunOnBackend(args, io, resolve(io.cwd, args.positionals[0]!));
      try {
        const dataset = await dataFor(run, args, io, limit !== undefined ? { limit } : {});
        const indices = args.flags.codes === true;
        const codes = indices ? encodeCodes(run.program, dataset) : encode(run.program, dataset);
        const flatShape = [codes.shape[0]!, codes.shape.slice(1).reduce((a, b) => a * b, 1)];
        const path = resolve(io.cwd, out);
        if (out.endsWith('.npy')) await writeNpy(path, codes.values, codes.shape);
        else await writeCsv(path, codes.values, flatShape, Array.from({ length: flatShape[1]! }, (_, i) => (indices ? `code${i}` : `z${i}`)));
        io.stderr(`wrote ${codes.shape[0]} ${indices ? 'code indices' : 'codes'} of shape [${codes.shape.slice(1).join(', ')}] to ${out}\n`);
        if (format === 'json') io.stdout(`${JSON.stringify({ model: run.ir.model, data: dataset.name, codes: codes.shape[0], shape: codes.shape.slice(1), out: path })}\n`);
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};
