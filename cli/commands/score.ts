// `ae score RUN --data SRC [--by reconstruction|nelbo] [--contamination p | --threshold t] [--fit SRC]
// -o FILE.csv|.npy`: PyOD's fit / decision_function / predict as one command. With ground truth
// (--labels FILE of 0/1, or a labelled data set and --normal CLASSES) it prints ROC AUC and AP.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readNpy } from '../../runtime/data/index.js';
import { formatCsv, writeNpy } from '../../runtime/io/index.js';
import { writeFileAtomic } from '../../runtime/runs/index.js';
import { averagePrecision, columnContributions, rocAuc, score, stepScores, TaskError } from '../../runtime/tasks/index.js';
import { integerFlag, oneOfFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkOutputFile, checkRunArgument } from '../paths.js';
import { EXIT_OK, UsageError } from '../io.js';
import { dataFor, reportingUserErrors, loadRunOnBackend } from './run-support.js';
import { commandInfo } from './info.js';
import { loadData, trainingData } from './uses-support.js';

export const scoreCommand: Command = {
  ...commandInfo.score,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.score.options);
    if (args.positionals.length !== 1) throw new UsageError('give one RUN directory');
    checkRunArgument(args.positionals[0]!, io.cwd);
    const out = stringFlag(args, 'out');
    if (out === undefined) throw new UsageError('-o FILE.csv or -o FILE.npy is required');
    checkOutputFile(out, io.cwd, ['.csv', '.npy']);
    const by = oneOfFlag(args, 'by', ['reconstruction', 'nelbo'] as const) ?? 'reconstruction';
    const contamination = numberFlag(args.flags.contamination, 'contamination');
    const threshold = numberFlag(args.flags.threshold, 'threshold');
    if (contamination !== undefined && threshold !== undefined) throw new UsageError('give --contamination or --threshold, not both');
    if (threshold !== undefined && stringFlag(args, 'fit') !== undefined) throw new UsageError('--fit fits a threshold; a given --threshold needs none');
    const labelsFile = stringFlag(args, 'labels');
    const normal = parseClasses(stringFlag(args, 'normal'));
    if (labelsFile !== undefined && normal !== undefined) throw new UsageError('give --labels FILE or --normal CLASSES, not both');
    const limit = integerFlag(args, 'limit');
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    return reportingUserErrors('score', io, async () => {
      const run = await loadRunOnBackend(args, io, resolve(io.cwd, args.positionals[0]!));
      try {
        const dataset = await dataFor(run, args, io, limit !== undefined ? { limit } : {});
        const fitSource = stringFlag(args, 'fit');
        const fit =
          threshold !== undefined ? undefined : fitSource !== undefined ? await loadData(run.ir, fitSource, io, { runDir: run.dir, ...(run.table ? { table: run.table } : {}) }) : await trainingData(run, io, 'fitting the threshold');
        const result = score(run.program, dataset, {
          by,
          ...(fit ? { fit } : {}),
          ...(contamination !== undefined ? { contamination } : {}),
          ...(threshold !== undefined ? { threshold } : {}),
        });
        const path = resolve(io.cwd, out);
        const n = result.scores.length;
        if (out.endsWith('.npy')) await writeNpy(path, result.scores, [n]);
        else {
          // A table model also says which columns made each score: one column of loss per table column.
          const contributions = run.table ? columnContributions(run.program, dataset) : undefined;
          const extra = contributions?.columns ?? [];
          const width = 3 + extra.length;
          const table = new Float32Array(n * width);
          for (let i = 0; i < n; i++) {
            table.set([i, result.scores[i]!, result.isAnomaly[i]!], i * width);
            if (contributions) table.set(contributions.values.subarray(i * extra.length, (i + 1) * extra.length), i * width + 3);
          }
          await writeFileAtomic(path, formatCsv(table, [n, width], ['index', 'score', 'is_anomaly', ...extra]));
        }
        // Windows of a series: each row's score too, beside the windows' (which part is anomalous).
        const steps = dataset.series ? stepScores(run.program, dataset) : undefined;
        const stepsOut = steps ? out.replace(/\.(csv|npy)$/, '.steps.$1') : undefined;
        if (steps && stepsOut) {
          const rows = steps.perRow.length;
          const stepsPath = resolve(io.cwd, stepsOut);
          if (stepsOut.endsWith('.npy')) await writeNpy(stepsPath, steps.perRow, [rows]);
          else {
            const table = new Float32Array(rows * 2);
            for (let i = 0; i < rows; i++) table.set([i, steps.perRow[i]!], i * 2);
            await writeFileAtomic(stepsPath, formatCsv(table, [rows, 2], ['step', 'score']));
          }
        }
        const flagged = result.isAnomaly.reduce((a, b) => a + b, 0);
        const fitted = fit ? ` (fitted on ${fit.name} at contamination ${contamination ?? 0.1})` : '';
        const truth = labelsFile !== undefined ? await readAnomalyLabels(resolve(io.cwd, labelsFile), labelsFile, n) : normal ? anomaliesFromClasses(dataset.labels, dataset.name, normal) : undefined;
        const quality = truth ? { rocAuc: rocAuc(result.scores, truth), averagePrecision: averagePrecision(result.scores, truth) } : undefined;
        if (format === 'json') {
          const fitting = fit ? { fittedOn: fit.name, contamination: contamination ?? 0.1 } : {};
          io.stdout(`${JSON.stringify({ model: run.ir.model, data: dataset.name, samples: n, by, threshold: result.threshold, ...fitting, anomalies: flagged, ...(quality ?? {}), out: path })}\n`);
        } else {
          io.stdout(`${run.ir.model} on ${dataset.name} (${n} samples), score = ${by}\n`);
          io.stdout(`  threshold ${formatNumber(result.threshold)}${fitted}: ${flagged} anomalies (${((100 * flagged) / n).toFixed(1)}%)\n`);
          if (quality) io.stdout(`  ROC AUC ${quality.rocAuc.toFixed(4)}\n  average precision ${quality.averagePrecision.toFixed(4)}\n`);
        }
        io.stderr(`wrote ${n} scores to ${out}\n`);
        if (steps) io.stderr(`wrote ${steps.perRow.length} per-step scores (one per row of the series) to ${stepsOut}\n`);
        return EXIT_OK;
      } finally {
        run.program.dispose();
      }
    });
  },
};

function numberFlag(raw: string | boolean | undefined, name: string): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`option '--${name}' needs a number, got '${raw}'`);
  return value;
}

function parseClasses(raw: string | undefined): Set<number> | undefined {
  if (raw === undefined) return undefined;
  const classes = raw.split(',').map((c) => Number(c.trim()));
  if (classes.some((c) => !Number.isInteger(c) || c < 0)) throw new UsageError(`option '--normal' needs class indices like 0,1, got '${raw}'`);
  return new Set(classes);
}

/** 1 for every sample whose class is not one of the normal ones. */
function anomaliesFromClasses(labels: Int32Array | undefined, name: string, normal: Set<number>): Uint8Array {
  if (labels === undefined) throw new TaskError(`--normal needs labelled data, but ${name} has no labels (give images,labels files, or --labels FILE)`);
  return Uint8Array.from(labels, (label) => (normal.has(label) ? 0 : 1));
}

/** Ground truth from a file: an .npy array, or text with one 0/1 per line (a header line allowed). */
async function readAnomalyLabels(path: string, name: string, count: number): Promise<Uint8Array> {
  let values: ArrayLike<number>;
  if (name.endsWith('.npy')) {
    values = (await readNpy(path, { name })).data;
  } else {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new TaskError(`cannot read labels file ${name}`);
    }
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length > 0 && Number.isNaN(Number(lines[0]))) lines.shift();
    values = lines.map(Number);
  }
  if (values.length < count) throw new TaskError(`${name} holds ${values.length} labels for ${count} samples`);
  const truth = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (v !== 0 && v !== 1) throw new TaskError(`${name}: label ${i + 1} is ${v}; anomaly labels are 0 (normal) or 1 (anomaly)`);
    truth[i] = v;
  }
  return truth;
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? value.toPrecision(5) : value.toExponential(4);
}
