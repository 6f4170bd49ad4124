// A use of a run that cannot work as asked (sampling a deterministic code, k larger than the
// index, scoring with labels that are missing): the CLI prints the message and exits 1. `code` is
// the catalogue's (docs/diagnostics.md, AE6xxx) where it names the problem, else TASK_MISUSE.
export class TaskError extends Error {
  override readonly name = 'TaskError';
  readonly code: string;

  constructor(message: string, code?: `AE6${string}`) {
    super(message);
    this.code = code ?? 'TASK_MISUSE';
  }
}
