// An MLflow file store, as MLflow's FileStore lays it out (what `mlflow ui --backend-store-uri DIR`
// lists): DIR/0/meta.yaml for the Default experiment, DIR/0/<run_id>/meta.yaml for the run (status
// RUNNING, then FINISHED or FAILED), metrics/<name> as "timestamp value step" lines, params/<name>,
// tags/<name> (mlflow.runName, mlflow.source.name) and artifacts/ (the reconstruction grid).
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../runs/index.js';
import type { MetricsLine } from '../train/callbacks/metrics-log.js';
import type { StepInfo, TrainBeginInfo } from '../train/callbacks/user-callbacks.js';
import type { ExperimentLog } from './experiment-log.js';
import { epochScalars } from './scalars.js';

const RUNNING = 1;
const FINISHED = 3;
const FAILED = 4;
const SOURCE_LOCAL = 4;

export class MlflowLog implements ExperimentLog {
  readonly kind = 'mlflow';
  readonly where: string;
  readonly runId = randomBytes(16).toString('hex');
  private readonly started = Date.now();
  private pending = new Map<string, string[]>();

  constructor(
    root: string,
    private readonly runName: string,
  ) {
    const experiment = join(resolve(root), '0');
    this.where = join(experiment, this.runId);
    for (const sub of ['metrics', 'params', 'tags', 'artifacts']) mkdirSync(join(this.where, sub), { recursive: true });
    if (!existsSync(join(experiment, 'meta.yaml'))) {
      appendFileSync(join(experiment, 'meta.yaml'), yaml({ artifact_location: pathToFileURL(experiment).href, creation_time: this.started, experiment_id: '0', last_update_time: this.started, lifecycle_stage: 'active', name: 'Default' }), { flag: 'w' });
    }
  }

  async onTrainBegin(info: TrainBeginInfo): Promise<void> {
    await this.writeMeta(RUNNING, null);
    for (const [name, value] of Object.entries(info.hyperparameters)) await writeFileAtomic(join(this.where, 'params', safe(name)), String(value));
    await writeFileAtomic(join(this.where, 'tags', 'mlflow.runName'), this.runName);
    await writeFileAtomic(join(this.where, 'tags', 'mlflow.source.name'), 'ae train');
    await writeFileAtomic(join(this.where, 'tags', 'mlflow.source.type'), 'LOCAL');
  }

  onStepEnd(step: StepInfo): void {
    this.metric('step_loss', step.loss, step.step);
  }

  onEpochEnd(line: MetricsLine): void {
    for (const [name, value] of Object.entries(epochScalars(line))) this.metric(name, value, line.step);
    this.flush();
  }

  async image(tag: string, png: Uint8Array): Promise<void> {
    await writeFileAtomic(join(this.where, 'artifacts', `${safe(tag)}.png`), png);
  }

  async onTrainEnd(): Promise<void> {
    this.flush();
  }

  async close(failed = false): Promise<void> {
    this.flush();
    await this.writeMeta(failed ? FAILED : FINISHED, Date.now());
  }

  private metric(name: string, value: number, step: number): void {
    const file = safe(name);
    const lines = this.pending.get(file) ?? [];
    lines.push(`${Date.now()} ${value} ${step}\n`);
    this.pending.set(file, lines);
  }

  private flush(): void {
    for (const [file, lines] of this.pending) appendFileSync(join(this.where, 'metrics', file), lines.join(''));
    this.pending.clear();
  }

  private async writeMeta(status: number, end: number | null): Promise<void> {
    await writeFileAtomic(
      join(this.where, 'meta.yaml'),
      yaml({
        artifact_uri: pathToFileURL(join(this.where, 'artifacts')).href,
        end_time: end,
        entry_point_name: '',
        experiment_id: '0',
        lifecycle_stage: 'active',
        run_id: this.runId,
        run_name: this.runName,
        run_uuid: this.runId,
        source_name: '',
        source_type: SOURCE_LOCAL,
        source_version: '',
        start_time: this.started,
        status,
        tags: [],
        user_id: process.env.USER ?? 'aelang',
      }),
    );
  }
}

/** MLflow's names allow letters, digits, _ - . / and spaces; a / would make a folder, so it and anything else become _. */
function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_\-. ]/g, '_');
}

/** The flat YAML MLflow writes: strings quoted when YAML would read them as something else. */
function yaml(values: Record<string, string | number | null | never[]>): string {
  const scalar = (v: string | number | null | never[]) => (v === null ? 'null' : Array.isArray(v) ? '[]' : typeof v === 'number' ? String(v) : v === '' || /^[\d.+-]|[:#{}[\],&*!|>'"%@`]|^(true|false|null|yes|no|on|off)$/i.test(v) ? `'${v.replace(/'/g, "''")}'` : v);
  return Object.entries(values).map(([k, v]) => `${k}: ${scalar(v)}\n`).join('');
}
