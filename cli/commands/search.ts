// `ae search RUN --index SRC --query SRC -k K [--metric euclidean|cosine|hamming] -o FILE.csv`: the k
// nearest indexed samples of every query by code distance (exact), CSV query,rank,index,distance
// (0-based); with labels on both sides, precision@k.
import { resolve } from 'node:path';
import { formatCsv } from '../../runtime/io/index.js';
import { writeFileAtomic } from '../../runtime/runs/index.js';
import { encode, latentKind, latentName, precisionAtK, search, TaskError } from '../../runtime/tasks/index.js';
import { integerFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkOutputFile, checkRunArgument } from '../paths.js';
import { EXIT_OK, UsageError } from '../io.js';
import { reportingUserErrors, loadRunOnBackend } from './run-support.js';
import { commandInfo } from './info.js';
import { loadData } from './uses-support.js';

export const searchCommand: Command = {
  ...commandInfo.search,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.search.options);
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    const out = stringFlag(args, 'out');
    if (out === undefined) throw new UsageError('-o FILE.csv is required');
    checkOutputFile(out, io.cwd, ['.csv']);
    const indexSource = stringFlag(args, 'index');
    const querySource = stringFlag(args, 'query');
    if (indexSource === undefined || querySource === undefined) throw new UsageError('--index SRC and --query SRC are required');
    const k = integerFlag(args, 'k') ?? 10;
    const chosen = oneOfFlag(args, 'metric', ['euclidean', 'cosine', 'hamming'] as const);
    const limit = integerFlag(args, 'limit');
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    return reportingUserErrors('search', io, async () => {
      const run = await loadRunOnBackend(args, io, resolve(io.cwd, args.positionals[0]!));
      try {
        const kind = latentKind(run.ir);
        const metric = chosen ?? (kind === 'binary' ? 'hamming' : 'euclidean');
        if (metric === 'hamming' && kind !== 'binary') {
          throw new TaskError(`hamming distance compares binary codes; latent '${latentName(run.ir)}' is ${kind} (use euclidean or cosine)`);
        }
        const index = await loadData(run.ir, indexSource, io, { runDir: run.dir });
        const queries = await loadData(run.ir, querySource, io, { runDir: run.dir, ...(limit !== undefined ? { limit } : {}) });
        const started = performance.now();
        const neighbours = search(encode(run.program, index), encode(run.program, queries), { k, metric });
        const seconds = (performance.now() - started) / 1000;
        const rows = neighbours.queries * k;
        const table = new Float32Array(rows * 4);
        for (let r = 0; r < rows; r++) table.set([Math.floor(r / k), r % k, neighbours.indices[r]!, neighbours.distances[r]!], r * 4);
        await writeFileAtomic(resolve(io.cwd, out), formatCsv(table, [rows, 4], ['query', 'rank', 'index', 'distance']));
        const precision = index.labels && queries.labels ? precisionAtK(neighbours, index.labels, queries.labels) : undefined;
        if (format === 'json') {
          const summary = { model: run.ir.model, queries: queries.count, queryData: queries.name, index: index.count, indexData: index.name, k, metric, seconds, ...(precision !== undefined ? { precisionAtK: precision } : {}), out: resolve(io.cwd, out) };
          io.stdout(`${JSON.stringify(summary)}\n`);
        } else {
          io.stdout(`${queries.count} queries from ${queries.name} against ${index.count} codes of ${index.name}, k = ${k}, ${metric} (${seconds.toFixed(2)} s)\n`);
          if (precision !== undefined) io.stdout(`  precision@${k} ${precision.toFixed(4)}\n`);
        }
        io.stderr(`wrote ${rows} neighbours to ${out}\n`);
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};
