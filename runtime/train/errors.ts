// Errors of a training run that the CLI reports as problems in the user's input (exit 1).

/** The loss (or one of its terms) became NaN or ±Infinity; the step was not applied. */
export class NonFiniteLossError extends Error {
  readonly code = 'LOSS_NOT_FINITE';
  constructor(
    readonly phase: string,
    readonly epoch: number,
    readonly step: number,
    readonly term: string,
    readonly value: number,
    /** No update had been applied in this run yet (and it did not resume): the data and the initial
     *  weights give the non-finite value, so a smaller learning rate cannot help. */
    readonly beforeAnyUpdate = false,
  ) {
    super(
      beforeAnyUpdate
        ? `the loss is ${value} at step ${step} (phase '${phase}', epoch ${epoch}), before any update: term ${term} is not finite ` +
            `on the data and the initial weights; check the data for NaN, infinite or out-of-range values (training stopped, nothing was learned)`
        : `the loss became ${value} at step ${step} (phase '${phase}', epoch ${epoch}): term ${term} is not finite; ` +
            `training stopped and the last good weights were kept (try a smaller learning rate)`,
    );
    this.name = 'NonFiniteLossError';
  }
}

/** A run that cannot train as asked; `code` says which way (NO_DATA, LOSS_EXPLODED, or TRAINING_FAILED for the rest). */
export class TrainingError extends Error {
  constructor(
    message: string,
    readonly code: 'NO_DATA' | 'LOSS_EXPLODED' | 'TRAINING_FAILED' = 'TRAINING_FAILED',
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

/** The loss grew past EXPLOSION times its first value without turning non-finite: training diverged. */
export class LossExplodedError extends TrainingError {
  constructor(
    readonly phase: string,
    readonly epoch: number,
    readonly step: number,
    readonly value: number,
    readonly first: number,
  ) {
    super(
      `the loss exploded to ${value.toExponential(3)} at step ${step} (phase '${phase}', epoch ${epoch}), over 1e6 times its first value ` +
        `${first.toExponential(3)}; training stopped, and the checkpoint of the last completed epoch (if any) is kept (try a smaller learning rate)`,
      'LOSS_EXPLODED',
    );
    this.name = 'LossExplodedError';
  }
}
