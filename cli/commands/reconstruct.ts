// `ae reconstruct RUN --data SRC -o grid.png`: originals (top row) above their reconstructions.
import { resolve } from 'node:path';
import { imageLayout, loadRun, writeReconstructionGrid } from '../../runtime/tasks/index.js';
import { modelInputs } from '../../runtime/train/batches.js';
import { integerFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkOutputFile, checkRunArgument } from '../paths.js';
import { EXIT_INPUT_ERROR, EXIT_OK, UsageError } from '../io.js';
import { dataFor, reportingUserErrors, useBackend } from './run-support.js';
import { commandInfo } from './info.js';

export const reconstructCommand: Command = {
  ...commandInfo.reconstruct,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.reconstruct.options);
    const out = stringFlag(args, 'out');
    const count = integerFlag(args, 'n') ?? 16;
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    if (out === undefined) throw new UsageError('-o FILE.png is required');
    checkOutputFile(out, io.cwd, ['.png']);
    return reportingUserErrors('reconstruct', io, async () => {
      await useBackend(args, io);
      const run = await loadRun(resolve(io.cwd, args.positionals[0]!));
      try {
        const input = modelInputs(run.ir).data;
        const layout = imageLayout(input);
        if (layout === undefined) {
          io.stderr(`ae reconstruct: input '${input.name}' of shape [${input.shape.slice(1).join(', ')}] is not an image (1 or 3 channels)\n`);
          return EXIT_INPUT_ERROR;
        }
        const dataset = await dataFor(run, args, io, { limit: count });
        const drawn = await writeReconstructionGrid(run.program, input, layout, dataset, resolve(io.cwd, out), count);
        io.stderr(`wrote ${drawn} originals and reconstructions to ${out}\n`);
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};
