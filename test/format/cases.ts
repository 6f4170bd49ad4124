// The files the format tests run over: the golden cases and every valid spec.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const formatSpecsDir = join(repoRoot, 'specs/format');
const validSpecsDir = join(repoRoot, 'specs/valid');
const examplesDir = join(repoRoot, 'examples');

export interface FormatCase {
  name: string;
  inputPath: string;
  outputPath: string;
}

export function formatCases(): FormatCase[] {
  return readdirSync(formatSpecsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({
      name: entry.name,
      inputPath: join(formatSpecsDir, entry.name, '_input.ae'),
      outputPath: join(formatSpecsDir, entry.name, '_output.ae'),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every source a formatter must handle: valid specs, examples and the golden inputs, as `[name, text]`. */
export function allSources(): Array<[string, string]> {
  const valid = existsSync(validSpecsDir)
    ? readdirSync(validSpecsDir)
        .filter((name) => name.endsWith('.ae'))
        .sort()
        .map((name): [string, string] => [`valid/${name}`, readFileSync(join(validSpecsDir, name), 'utf8')])
    : [];
  const examples = existsSync(examplesDir)
    ? readdirSync(examplesDir, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ae'))
        .sort()
        .map((name): [string, string] => [`examples/${name}`, readFileSync(join(examplesDir, name), 'utf8')])
    : [];
  const inputs = formatCases().map((c): [string, string] => [`format/${c.name}`, readFileSync(c.inputPath, 'utf8')]);
  return [...valid, ...examples, ...inputs];
}
