// Every reader starts by reading its file; a file that cannot be read is a DataError naming it.
// Only regular files are read: the file is opened without blocking and checked on the open
// descriptor, so a FIFO, device or directory given as `--data` is refused at once (a FIFO would
// otherwise wait for a writer forever), and a file swapped after the check is not the one read.
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileErrorReason } from '../file-error-reason.js';
import { DataError } from './errors.js';

const NOT_REGULAR = 'it is not a regular file (a directory, FIFO, socket or device)';
const flags = constants.O_RDONLY | constants.O_NONBLOCK;

/** The file's bytes; `name` is how messages call it (the path as the user typed it). */
export async function readDataFile(path: string, name: string): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, flags);
    if (!(await handle.stat()).isFile()) throw new DataError(`cannot read ${name}: ${NOT_REGULAR}`);
    return await handle.readFile();
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`cannot read ${name}: ${fileErrorReason(error)}`);
  } finally {
    await handle?.close();
  }
}

/** A descriptor open for reading on the regular file `path`, and the file's size in bytes; the
 *  caller closes it. */
export function openDataFileSync(path: string, name: string): { fd: number; size: number } {
  let fd: number | undefined;
  try {
    fd = openRegularFileSync(path);
  } catch (error) {
    throw new DataError(`cannot read ${name}: ${fileErrorReason(error)}`);
  }
  if (fd === undefined) throw new DataError(`cannot read ${name}: ${NOT_REGULAR}`);
  return { fd, size: fstatSync(fd).size };
}

/** A descriptor open on `path` for reading when it is a regular file, else undefined. Never blocks;
 *  throws as openSync does when the path cannot be opened. */
export function openRegularFileSync(path: string): number | undefined {
  const fd = openSync(path, flags);
  if (fstatSync(fd).isFile()) return fd;
  closeSync(fd);
  return undefined;
}
