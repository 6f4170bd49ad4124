// A use of a run that cannot work as asked (sampling a deterministic code, k larger than the
// index, scoring with labels that are missing): the CLI prints the message and exits 1.
export class TaskError extends Error {
  override readonly name = 'TaskError';
  readonly code = 'TASK_MISUSE';
}
