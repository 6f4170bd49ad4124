// `ae reconstruct RUN --data SRC -o grid.png|recon.npy [--corrupt | --corruption SPEC]`: originals
// (top row) above their reconstructions, or the reconstructions as an array; with a corruption, the
// model reconstructs corrupted inputs (denoising) and the grid shows clean, corrupted, reconstructed.
import { resolve } from 'node:path';
import { writeNpy } from '../../runtime/io/index.js';
import { corruptDataset, imageLayout, modelCorruption, parseCorruption, reconstruct, writeReconstructionGrid } from '../../runtime/tasks/index.js';
import { modelInputs } from '../../runtime/train/batches.js';
import { integerFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkOutputFile, checkRunArgument } from '../paths.js';
import { EXIT_INPUT_ERROR, EXIT_OK, UsageError } from '../io.js';
import { dataFor, reportingUserErrors, loadRunOnBackend } from './run-support.js';
import { commandInfo } from './info.js';

export const reconstructCommand: Command = {
  ...commandInfo.reconstruct,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.reconstruct.options);
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    const out = stringFlag(args, 'out');
    const n = integerFlag(args, 'n');
    const seed = integerFlag(args, 'seed', { min: 0 }) ?? 0;
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    if (out === undefined) throw new UsageError('-o FILE.png or -o FILE.npy is required');
    checkOutputFile(out, io.cwd, ['.png', '.npy']);
    const spec = stringFlag(args, 'corruption');
    const corrupting = args.flags.corrupt === true || spec !== undefined;
    return reportingUserErrors('reconstruct', io, async () => {
      const run = await loadRunOnBackend(args, io, resolve(io.cwd, args.positionals[0]!));
      try {
        const input = modelInputs(run.ir).data;
        // A picture shows 16 samples unless -n says otherwise; an array holds every sample.
        const count = n ?? (out.endsWith('.npy') ? undefined : 16);
        const dataset = await dataFor(run, args, io, count !== undefined ? { limit: count } : {});
        const corrupted = corrupting ? corruptDataset(run.ir, dataset, spec !== undefined ? parseCorruption(spec, run.ir) : modelCorruption(run.ir), seed) : undefined;
        const how = corrupted ? ` (inputs corrupted by ${spec ?? "the model's own corruption"}, seed ${seed})` : '';
        if (out.endsWith('.npy')) {
          const result = reconstruct(run.program, corrupted ?? dataset);
          await writeNpy(resolve(io.cwd, out), result.values, result.shape);
          io.stderr(`wrote ${result.shape[0]} reconstructions${how} of shape [${result.shape.slice(1).join(', ')}] to ${out}\n`);
          if (format === 'json') io.stdout(`${JSON.stringify({ model: run.ir.model, data: dataset.name, reconstructions: result.shape[0], shape: result.shape.slice(1), corrupted: corrupted !== undefined, out: resolve(io.cwd, out) })}\n`);
          return EXIT_OK;
        }
        const layout = imageLayout(input);
        if (layout === undefined) {
          io.stderr(`ae reconstruct: input '${input.name}' of shape [${input.shape.slice(1).join(', ')}] is not an image (1 or 3 channels); write -o FILE.npy\n`);
          return EXIT_INPUT_ERROR;
        }
        const drawn = await writeReconstructionGrid(run.program, input, layout, dataset, resolve(io.cwd, out), count!, corrupted);
        const rows = corrupted ? 'originals, their corrupted inputs and the reconstructions' : 'originals and reconstructions';
        io.stderr(`wrote ${drawn} ${rows}${how} to ${out}\n`);
        if (format === 'json') io.stdout(`${JSON.stringify({ model: run.ir.model, data: dataset.name, reconstructions: drawn, corrupted: corrupted !== undefined, out: resolve(io.cwd, out) })}\n`);
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};
