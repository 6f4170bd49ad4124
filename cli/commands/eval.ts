// `ae eval RUN`: the objective and the reconstruction mse of a trained run on a data set, and the
// family's own figures: head accuracy, a VAE's negative ELBO, a VQ codebook's use; with --corrupt
// (the model's own corruption) or --corruption SPEC, also how well it denoises: the error of the
// corrupted input and of its reconstruction, both against the clean input.
import {
  corruptDataset,
  denoisingError,
  evaluate,
  evaluationObjective,
  formatModelMetrics,
  loadRun,
  modelCorruption,
  modelMetrics,
  parseCorruption,
} from '../../runtime/tasks/index.js';
import { formatLoss } from '../../runtime/train/progress.js';
import { integerFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkRunArgument } from '../paths.js';
import { EXIT_OK, UsageError } from '../io.js';
import { resolve } from 'node:path';
import { dataFor, reportingUserErrors, loadRunOnBackend } from './run-support.js';
import { commandInfo } from './info.js';

export const evalCommand: Command = {
  ...commandInfo.eval,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.eval.options);
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    const limit = integerFlag(args, 'limit');
    const seed = integerFlag(args, 'seed', { min: 0 }) ?? 0;
    const spec = stringFlag(args, 'corruption');
    const corrupting = args.flags.corrupt === true || spec !== undefined;
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    return reportingUserErrors('eval', io, async () => {
      const run = await loadRunOnBackend(args, io, resolve(io.cwd, args.positionals[0]!));
      try {
        const dataset = await dataFor(run, args, io, { labels: true, ...(limit !== undefined ? { limit } : {}) });
        const result = evaluate(run.program, dataset);
        const metrics = modelMetrics(run.program, dataset, evaluationObjective(run.program));
        const nodes = corrupting ? (spec !== undefined ? parseCorruption(spec, run.ir) : modelCorruption(run.ir)) : [];
        const denoising = corrupting ? { corruption: spec ?? 'model', seed, ...denoisingError(run.program, dataset, corruptDataset(run.ir, dataset, nodes, seed)) } : undefined;
        if (format === 'json') {
          io.stdout(`${JSON.stringify({ model: run.ir.model, data: dataset.name, ...result, ...metrics, ...(denoising ? { denoising } : {}) })}\n`);
        } else {
          io.stdout(`${run.ir.model} on ${dataset.name} (${result.samples} samples)\n`);
          io.stdout(`  loss ${formatLoss(result.loss)}\n  mse  ${formatLoss(result.mse)}\n`);
          for (const [name, value] of Object.entries(result.terms)) io.stdout(`  ${name} ${formatLoss(value)}\n`);
          for (const line of formatModelMetrics(metrics, formatLoss)) io.stdout(`  ${line}\n`);
          if (denoising) {
            io.stdout(`  denoising (${spec ?? "the model's own corruption"}, seed ${seed}), mse against the clean input:\n`);
            io.stdout(`    corrupted input ${formatLoss(denoising.corrupted)}\n    reconstruction of it ${formatLoss(denoising.denoised)}\n`);
          }
        }
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};
