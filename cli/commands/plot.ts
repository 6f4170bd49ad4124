// `ae plot RUN [-o curves.svg]`: the run's loss and metric curves per phase (training and
// validation). `ae plot RUN --latent --data SRC [-o latent.svg]`: a 2-D map of the codes of SRC
// (the code itself when 2-wide, else its first two principal components), coloured by label.
import { join, resolve } from 'node:path';
import { codeMap, latentMapSpec, renderSvg, writeRunCurves } from '../../runtime/plots/index.js';
import { writeFileAtomic } from '../../runtime/runs/index.js';
import { encode, latentName } from '../../runtime/tasks/index.js';
import { integerFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkOutputFile, checkRunArgument } from '../paths.js';
import { EXIT_OK, UsageError } from '../io.js';
import { dataFor, reportingUserErrors, loadRunOnBackend } from './run-support.js';
import { commandInfo } from './info.js';

/** Enough points to see the clusters, few enough for an SVG that opens at once. */
const MAP_SAMPLES = 5000;

export const plotCommand: Command = {
  ...commandInfo.plot,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.plot.options);
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    const out = stringFlag(args, 'out');
    if (out !== undefined) checkOutputFile(out, io.cwd, ['.svg']);
    const latent = args.flags.latent === true;
    if (!latent && (stringFlag(args, 'data') !== undefined || stringFlag(args, 'limit') !== undefined)) {
      throw new UsageError('--data and --limit choose the samples of a latent map; add --latent');
    }
    const limit = integerFlag(args, 'limit') ?? MAP_SAMPLES;
    const runDir = resolve(io.cwd, args.positionals[0]!);
    return reportingUserErrors('plot', io, async () => {
      if (!latent) {
        const written = await writeRunCurves(runDir, `${args.positionals[0]}: training curves`, out !== undefined ? resolve(io.cwd, out) : undefined);
        io.stderr(`wrote the training curves to ${written}\n`);
        if (format === 'json') io.stdout(`${JSON.stringify({ plot: 'curves', out: written })}\n`);
        return EXIT_OK;
      }
      const run = await loadRunOnBackend(args, io, runDir);
      try {
        const dataset = await dataFor(run, args, io, { limit });
        const codes = encode(run.program, dataset);
        const map = codeMap(codes.values, dataset.count, latentName(run.ir), dataset.labels);
        const path = out !== undefined ? resolve(io.cwd, out) : join(runDir, 'latent.svg');
        await writeFileAtomic(path, await renderSvg(latentMapSpec(map, `${run.ir.model}: codes of ${dataset.name} (${dataset.count} samples)`)));
        io.stderr(`wrote the map of ${dataset.count} codes${dataset.labels ? ', coloured by label,' : ''} to ${path}\n`);
        if (format === 'json') io.stdout(`${JSON.stringify({ plot: 'latent', model: run.ir.model, data: dataset.name, codes: dataset.count, labelled: dataset.labels !== undefined, out: path })}\n`);
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};
