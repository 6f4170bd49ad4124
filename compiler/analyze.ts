// The compiler's driver on the disk: `analyzeSource` reads imports as regular `.ae` files inside the
// project root (resolve/source-files.ts), relative to the working directory. The driver itself,
// with no file access of its own, is analyze-source.ts.
import path from 'node:path';
import { analyzeWithHost, type Analysis, type CheckOptions, type SourceHost } from './analyze-source.js';
import { isInside, readRegularFile, type ImportRead } from './resolve/source-files.js';

export type { Analysis, CheckOptions, SourceHost } from './analyze-source.js';

export interface AnalyzeOptions extends CheckOptions {
  /** Reads an imported file (path built from the importing file's path): its text, undefined when
   *  absent, or why it may not be read; default: regular files on disk inside `root`, from `cwd`. */
  readFile?: (file: string) => ImportRead;
  /** The working directory: imports are read and IR source paths written relative to it. */
  cwd?: string;
  /** The project root (absolute, or relative to `cwd`): no import reads outside it. Default: the
   *  directory of the file analysed. */
  root?: string;
}

export function analyzeSource(text: string, file: string, options: AnalyzeOptions = {}): Analysis {
  const cwd = options.cwd ?? process.cwd();
  const root = path.resolve(cwd, options.root ?? path.dirname(file));
  const host: SourceHost = {
    readFile: options.readFile ?? ((f: string) => readRegularFile(path.resolve(cwd, f), root)),
    insideRoot: (f: string) => isInside(root, path.resolve(cwd, f)),
    root: path.relative(cwd, root).split(path.sep).join('/') || '.',
    irPath: (f: string) => toIRPath(f, cwd),
  };
  return analyzeWithHost(text, file, host, options);
}

/** Reads the file from disk (relative to `cwd`) and analyses it with its imports; throws if the file cannot be read. */
export function analyzeFile(file: string, options: AnalyzeOptions = {}): Analysis {
  const cwd = options.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, file);
  const text = readRegularFile(absolute, path.dirname(absolute));
  if (typeof text !== 'string') throw new Error(`cannot read ${file} (looked for ${absolute})${text ? `: ${text.refused}` : ''}`);
  return analyzeSource(text, file, options);
}

/** Relative to the working directory, `/`-separated: the same on every machine. */
function toIRPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return relative.split(path.sep).join('/');
}
