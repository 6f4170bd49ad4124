/** What a command may touch of the outside world; tests pass their own to capture output. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars, colour). */
  isTTY: boolean;
  cwd: string;
}

/** Exit codes shared by every command: 0 ok, 1 a problem in the user's input, 2 misuse of the command. */
export const EXIT_OK = 0;
export const EXIT_INPUT_ERROR = 1;
export const EXIT_USAGE = 2;

/** Thrown for misuse (unknown flag, missing file argument); main prints it and exits 2. */
export class UsageError extends Error {}
