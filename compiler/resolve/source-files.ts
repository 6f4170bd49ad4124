// Reading the files a program imports, safely: an `.ae` file being checked may come from anyone (an
// editor opens it, CI checks it), so an import may only read regular `.ae` files inside the project
// root, and what it refuses is reported with the reason only, never with anything read from it.
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

import type { ImportRead } from './import-read.js';

export { isRefusal, type ImportRead, type ImportRefusal } from './import-read.js';

/** Whether `file` lies inside `root` (both absolute), by path: `root/../x` is outside. */
export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Reads `file` (absolute) if it is a regular file whose real path (links followed) is inside
 *  `root`. Opened without blocking, then checked on the open descriptor: a FIFO, device or
 *  directory is refused without waiting for a writer, and a file swapped after the check is not
 *  the one read. */
export function readRegularFile(file: string, root: string): ImportRead {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { refused: code === 'EACCES' ? 'it cannot be read (permission denied)' : `it cannot be opened (${code ?? 'error'})` };
  }
  try {
    if (!fstatSync(fd).isFile()) return { refused: 'it is not a regular file (a directory, FIFO, socket or device)' };
    if (!isInside(realRoot(root), realpathSync(file))) return { refused: 'it is a link to a file outside the project' };
    return readFileSync(fd, 'utf8');
  } catch (error) {
    return { refused: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    closeSync(fd);
  }
}

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}
