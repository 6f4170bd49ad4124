// curves.svg in a run directory: what `ae train` leaves at the end and `ae plot RUN` redraws.
import { join } from 'node:path';
import { readJsonLines, writeFileAtomic } from '../runs/index.js';
import { TaskError } from '../tasks/task-error.js';
import { METRICS_FILE } from '../train/train.js';
import { curvesSpec, type MetricsRecord } from './curves.js';
import { renderSvg } from './render.js';

export const CURVES_FILE = 'curves.svg';

/** Draws the run's metrics.jsonl into `out` (default: curves.svg in the run); returns the path. */
export async function writeRunCurves(runDir: string, title: string, out = join(runDir, CURVES_FILE)): Promise<string> {
  const records = await readJsonLines<MetricsRecord>(join(runDir, METRICS_FILE));
  if (records.length === 0) throw new TaskError(`${join(runDir, METRICS_FILE)} holds no epoch yet: nothing to plot`);
  await writeFileAtomic(out, await renderSvg(curvesSpec(records, title)));
  return out;
}
