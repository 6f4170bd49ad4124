// `ae fmt FILE|DIR...`: print the canonical formatting of .ae files, rewrite them (--write), or list
// the ones that are not formatted (--check, exit 1); a directory stands for every .ae file below it
// (with --write or --check only). Formatting goes through Prettier with the aelang
// plugin, so the output is exactly `prettier --plugin aelang/prettier FILE`.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { oneOfFlag, parseArgs } from '../args.js';
import { expandAeFiles } from '../ae-files.js';
import { readSpecFile } from '../paths.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, EXIT_OK, readStdin, STDIN_NAME, UsageError, useColor, type CliIO } from '../io.js';
import { formatAe, FormatterUnavailableError } from '../../compiler/format/format.js';
import { parseSource } from '../../grammar/index.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { renderHuman } from '../../diagnostics/render.js';
import { commandInfo } from './info.js';

export const fmtCommand: Command = {
  ...commandInfo.fmt,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.fmt.options);
    if (args.positionals.length === 0) throw new UsageError('no files given');
    if (args.flags.write && args.flags.check) throw new UsageError("'--write' and '--check' cannot be combined");
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    if (format === 'json' && !args.flags.check) throw new UsageError('--format json reports what --check finds; add --check');
    if (args.flags.write && args.positionals.includes('-')) throw new UsageError("'--write' rewrites files; standard input ('-') is not one");
    const { files, directories } = await expandAeFiles(args.positionals, io.cwd);
    // Printing a whole tree's files one after another to stdout helps nobody.
    if (directories > 0 && !args.flags.write && !args.flags.check) throw new UsageError('a directory needs --write or --check');
    if (files.length === 0) throw new UsageError(`no .ae files in ${args.positionals.map((p) => `'${p}'`).join(', ')}`);
    const sources = await readAll(files, io);
    let exitCode = EXIT_OK;
    const unformatted: string[] = [];
    const unparsed: string[] = [];
    for (const { file, path, text } of sources) {
      const parsed = parseSource(text);
      const diagnostics = parsed.diagnostics.filter((d) => d.severity === 'error');
      if (diagnostics.length > 0) {
        io.stderr(renderSyntaxErrors(file, text, diagnostics, useColor(io, 'stderr', args.flags.color)));
        unparsed.push(file);
        exitCode = EXIT_INPUT_ERROR;
        continue;
      }
      let formatted: string;
      try {
        formatted = await formatAe(text, { parsed: parsed.ast });
      } catch (error) {
        if (!(error instanceof FormatterUnavailableError)) throw error;
        io.stderr(`ae fmt: ${error.message}\n`);
        return EXIT_INPUT_ERROR;
      }
      if (args.flags.check) {
        if (formatted !== text) {
          if (format === 'text') io.stdout(`${file}\n`);
          unformatted.push(file);
          exitCode = EXIT_INPUT_ERROR;
        }
      } else if (args.flags.write) {
        if (formatted !== text) await writeAtomically(path, formatted);
      } else {
        io.stdout(formatted);
      }
    }
    if (format === 'json') io.stdout(`${JSON.stringify({ checked: sources.length, unformatted, unparsed })}\n`);
    return exitCode;
  },
};

interface Source {
  /** As the user named it, for messages. */
  file: string;
  path: string;
  text: string;
}

/** Reads every file first, so a missing one is misuse reported before anything is written. */
async function readAll(files: readonly string[], io: CliIO): Promise<Source[]> {
  return Promise.all(
    files.map(async (file) => {
      if (file === '-') return { file: STDIN_NAME, path: file, text: await readStdin(io) };
      return { file, path: resolve(io.cwd, file), text: readSpecFile(file, io.cwd) };
    }),
  );
}

/** A reader never sees a half-written file: write a sibling temp file, then rename over the original. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function renderSyntaxErrors(file: string, text: string, diagnostics: readonly Diagnostic[], color: boolean): string {
  return renderHuman(diagnostics.map((d) => ({ ...d, file })), new Map([[file, text]]), { color });
}
