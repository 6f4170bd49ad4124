// Shared by `ae compile` and `ae summary`: read one .ae file, analyse it, print its diagnostics to
// stderr, and pick the requested model (or fail with exit 1 / misuse with exit 2).
import { analyzeWithHost, type Analysis, type CheckOptions } from '../../compiler/analyze-source.js';
import { diskHost } from '../../compiler/disk-host.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { renderHuman } from '../../diagnostics/render.js';
import { readStdin, STDIN_NAME, UsageError, useColor, type CliIO } from '../io.js';
import { readSpecFile } from '../paths.js';

export interface SpecLoadOptions {
  /** The model to check (--model). */
  model?: string;
  /** The command's --color. */
  color?: string | boolean;
  /** Bytes a model may need to train (--max-memory); the compiler's default when absent. */
  memoryLimit?: number;
  /** What the command reads of the analysis (compiler/analyze-source.ts): `ae summary` neither
   *  models nor IRs, only what `eachModel` made of each model. Default: models and IRs. */
  keep?: 'irs' | 'diagnostics';
  /** Each model as it is checked (CheckOptions.eachModel). */
  eachModel?: CheckOptions['eachModel'];
}

/** `file` may be `-`: the text comes from standard input. */
export async function loadAnalysis(file: string, io: CliIO, options: SpecLoadOptions = {}): Promise<Analysis | undefined> {
  const { model, color, memoryLimit, keep, eachModel } = options;
  const text = await readSpec(file, io);
  const name = file === '-' ? STDIN_NAME : file;
  const analysis = analyzeWithHost(text, name, diskHost(name, { cwd: io.cwd }), {
    ...(model !== undefined ? { model } : {}),
    ...(memoryLimit !== undefined ? { memoryLimit } : {}),
    ...(keep !== undefined ? { keep } : {}),
    ...(eachModel !== undefined ? { eachModel } : {}),
  });
  // The emitter's self-check (compiler/analyze.ts), loaded only by the commands that keep IRs: its
  // validator is 1 MB of generated code, which `ae summary` need not load.
  if (keep !== 'diagnostics') (await import('../../compiler/self-check.js')).assertIRsMatchSchema(analysis.irs);
  if (analysis.diagnostics.length > 0) io.stderr(renderHuman(analysis.diagnostics, analysis.sources, { color: useColor(io, 'stderr', color) }));
  if (model !== undefined && !analysis.ast.declarations.some((d) => d.kind === 'ModelDeclaration' && d.name.name === model)) {
    const names = modelNames(analysis);
    throw new UsageError(`'${file}' has no model '${model}'${names.length ? ` (models: ${names.join(', ')})` : ''}`);
  }
  return hasErrors(analysis.diagnostics) ? undefined : analysis;
}

/** The text of a .ae file argument, or of standard input for `-`. */
export async function readSpec(file: string, io: CliIO): Promise<string> {
  if (file === '-') return readStdin(io);
  return readSpecFile(file, io.cwd);
}

export function modelNames(analysis: Analysis): string[] {
  return analysis.ast.declarations.flatMap((d) => (d.kind === 'ModelDeclaration' ? [d.name.name] : []));
}
