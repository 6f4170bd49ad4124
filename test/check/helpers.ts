// Analyse in-memory sources: the entry text plus imported files by path, nothing read from disk.
import { analyzeSource, type Analysis } from '../../compiler/analyze.js';
import type { CheckedModel } from '../../compiler/check/model.js';

export function analyze(text: string, files: Record<string, string> = {}, file = 'main.ae'): Analysis {
  return analyzeSource(text, file, { cwd: '/virtual', readFile: (f) => files[f] });
}

/** Codes with 1-based line:column, sorted as reported: `AE2001@3:5`. */
export function codes(analysis: Analysis, severity: 'error' | 'warning' | 'any' = 'error'): string[] {
  return analysis.diagnostics
    .filter((d) => severity === 'any' || d.severity === severity)
    .map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}`);
}

export function onlyModel(text: string, files: Record<string, string> = {}): CheckedModel {
  const analysis = analyze(text, files);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.column} ${d.message}`).join('\n'));
  if (analysis.models.length !== 1) throw new Error(`expected one model, got ${analysis.models.length}`);
  return analysis.models[0]!;
}

/** A model around an encoder/latent/decoder body, for short tests. */
export function model(body: string, input = '[784] in [0, 1]'): string {
  return `model m {\n  input x: ${input}\n${body}\n  loss = mse(x_hat, x)\n}\n`;
}
