// `ae serve RUN [--port N] [--host H]`: the run behind JSON endpoints (runtime/serve/server.ts) until
// SIGINT or SIGTERM. /score flags scores above the run's anomaly threshold, found as `ae score`
// finds it: --threshold as given, else fitted on --fit or the run's training data at
// --contamination (default 0.1), once, at start.
import { resolve } from 'node:path';
import { fitThreshold, anomalyScores, latentKind } from '../../runtime/tasks/index.js';
import { DEFAULT_MAX_BATCH, DEFAULT_MAX_BODY, serveModel } from '../../runtime/serve/server.js';
import { integerFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_OK, UsageError } from '../io.js';
import { checkRunArgument } from '../paths.js';
import { reportingUserErrors, loadRunOnBackend } from './run-support.js';
import { commandInfo } from './info.js';
import { loadData, recordedCodeUsage, trainingData } from './uses-support.js';

export const serveCommand: Command = {
  ...commandInfo.serve,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.serve.options);
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    const port = integerFlag(args, 'port', { min: 0 }) ?? 8080;
    if (port > 65535) throw new UsageError(`option '--port' needs a port 0..65535, got ${port}`);
    const host = stringFlag(args, 'host') ?? '127.0.0.1';
    const maxBody = integerFlag(args, 'max-body') ?? DEFAULT_MAX_BODY;
    const maxBatch = integerFlag(args, 'max-batch') ?? DEFAULT_MAX_BATCH;
    const threshold = numberFlag(stringFlag(args, 'threshold'), 'threshold');
    const contamination = numberFlag(stringFlag(args, 'contamination'), 'contamination');
    if (threshold !== undefined && (contamination !== undefined || stringFlag(args, 'fit') !== undefined)) throw new UsageError('--threshold is used as given; --fit and --contamination fit one instead');
    return reportingUserErrors('serve', io, async () => {
      const run = await loadRunOnBackend(args, io, resolve(io.cwd, args.positionals[0]!));
      try {
        let found = threshold;
        let from = 'given with --threshold';
        if (found === undefined) {
          const fitSource = stringFlag(args, 'fit');
          const fit = fitSource !== undefined ? await loadData(run.ir, fitSource, io) : await trainingData(run, io, "fitting /score's threshold");
          found = fitThreshold(anomalyScores(run.program, fit), contamination ?? 0.1);
          from = `fitted on ${fit.name} at contamination ${contamination ?? 0.1}`;
        }
        const codeUsage = latentKind(run.ir) === 'vq' ? await recordedCodeUsage(run, io) : undefined;
        const served = await serveModel(run.program, {
          host,
          port,
          threshold: found,
          thresholdFrom: from,
          maxBody,
          maxBatch,
          ...(codeUsage ? { codeUsage } : {}),
          onError: (error) => io.stderr(`ae serve: a request failed: ${error instanceof Error ? error.message : String(error)}\n`),
        });
        io.stderr(`serving ${run.ir.model} on ${served.url} (threshold ${found}, ${from}); stop with Ctrl-C\n`);
        await new Promise<void>((done) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            done();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await served.close();
        io.stderr('stopped\n');
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};

function numberFlag(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`option '--${name}' needs a number, got '${raw}'`);
  return value;
}
