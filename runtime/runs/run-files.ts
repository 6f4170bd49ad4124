// The file-system operations a training run performs, as one small interface, so that every write
// of a run goes through one place: the real one below, or (in tests) one that fails at the Nth
// operation to prove that a run killed at any point resumes to the same result.
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { fileErrorReason } from '../file-error-reason.js';
import { RunFileError } from './errors.js';

export interface RunFiles {
  /** Creates or replaces `path` with `data` and flushes it to disk (not atomic by itself). */
  write(path: string, data: Uint8Array | string): Promise<void>;
  append(path: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or a directory tree; a missing one is fine. */
  remove(path: string): Promise<void>;
  makeDirectory(path: string): Promise<void>;
  /** Makes renames and new names in the directory durable. */
  syncDirectory(path: string): Promise<void>;
  exists(path: string): boolean;
  list(path: string): string[];
}

export const nodeRunFiles: RunFiles = {
  async write(path, data) {
    await failing(path, 'write', async () => {
      const handle = await open(path, 'w');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  },
  async append(path, text) {
    await failing(path, 'append to', () => appendFile(path, text));
  },
  async rename(from, to) {
    await failing(to, 'rename into', () => rename(from, to));
  },
  async remove(path) {
    await failing(path, 'remove', () => rm(path, { recursive: true, force: true }));
  },
  async makeDirectory(path) {
    await failing(path, 'create', () => mkdir(path, { recursive: true }).then(() => undefined));
  },
  async syncDirectory(path) {
    try {
      const handle = await open(path, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // Some platforms cannot open a directory (Windows): the rename is still atomic, only not yet flushed.
    }
  },
  exists: existsSync,
  list: (path) => readdirSync(path),
};

async function failing(path: string, verb: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    throw new RunFileError(`cannot ${verb} ${path}: ${fileErrorReason(error)}`, { cause: error });
  }
}
