// Every reader starts by reading its file; a file that cannot be read is a DataError naming it.
import { readFile } from 'node:fs/promises';
import { fileErrorReason } from '../file-error-reason.js';
import { DataError } from './errors.js';

/** The file's bytes; `name` is how messages call it (the path as the user typed it). */
export async function readDataFile(path: string, name: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new DataError(`cannot read ${name}: ${fileErrorReason(error)}`);
  }
}
