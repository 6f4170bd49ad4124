// CSV logs, for spreadsheets and pandas: epochs.csv (one row per epoch; its columns the union of
// every epoch's scalars, so the file is rewritten whole, atomically, at each epoch: it stays small),
// steps.csv (one row per optimiser step: phase, epoch, batch, step, loss, appended at each epoch's
// end) and hparams.csv (name, value).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../runs/index.js';
import type { MetricsLine } from '../train/callbacks/metrics-log.js';
import type { StepInfo, TrainBeginInfo } from '../train/callbacks/user-callbacks.js';
import type { ExperimentLog } from './experiment-log.js';
import { epochScalars } from './scalars.js';

export class CsvLog implements ExperimentLog {
  readonly kind = 'csv';
  private readonly rows: Record<string, string | number>[] = [];
  private steps: string[] = [];

  constructor(readonly where: string) {
    mkdirSync(where, { recursive: true });
    appendFileSync(join(where, 'steps.csv'), '', { flag: 'w' });
    appendFileSync(join(where, 'steps.csv'), 'phase,epoch,batch,step,loss\n');
  }

  async onTrainBegin(info: TrainBeginInfo): Promise<void> {
    const lines = ['name,value', ...Object.entries(info.hyperparameters).map(([k, v]) => `${field(k)},${field(v)}`)];
    await writeFileAtomic(join(this.where, 'hparams.csv'), `${lines.join('\n')}\n`);
  }

  onStepEnd(step: StepInfo): void {
    this.steps.push(`${field(step.phase)},${step.epoch},${step.batch},${step.step},${step.loss}\n`);
  }

  async onEpochEnd(line: MetricsLine): Promise<void> {
    this.flushSteps();
    this.rows.push({ phase: line.phase, epoch: line.epoch, step: line.step, ...epochScalars(line) });
    const columns = [...new Set(this.rows.flatMap((row) => Object.keys(row)))];
    const text = [columns.map(field).join(','), ...this.rows.map((row) => columns.map((c) => (row[c] === undefined ? '' : field(row[c]!))).join(','))];
    await writeFileAtomic(join(this.where, 'epochs.csv'), `${text.join('\n')}\n`);
  }

  async image(tag: string, png: Uint8Array): Promise<void> {
    await writeFileAtomic(join(this.where, `${tag.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`), png);
  }

  async close(): Promise<void> {
    this.flushSteps();
  }

  private flushSteps(): void {
    if (this.steps.length === 0) return;
    appendFileSync(join(this.where, 'steps.csv'), this.steps.join(''));
    this.steps = [];
  }
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break. */
function field(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
