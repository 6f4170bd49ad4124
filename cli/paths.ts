// Arguments that name files, checked before any work starts, so a wrong one is a one-line misuse
// error (exit 2) instead of a stack trace or an ENOTDIR from deep inside a command: a run directory
// where a .ae file belongs and the reverse, a wrong extension, a directory where a file belongs, an
// output in a directory that does not exist.
import { mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { isRefusal, readRegularFile } from '../compiler/resolve/source-files.js';
import { UsageError } from './io.js';

/** What `ae train` writes into a run; its presence is what makes a directory a run. */
const RUN_MARKER = 'model.ir.json';

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function isRun(path: string): boolean {
  return stat(join(path, RUN_MARKER))?.isFile() === true;
}

/** A model file argument: `-` (standard input), else an existing file with one of `extensions`. */
export function checkSpecArgument(file: string, cwd: string, extensions: readonly string[] = ['.ae']): void {
  if (file === '-') return;
  const path = resolve(cwd, file);
  const info = stat(path);
  const wanted = extensions.join(' or ');
  if (info?.isDirectory()) {
    if (isRun(path)) throw new UsageError(`'${file}' is a run directory, not a ${wanted} file (commands that take RUN use it: eval, encode, reconstruct, sample, interpolate, score, search, plot, export; train --resume continues it)`);
    throw new UsageError(`'${file}' is a directory, not a ${wanted} file`);
  }
  if (!extensions.some((ext) => file.endsWith(ext))) throw new UsageError(`'${file}' is not a ${wanted} file (its extension is '${extname(file)}')`);
  if (!info) throw new UsageError(`cannot read '${file}': no such file`);
}

/** A RUN argument: a directory that `ae train` wrote. */
export function checkRunArgument(dir: string, cwd: string): void {
  const path = resolve(cwd, dir);
  const info = stat(path);
  if (!info) throw new UsageError(`no run directory '${dir}'`);
  if (!info.isDirectory()) {
    const hint = dir.endsWith('.ae') ? `; train it first: ae train ${dir}` : '';
    throw new UsageError(`'${dir}' is a file; RUN is a run directory written by \`ae train\`${hint}`);
  }
  if (!isRun(path)) throw new UsageError(`'${dir}' is not a run directory (it has no ${RUN_MARKER}; \`ae train\` writes one)`);
}

/** An output file argument: one of `extensions`, not a directory, in a directory that exists. */
export function checkOutputFile(file: string, cwd: string, extensions: readonly string[], option = '-o'): void {
  const path = resolve(cwd, file);
  if (stat(path)?.isDirectory()) throw new UsageError(`${option} '${file}' is a directory; name a file in it`);
  if (!extensions.some((ext) => file.endsWith(ext))) throw new UsageError(`${option} needs a ${extensions.join(' or ')} file, got '${file}'`);
  checkParentDirectory(file, cwd, option);
}

/** An output directory (`ae export --format pytorch -o`, `ae compile --step-graph`): created when
 *  missing (its parent must exist), refused when it is a file (`why` says what goes there). */
export function checkOutputDirectory(dir: string, cwd: string, option: string, why: string): void {
  const path = resolve(cwd, dir);
  const info = stat(path);
  if (info && !info.isDirectory()) throw new UsageError(`${option} '${dir}' is a file; ${why}`);
  if (info) return;
  checkParentDirectory(dir, cwd, option);
  mkdirSync(path);
}

/** The directory an output goes into must exist: outputs never create directories silently. */
export function checkParentDirectory(file: string, cwd: string, option: string): void {
  const parent = dirname(resolve(cwd, file));
  const info = stat(parent);
  if (!info) throw new UsageError(`${option} '${file}': the directory '${dirname(file)}' does not exist`);
  if (!info.isDirectory()) throw new UsageError(`${option} '${file}': '${dirname(file)}' is not a directory`);
}

/**
 * The text of a spec file named on the command line. Only a regular file is read, opened without
 * blocking (a FIFO given as FILE would otherwise wait forever for a writer); any other is misuse.
 * The file may lie anywhere: its own imports are what the project root confines.
 */
export function readSpecFile(file: string, cwd: string, verb = 'read'): string {
  const text = readRegularFile(resolve(cwd, file), '/');
  if (text === undefined) throw new UsageError(`cannot ${verb} '${file}': no such file`);
  if (isRefusal(text)) throw new UsageError(`cannot ${verb} '${file}': ${text.refused}`);
  return text;
}
