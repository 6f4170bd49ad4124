/** What a command may touch of the outside world; tests pass their own to capture output. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars, colour on stderr). */
  isTTY: boolean;
  /** Whether stdout is a terminal (colour on stdout); absent: it is not. */
  stdoutIsTTY?: boolean;
  /** The environment (NO_COLOR, FORCE_COLOR); absent: empty. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads all of standard input, for a FILE given as `-`; absent: there is none. */
  readStdin?(): Promise<string>;
  cwd: string;
}

/** Exit codes shared by every command: 0 ok, 1 a problem in the user's input, 2 misuse of the command. */
export const EXIT_OK = 0;
export const EXIT_INPUT_ERROR = 1;
export const EXIT_USAGE = 2;

/** Thrown for misuse (unknown flag, missing file argument); main prints it and exits 2. */
export class UsageError extends Error {}

/**
 * Whether to colour what goes to `stream`: `--color always|never` decides; otherwise (auto)
 * FORCE_COLOR does as Node reads it (empty, 1, 2, 3 or true: colour, even off a terminal and over
 * NO_COLOR; any other value: none); then never when NO_COLOR is set to anything but the empty
 * string (https://no-color.org: an explicit command-line choice overrides it); else only a terminal.
 */
export function useColor(io: CliIO, stream: 'stdout' | 'stderr', choice: string | boolean | undefined): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  const force = io.env?.FORCE_COLOR;
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  if (io.env?.NO_COLOR) return false;
  return stream === 'stdout' ? io.stdoutIsTTY === true : io.isTTY;
}

/** A FILE argument of `-`: standard input, named `<stdin>` in diagnostics. */
export const STDIN_NAME = '<stdin>';

export async function readStdin(io: CliIO): Promise<string> {
  if (!io.readStdin) throw new UsageError("'-' reads standard input, and there is none here");
  return io.readStdin();
}
