// Shared helpers for golden kinds: locating spec folders and listing their cases.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The `.ae` files of a spec folder (`specs/<area>`), sorted, as absolute paths. */
export function specFiles(area: string, suffix = '.ae'): string[] {
  const folder = join(repositoryRoot, 'specs', area);
  return readdirSync(folder)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(folder, name));
}
