// The compiler's driver on the disk (disk-host.ts), with the emitter's self-check: every IR returned
// has been checked against the schema (self-check.ts), unless the caller turns that off. The driver
// itself, with no file access of its own, is analyze-source.ts.
import path from 'node:path';
import { analyzeWithHost, type Analysis, type CheckOptions } from './analyze-source.js';
import { diskHost, type DiskOptions } from './disk-host.js';
import { readRegularFile } from './resolve/source-files.js';
import { assertIRsMatchSchema } from './self-check.js';

export type { Analysis, CheckOptions, SourceHost } from './analyze-source.js';

export interface AnalyzeOptions extends CheckOptions, DiskOptions {
  /** Check each IR kept against the schema (default true). Callers that read only diagnostics or
   *  models need not: `ae check` and `ae summary` call analyzeWithHost with diskHost, and never load
   *  the validator. */
  validateSchema?: boolean;
}

export function analyzeSource(text: string, file: string, options: AnalyzeOptions = {}): Analysis {
  const analysis = analyzeWithHost(text, file, diskHost(file, options), options);
  if (options.validateSchema !== false) assertIRsMatchSchema(analysis.irs);
  return analysis;
}

/** Reads the file from disk (relative to `cwd`) and analyses it with its imports; throws if the file cannot be read. */
export function analyzeFile(file: string, options: AnalyzeOptions = {}): Analysis {
  const cwd = options.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, file);
  const text = readRegularFile(absolute, path.dirname(absolute));
  if (typeof text !== 'string') throw new Error(`cannot read ${file} (looked for ${absolute})${text ? `: ${text.refused}` : ''}`);
  return analyzeSource(text, file, options);
}
