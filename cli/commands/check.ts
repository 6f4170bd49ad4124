// `ae check FILE...`: parse and check, print diagnostics; exit 1 when any file has an error.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeSource } from '../../compiler/analyze.js';
import { hasErrors, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { renderHuman, renderJson } from '../../compiler/diagnostics/render.js';
import { oneOfFlag, parseArgs } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, EXIT_OK, UsageError } from '../io.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'parse and check .ae files, reporting every problem',
  usage: 'ae check FILE... [--format text|json]',
  async run(argv, io) {
    const args = parseArgs(argv, { format: { type: 'string' } });
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    if (args.positionals.length === 0) throw new UsageError('no FILE given');
    const sources = new Map<string, string>();
    for (const file of args.positionals) {
      try {
        sources.set(file, await readFile(resolve(io.cwd, file), 'utf8'));
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read it';
        throw new UsageError(`cannot check '${file}': ${reason}`);
      }
    }
    const diagnostics: Diagnostic[] = [];
    for (const [file, text] of sources) diagnostics.push(...analyzeSource(text, file, { validateSchema: false }).diagnostics);
    if (format === 'json') io.stdout(renderJson(diagnostics));
    else if (diagnostics.length > 0) io.stdout(renderHuman(diagnostics, sources, { color: io.isTTY }));
    return hasErrors(diagnostics) ? EXIT_INPUT_ERROR : EXIT_OK;
  },
};
