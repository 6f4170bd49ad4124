// The compiler's files on the disk: imports are read as regular `.ae` files inside the project root
// (resolve/source-files.ts), relative to the working directory.
import path from 'node:path';
import type { SourceHost } from './analyze-source.js';
import { isInside, readRegularFile, type ImportRead } from './resolve/source-files.js';

export interface DiskOptions {
  /** Reads an imported file (path built from the importing file's path): its text, undefined when
   *  absent, or why it may not be read; default: regular files on disk inside `root`, from `cwd`. */
  readFile?: (file: string) => ImportRead;
  /** The working directory: imports are read and IR source paths written relative to it. */
  cwd?: string;
  /** The project root (absolute, or relative to `cwd`): no import reads outside it. Default: the
   *  directory of the file analysed. */
  root?: string;
}

/** The host for analysing `file` (a path relative to `cwd`) and what it imports. */
export function diskHost(file: string, options: DiskOptions = {}): SourceHost {
  const cwd = options.cwd ?? process.cwd();
  const root = path.resolve(cwd, options.root ?? path.dirname(file));
  return {
    readFile: options.readFile ?? ((f: string) => readRegularFile(path.resolve(cwd, f), root)),
    insideRoot: (f: string) => isInside(root, path.resolve(cwd, f)),
    root: path.relative(cwd, root).split(path.sep).join('/') || '.',
    irPath: (f: string) => toIRPath(f, cwd),
  };
}

/** Relative to the working directory, `/`-separated: the same on every machine. */
function toIRPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return relative.split(path.sep).join('/');
}
