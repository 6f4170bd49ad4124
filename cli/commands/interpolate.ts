// `ae interpolate RUN --data SRC --from i --to j [--steps n] -o FILE.png|.npy`: the decoded path
// between two inputs' codes (spherical for gaussian codes), drawn between the two inputs.
import { resolve } from 'node:path';
import { interpolate, latentKind } from '../../runtime/tasks/index.js';
import { integerFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkRunArgument } from '../paths.js';
import { EXIT_OK, UsageError } from '../io.js';
import { dataFor, reportingUserErrors, loadRunOnBackend } from './run-support.js';
import { commandInfo } from './info.js';
import { imageOrArrayOut, writeSamples } from './uses-support.js';

export const interpolateCommand: Command = {
  ...commandInfo.interpolate,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.interpolate.options);
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    const out = imageOrArrayOut(stringFlag(args, 'out'), io.cwd);
    const from = integerFlag(args, 'from', { min: 0 });
    const to = integerFlag(args, 'to', { min: 0 });
    if (from === undefined || to === undefined) throw new UsageError('--from i and --to j (0-based rows of --data) are required');
    const steps = integerFlag(args, 'steps', { min: 2 }) ?? 8;
    const condition = integerFlag(args, 'condition', { min: 0 });
    return reportingUserErrors('interpolate', io, async () => {
      const run = await loadRunOnBackend(args, io, resolve(io.cwd, args.positionals[0]!));
      try {
        const dataset = await dataFor(run, args, io, { limit: Math.max(from, to) + 1 });
        const result = interpolate(run.program, dataset, { from, to, steps, ...(condition !== undefined ? { condition } : {}) });
        const size = result.ends.values.length / 2;
        const path = Array.from({ length: steps }, (_, s) => result.samples.values.slice(s * size, (s + 1) * size));
        const row = [result.ends.values.slice(0, size), ...path, result.ends.values.slice(size)];
        await writeSamples(run.ir, out, result.samples, [row], io);
        const how = latentKind(run.ir) === 'gaussian' ? 'spherical' : 'linear';
        io.stderr(`wrote ${steps} decoded points on the ${how} path from row ${from} to row ${to} of ${dataset.name} to ${out}\n`);
        if (format === 'json') io.stdout(`${JSON.stringify({ model: run.ir.model, data: dataset.name, from, to, steps, path: how, out: resolve(io.cwd, out) })}\n`);
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};
