// `ae train --log tensorboard,csv,mlflow [--log-dir DIR]`: the experiment logs (runtime/logs/) the run
// writes as it trains, closed when it ends (an MLflow run FINISHED, or FAILED when training failed),
// with the reconstruction grid added as an image when the run drew one.
import { readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LOG_KINDS, openLogs, type ExperimentLog, type LogKind } from '../../runtime/logs/experiment-log.js';
import { stringFlag, type ParsedArgs } from '../args.js';
import { UsageError } from '../io.js';

/** The kinds --log names (a comma list), checked before anything runs. */
export function logKinds(args: ParsedArgs): LogKind[] {
  const raw = stringFlag(args, 'log');
  if (raw === undefined) {
    if (stringFlag(args, 'log-dir') !== undefined) throw new UsageError('--log-dir needs --log tensorboard, csv or mlflow');
    return [];
  }
  const kinds = raw.split(',').map((k) => k.trim());
  for (const kind of kinds) {
    if (!(LOG_KINDS as readonly string[]).includes(kind)) throw new UsageError(`option '--log' takes ${LOG_KINDS.join(', ')} (a comma list), got '${kind}'`);
  }
  return [...new Set(kinds as LogKind[])];
}

/** Opens the logs in --log-dir (default: the run's logs/ folder). */
export function openTrainLogs(kinds: readonly LogKind[], args: ParsedArgs, cwd: string, runDir: string): ExperimentLog[] {
  if (kinds.length === 0) return [];
  const dir = stringFlag(args, 'log-dir');
  return openLogs(kinds, dir !== undefined ? resolve(cwd, dir) : join(runDir, 'logs'), runDir);
}

/** Adds the grid (if the run drew one) and closes every log; names where each one is. */
export async function closeTrainLogs(logs: readonly ExperimentLog[], grid: string | undefined, step: number, failed: boolean): Promise<string[]> {
  const png = grid === undefined ? undefined : await readFile(grid).catch(() => undefined);
  for (const log of logs) {
    if (png) await log.image('reconstructions', png, step);
    await log.close(failed);
  }
  return logs.map((log) => `${log.kind} log in ${log.where}`);
}

/** A run that failed before writing anything keeps no logs/ of its own: the directory can go whole. */
export async function removeLogsIfAlone(runDir: string): Promise<void> {
  if (readdirSync(runDir).join() === 'logs') await rm(join(runDir, 'logs'), { recursive: true, force: true });
}
