// Experiment logs other tools read, written as training runs (they are train() callbacks): TensorBoard
// event files, CSV files, an MLflow file store. `ae train --log KINDS --log-dir DIR` opens them; the
// library's caller may pass them in `callbacks` too.
import { basename } from 'node:path';
import type { TrainCallbacks } from '../train/callbacks/user-callbacks.js';
import { CsvLog } from './csv-log.js';
import { MlflowLog } from './mlflow.js';
import { TensorBoardLog } from './tensorboard.js';

export const LOG_KINDS = ['tensorboard', 'csv', 'mlflow'] as const;
export type LogKind = (typeof LOG_KINDS)[number];

export interface ExperimentLog extends TrainCallbacks {
  readonly kind: LogKind;
  /** The directory (or file) it writes, for messages. */
  readonly where: string;
  /** A PNG picture (the reconstruction grid) at a step. */
  image(tag: string, png: Uint8Array, step: number): Promise<void>;
  /** Flushes everything; `failed` marks an MLflow run FAILED instead of FINISHED. */
  close(failed?: boolean): Promise<void>;
}

/** One log of each kind under `dir`, named after the run directory (TensorBoard's and CSV's in a
 *  folder of that name, so one DIR collects many runs). */
export function openLogs(kinds: readonly LogKind[], dir: string, runDir: string): ExperimentLog[] {
  const name = basename(runDir);
  return kinds.map((kind) => {
    switch (kind) {
      case 'tensorboard':
        return new TensorBoardLog(`${dir}/tensorboard/${name}`);
      case 'csv':
        return new CsvLog(`${dir}/csv/${name}`);
      case 'mlflow':
        return new MlflowLog(`${dir}/mlruns`, name);
    }
  });
}
