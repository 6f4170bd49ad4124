// `ae check FILE|DIR...`: parse and check (a directory: every .ae file below it), print diagnostics;
// exit 1 when any file has an error.
import { analyzeWithHost } from '../../compiler/analyze-source.js';
import { diskHost } from '../../compiler/disk-host.js';
import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { renderHuman, renderJson } from '../../diagnostics/render.js';
import { bytesFlag, oneOfFlag, parseArgs } from '../args.js';
import { expandAeFiles } from '../ae-files.js';
import { readSpecFile } from '../paths.js';
import type { Command } from '../command.js';
import { EXIT_INPUT_ERROR, EXIT_OK, readStdin, STDIN_NAME, UsageError, useColor } from '../io.js';
import { commandInfo } from './info.js';

export const checkCommand: Command = {
  ...commandInfo.check,
  async run(argv, io) {
    const args = parseArgs(argv, commandInfo.check.options);
    const format = oneOfFlag(args, 'format', ['text', 'json'] as const) ?? 'text';
    if (args.positionals.length === 0) throw new UsageError('no FILE given');
    const { files, roots } = await expandAeFiles(args.positionals, io.cwd);
    const memoryLimit = bytesFlag(args, 'max-memory');
    if (files.length === 0) throw new UsageError(`no .ae files in ${args.positionals.map((p) => `'${p}'`).join(', ')}`);
    const sources = new Map<string, string>();
    for (const file of files) {
      if (file === '-') {
        sources.set(STDIN_NAME, await readStdin(io));
        continue;
      }
      sources.set(file, readSpecFile(file, io.cwd, 'check'));
    }
    const diagnostics: Diagnostic[] = [];
    // Imports resolve against the importing file and may not leave its project: the directory named
    // on the command line for the files found below it, else the file's own directory. A file both
    // checked and imported would report its problems twice; each diagnostic is kept once.
    const seen = new Set<string>();
    const texts = new Map(sources);
    for (const [file, text] of sources) {
      const root = roots.get(file);
      // Diagnostics only: no IR is kept, so none is checked against the schema (compiler/analyze.ts).
      const host = diskHost(file, { cwd: io.cwd, ...(root !== undefined ? { root } : {}) });
      const analysis = analyzeWithHost(text, file, host, { keep: 'diagnostics', ...(memoryLimit !== undefined ? { memoryLimit } : {}) });
      for (const [read, readText] of analysis.sources) if (!texts.has(read)) texts.set(read, readText);
      for (const d of analysis.diagnostics) {
        const key = `${d.file}:${d.range.start.offset}:${d.range.end.offset}:${d.code}:${d.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        diagnostics.push(d);
      }
    }
    if (format === 'json') io.stdout(renderJson(diagnostics));
    else if (diagnostics.length > 0) io.stdout(renderHuman(diagnostics, texts, { color: useColor(io, 'stdout', args.flags.color) }));
    return hasErrors(diagnostics) ? EXIT_INPUT_ERROR : EXIT_OK;
  },
};
