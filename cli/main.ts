// `ae`: the entry point. Dispatches to one command per file; turns misuse into exit 2 with usage.
import { EXIT_USAGE, UsageError, type CliIO } from './io.js';
import { commands } from './commands/index.js';
import type { CommandInfo } from './commands/info.js';

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview(commands));
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version') {
    io.stdout(`${await packageVersion()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`ae: unknown command '${name}'\n\n${overview(commands)}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await (await command.load()).run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ae ${command.name}: ${error.message}\nusage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function overview(list: readonly CommandInfo[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines = list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: ae <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'ae <command> --help' for a command's options.\n`;
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const url = new URL('../../package.json', import.meta.url);
  const fallback = new URL('../package.json', import.meta.url);
  for (const candidate of [url, fallback]) {
    try {
      return JSON.parse(await readFile(candidate, 'utf8')).version as string;
    } catch {
      // dist/cli/main.js sits two levels below package.json, cli/main.ts one level.
    }
  }
  return 'unknown';
}
