// Which errors are problems in the user's input (bad data, a corrupt checkpoint, a loss that blew
// up, a backend that cannot load): the CLI prints their message and exits 1 instead of crashing.
import { BackendUnavailableError } from '../backends/errors.js';
import { DataError } from '../data/errors.js';
import { CheckpointError, RunFileError } from '../runs/errors.js';
import { NonFiniteLossError, TrainingError } from '../train/errors.js';
import { TaskError } from './task-error.js';

export function userErrorMessage(error: unknown): string | undefined {
  const known = [DataError, CheckpointError, RunFileError, NonFiniteLossError, TrainingError, BackendUnavailableError, TaskError];
  if (error instanceof TaskError && error.code.startsWith('AE6')) return `error ${error.code}: ${error.message}`;
  if (known.some((type) => error instanceof type)) return (error as Error).message;
  return undefined;
}
