// Writing what a command produces (`ae compile -o`, `ae export`): all or nothing, and only where the
// user pointed. Each file goes to a temporary sibling first and is renamed into place once every one
// is written, so a full disk or a crash leaves the old files (or none), never a truncated one. An
// output path that is a symbolic link, or that is written inside the working directory but leads
// out of it through a link, is refused unless --force: writing through it once overwrote whatever
// the link pointed at.
import { randomBytes } from 'node:crypto';
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';

/** A file that could not be written, in one sentence for the user (exit 1). */
export class OutputError extends Error {}

export interface OutputOptions {
  /** Replace a symbolic link at the path (the link itself, never its target). */
  force?: boolean;
  /** The working directory outputs are named from. */
  cwd: string;
  /** The write itself, replaced in tests to fail as a full disk does. */
  write?: (path: string, data: string | Uint8Array) => Promise<void>;
}

const inside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Refuses an output path that is a link, or that leaves the working directory through one. */
export function checkOutputPath(shown: string, path: string, options: OutputOptions): void {
  if (options.force) return;
  const info = lstatSync(path, { throwIfNoEntry: false });
  if (info?.isSymbolicLink()) {
    throw new OutputError(`'${shown}' is a symbolic link (to '${readlinkSync(path)}'); not writing through it (--force replaces the link with the file)`);
  }
  const cwd = resolve(options.cwd);
  if (!inside(cwd, path)) return; // named outside the working directory on purpose
  let real: string;
  let realCwd: string;
  try {
    real = realpathSync(dirname(path));
    realCwd = realpathSync(cwd);
  } catch {
    return; // a missing directory is reported by the write
  }
  if (!inside(realCwd, real)) {
    throw new OutputError(`'${shown}' leads out of the working directory through a symbolic link (its directory is '${real}'); --force writes there anyway`);
  }
}

/** Writes every file or none: temporaries first, then renames; a failure removes the temporaries. */
export async function writeOutputFiles(files: ReadonlyArray<{ shown: string; path: string; data: string | Uint8Array }>, options: OutputOptions): Promise<void> {
  for (const file of files) checkOutputPath(file.shown, file.path, options);
  const write = options.write ?? ((path: string, data: string | Uint8Array) => writeFile(path, data, { flag: 'wx' }));
  const temps: string[] = [];
  try {
    for (const file of files) {
      const temp = resolve(dirname(file.path), `.${basename(file.path)}.${randomBytes(6).toString('hex')}.tmp`);
      temps.push(temp);
      try {
        await write(temp, file.data);
      } catch (error) {
        throw new OutputError(writeFailure(file.shown, error));
      }
    }
    for (let i = 0; i < files.length; i++) await rename(temps[i]!, files[i]!.path);
  } catch (error) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    if (error instanceof OutputError) throw error;
    throw new OutputError(writeFailure(files[0]?.shown ?? '', error));
  }
}

/** One sentence for a failed write: a full disk named as such, others by their system message. */
function writeFailure(shown: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC') return `no space left on the device to write '${shown}'; nothing was written`;
  if (code === 'EDQUOT') return `the disk quota is exceeded writing '${shown}'; nothing was written`;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to write '${shown}'`;
  if (code === 'EROFS') return `'${shown}' is on a read-only file system`;
  const text = error instanceof Error ? error.message : String(error);
  return `cannot write '${shown}': ${text}`;
}
