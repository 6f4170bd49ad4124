// The version of the installed aelang, from its package.json.
import { readFile } from 'node:fs/promises';

export async function packageVersion(): Promise<string> {
  // dist/cli/version.js sits two levels below package.json, cli/version.ts one level.
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      return JSON.parse(await readFile(new URL(candidate, import.meta.url), 'utf8')).version as string;
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}
