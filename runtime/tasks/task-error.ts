// A use of a run that cannot work as asked (sampling a deterministic code, k larger than the
// index, scoring with labels that are missing): the CLI prints the message and exits 1. Where the
// catalogue (docs/diagnostics.md, AE6xxx) names the problem, `code` carries its code.
export class TaskError extends Error {
  constructor(
    message: string,
    readonly code?: `AE6${string}`,
  ) {
    super(message);
  }
}
