// A program's files held in memory (the playground's: a browser has no disk): the entry file and
// whatever it may import, keyed by `/`-separated paths relative to the project root. The same
// rules as on disk: an import outside the root is refused (AE2024), a missing file is AE2008.
import type { SourceHost } from '../analyze-source.js';
import { normalise } from './import-paths.js';

export function memoryHost(files: ReadonlyMap<string, string>): SourceHost {
  const byPath = new Map([...files].map(([file, text]) => [normalise(file), text]));
  return {
    readFile: (file) => byPath.get(normalise(file)),
    insideRoot: (file) => {
      const normal = normalise(file);
      return normal !== '..' && !normal.startsWith('../') && !normal.startsWith('/');
    },
    root: '.',
    irPath: (file) => normalise(file),
  };
}
