// `ae check DIR`, `ae fmt --write DIR`: a directory stands for every `.ae` file below it, found
// recursively and in a stable (sorted) order. Hidden directories and node_modules are skipped: they
// hold tools' copies, not the user's sources. Files named directly are kept as given, `.ae` or not.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface ExpandedFiles {
  /** As the user would name them: a directory's files joined onto the directory as written. */
  files: string[];
  /** How many of the arguments were directories. */
  directories: number;
  /** For each file found below a directory argument, that directory as written: the project root
   *  its imports may not leave. */
  roots: Map<string, string>;
}

export async function expandAeFiles(paths: readonly string[], cwd: string): Promise<ExpandedFiles> {
  const files: string[] = [];
  const roots = new Map<string, string>();
  let directories = 0;
  for (const given of paths) {
    const info = await stat(resolve(cwd, given)).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(given); // missing files are the command's to report
      continue;
    }
    directories++;
    for (const file of await aeFilesUnder(given, cwd)) {
      files.push(file);
      if (!roots.has(file)) roots.set(file, given);
    }
  }
  return { files: [...new Set(files)], directories, roots };
}

async function aeFilesUnder(dir: string, cwd: string): Promise<string[]> {
  const entries = await readdir(resolve(cwd, dir), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await aeFilesUnder(path, cwd)));
    else if (entry.isFile() && entry.name.endsWith('.ae')) found.push(path);
  }
  return found;
}
