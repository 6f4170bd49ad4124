// `ae sample RUN -n N [--seed S] [--temperature T] -o FILE.png|FILE.npy`: decoded draws from the
// latent's prior (gaussian N(0, T²I), vq codes at their training frequency, fair bits, uniform one-hot).
import { resolve } from 'node:path';
import { latentKind, sample } from '../../runtime/tasks/index.js';
import { integerFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkRunArgument } from '../paths.js';
import { EXIT_OK, UsageError } from '../io.js';
import { reportingUserErrors, loadRunOnBackend } from './run-support.js';
import { commandInfo } from './info.js';
import { gridRows, imageOrArrayOut, recordedCodeUsage, writeSamples } from './uses-support.js';

export const sampleCommand: Command = {
  ...commandInfo.sample,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.sample.options);
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    const out = imageOrArrayOut(stringFlag(args, 'out'), io.cwd);
    const count = integerFlag(args, 'n') ?? 16;
    const seed = integerFlag(args, 'seed', { min: 0 }) ?? 0;
    const condition = integerFlag(args, 'condition', { min: 0 });
    const temperatureText = stringFlag(args, 'temperature');
    const temperature = temperatureText === undefined ? undefined : Number(temperatureText);
    if (temperature !== undefined && !(temperature > 0 && Number.isFinite(temperature))) {
      throw new UsageError(`option '--temperature' needs a positive number, got '${temperatureText}'`);
    }
    return reportingUserErrors('sample', io, async () => {
      const run = await loadRunOnBackend(args, io, resolve(io.cwd, args.positionals[0]!));
      try {
        const kind = latentKind(run.ir);
        const codeUsage = kind === 'vq' ? await recordedCodeUsage(run, io) : undefined;
        const { samples } = sample(run.program, {
          count,
          seed,
          ...(temperature !== undefined ? { temperature } : {}),
          ...(codeUsage !== undefined ? { codeUsage } : {}),
          ...(condition !== undefined ? { condition } : {}),
        });
        await writeSamples(run.ir, out, samples, gridRows(samples, Math.ceil(Math.sqrt(count))), io);
        const as = condition !== undefined ? ` as class ${condition}` : '';
        io.stderr(`wrote ${count} samples from the ${kind} prior of ${run.ir.model}${as} to ${out}\n`);
        if (format === 'json') io.stdout(`${JSON.stringify({ model: run.ir.model, prior: kind, samples: count, seed, out: resolve(io.cwd, out), ...(condition !== undefined ? { condition } : {}) })}\n`);
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};
