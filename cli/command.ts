import type { CliIO } from './io.js';

/** One `ae` subcommand. Each lives in cli/commands/<name>.ts; its words are in cli/commands/info.ts and
 *  cli/commands/index.ts loads it when it runs. */
export interface Command {
  name: string;
  /** One line for `ae --help`. */
  summary: string;
  /** The usage line(s) for `ae <name> --help` and usage errors. */
  usage: string;
  run(argv: readonly string[], io: CliIO): Promise<number>;
}
