// Runs the whole pipeline on `.ae` text and keeps one code's diagnostics, for the rules that read the
// built graph (the decoder's nodes) rather than what test/objective/factory.ts can hand-build.
import { analyzeSource } from '../../compiler/analyze.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export function diagnosticsOf(code: string, text: string): Diagnostic[] {
  return analyzeSource(text, 'test.ae').diagnostics.filter((d) => d.code === code);
}

/** A model with the given decoder, output and loss lines (lines 1-4 fixed, decoder on line 5). */
export function modelText(decoder: string, output: string, loss: string, latent = 'dense(32)'): string {
  return [
    'model m {',
    '  input x: [784] in [0, 1]',
    '  encoder { dense(128, act = relu) }',
    `  latent z = ${latent}`,
    `  decoder ${decoder}`,
    `  output x_hat = ${output}`,
    `  loss = ${loss}`,
    '}',
    '',
  ].join('\n');
}
