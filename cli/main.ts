// `ae`: the entry point. Dispatches to one command per file; turns misuse into exit 2 with usage.
import { EXIT_INPUT_ERROR, EXIT_USAGE, UsageError, type CliIO } from './io.js';
import { commands, type CommandEntry } from './commands/index.js';
import { commandHelp, overview } from './help.js';
import { packageVersion } from './version.js';

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(overview(commands));
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h') {
    io.stdout(overview(commands));
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${await packageVersion()}\n`);
    return 0;
  }
  if (name === 'help') {
    if (rest.length === 0) {
      io.stdout(overview(commands));
      return 0;
    }
    const command = find(rest[0]!, io);
    if (!command) return EXIT_USAGE;
    io.stdout(commandHelp(command));
    return 0;
  }
  const command = find(name, io);
  if (!command) return EXIT_USAGE;
  // Before `--`, a help flag wins over everything else, so `ae train --help` works with any other
  // arguments (even wrong ones).
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
    io.stdout(commandHelp(command));
    return 0;
  }
  try {
    return await (await command.load()).run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ae ${command.name}: ${error.message}\nusage: ${command.usage}\nRun 'ae help ${command.name}' for its options.\n`);
      return EXIT_USAGE;
    }
    // Whatever a command did not foresee is still one line, never a stack trace (AE_DEBUG=1 shows it).
    const text = error instanceof Error ? error.message : String(error);
    io.stderr(`ae ${command.name}: error: ${text.split('\n')[0]}\n`);
    if (io.env?.AE_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_INPUT_ERROR;
  }
}

function find(name: string, io: CliIO): CommandEntry | undefined {
  const command = commands.find((c) => c.name === name);
  if (!command) io.stderr(`ae: unknown command '${name}'\n\n${overview(commands)}`);
  return command;
}
