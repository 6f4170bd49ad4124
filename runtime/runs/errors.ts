/** A checkpoint that cannot be read back: names the file and, where it applies, the tensor. */
export class CheckpointError extends Error {
  readonly code = 'CHECKPOINT_DAMAGED';
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** A run directory or run file that cannot be created or read. */
export class RunFileError extends Error {
  readonly code = 'RUN_FILE';
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'RunFileError';
  }
}
