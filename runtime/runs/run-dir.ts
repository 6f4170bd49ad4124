// Run directories and the file writes inside them. Every file is written atomically (a temp file in
// the same directory, fsync, rename over the target), so a run killed mid-write leaves either the old
// file or the new one, never half of one, and resuming can trust what it finds.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { RunFileError } from './errors.js';
import { nodeRunFiles, type RunFiles } from './run-files.js';
import { fileErrorReason } from '../file-error-reason.js';

/** `20240131-093015`, local time. */
export function runTimestamp(date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/**
 * Creates the directory a run writes into and returns its absolute path: `out` when given,
 * otherwise `runs/<model>-<YYYYMMDD-HHMMSS>/` under `cwd` (with `-2`, `-3`, ... when two runs start
 * in the same second). An existing non-empty directory is refused unless `resume` is set.
 */
export function createRunDirectory(out: string | undefined, model: string, cwd: string, options: { resume?: boolean; now?: Date } = {}): string {
  if (out !== undefined) {
    const path = resolve(cwd, out);
    if (existsSync(path)) {
      if (!statSync(path).isDirectory()) throw new RunFileError(`${out} exists and is not a directory`);
      if (!options.resume && !startedNothing(readdirSync(path))) {
        throw new RunFileError(`${out} already holds files; choose another --out, or resume the run in it`);
      }
    } else if (options.resume) {
      throw new RunFileError(`cannot resume: ${out} does not exist`);
    }
    makeDirectory(path);
    return path;
  }
  const base = join(resolve(cwd, 'runs'), `${safeName(model)}-${runTimestamp(options.now)}`);
  for (let attempt = 1; ; attempt++) {
    const path = attempt === 1 ? base : `${base}-${attempt}`;
    if (!existsSync(path) || readdirSync(path).length === 0) {
      makeDirectory(path);
      return path;
    }
  }
}

/**
 * A run killed before it wrote its IR holds at most run.json and temporary files: nothing trained,
 * so a new run may start there (it cannot be resumed: there is no model to resume).
 */
function startedNothing(entries: readonly string[]): boolean {
  return entries.every((entry) => entry === 'run.json' || isTemporary(entry));
}

function makeDirectory(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new RunFileError(`cannot create ${path}: ${fileErrorReason(error)}`);
  }
}

/** Model names become directory names: keep letters, digits, `-`, `_` and `.`. */
function safeName(model: string): string {
  return model.replace(/[^A-Za-z0-9._-]+/g, '_') || 'model';
}

export async function writeFileAtomic(path: string, data: Uint8Array | string, files: RunFiles = nodeRunFiles): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await files.write(temporary, data);
    await files.rename(temporary, path);
  } catch (error) {
    await files.remove(temporary).catch(() => {});
    const cause = error instanceof RunFileError && error.cause !== undefined ? error.cause : error;
    throw new RunFileError(`cannot write ${path}: ${fileErrorReason(cause)}`, { cause });
  }
  await files.syncDirectory(dirname(path));
}

/** Removes the temporary files of atomic writes that a killed run left in `dir`. */
export async function removeTemporaryFiles(dir: string, files: RunFiles = nodeRunFiles): Promise<void> {
  for (const entry of files.list(dir)) if (isTemporary(entry)) await files.remove(join(dir, entry));
}

export function isTemporary(entry: string): boolean {
  return entry.startsWith('.') && entry.endsWith('.tmp');
}

/** Two-space JSON with a trailing newline, written atomically. */
export async function writeJsonAtomic(path: string, value: unknown, files: RunFiles = nodeRunFiles): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, files);
}

/** One JSON value per line (metrics.jsonl); appends are line-sized, so a crash loses at most the last line. */
export async function appendJsonLine(path: string, value: unknown, files: RunFiles = nodeRunFiles): Promise<void> {
  await files.append(path, `${JSON.stringify(value)}\n`);
}

export async function readJsonFile<T = unknown>(path: string): Promise<T> {
  const text = await readRunText(path);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new RunFileError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads a JSON-lines file; a torn last line (a crash mid-append) is dropped, any other bad line is an error. */
export async function readJsonLines<T = unknown>(path: string): Promise<T[]> {
  const text = await readRunText(path);
  const lines = text.split('\n');
  const values: T[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line) as T);
    } catch (error) {
      const isTornTail = index === lines.length - 1;
      if (!isTornTail) throw new RunFileError(`${path}:${index + 1} is not valid JSON: ${(error as Error).message}`);
    }
  });
  return values;
}

async function readRunText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RunFileError(code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path}: ${fileErrorReason(error)}`);
  }
}
